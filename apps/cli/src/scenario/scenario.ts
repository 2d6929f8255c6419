import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Mineral, Risk, Role, Smelter } from '@exchange/domain/events';
import type { StageFigures, Total } from '@exchange/domain/stages';

/** The shape of `shared/scenarios/*.json`: a supply chain with its expected totals. */
export interface Scenario {
  description?: string;
  organizations: ScenarioOrganization[];
  parts: ScenarioPart[];
  dueDiligence: ScenarioDueDiligence[];
  declaration: ScenarioDeclaration;
  revision: { part: string; own: StageFigures; note?: string };
  expected: Record<string, unknown> & { declaration: ExpectedDeclaration };
}

export interface ScenarioOrganization {
  key: string;
  name: string;
  roles: Role[];
}

export interface ScenarioPart {
  key: string;
  owner: string;
  partNumber: string;
  name: string;
  declaredUnit: string;
  own: StageFigures;
  bom?: ScenarioBomLine[];
}

export interface ScenarioBomLine {
  part: string;
  quantity: string;
}

export interface ScenarioDueDiligence {
  part: string;
  minerals?: Mineral[];
  smelters?: Smelter[];
  risks?: Risk[];
  inputsFrom?: string[];
}

export interface ScenarioDeclaration {
  issuer: string;
  regulator: string;
  certifier: string;
  batteryModel: string;
  manufacturingSite: string;
  energyOverServiceLifeKWh: string;
  note?: string;
}

export interface ExpectedDeclaration {
  cfpPerFunctionalUnit: string;
  cfpPerStage: StageFigures;
}

/** The key of the declaring organization's own part, added by `withDeclaredPart`. */
export const DECLARED_PART_KEY = 'vehicle-battery';

const ZERO_EMISSIONS: StageFigures = { rawMaterialAcquisition: '0', mainProduction: '0', distribution: '0', endOfLife: '0' };

export function loadScenario(path: string): Scenario {
  return JSON.parse(readFileSync(path, 'utf8')) as Scenario;
}

/** The repository root: the nearest ancestor of `from` holding a package.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export function defaultScenarioPath(): string {
  return resolve(findRepoRoot(), '..', 'shared', 'scenarios', 'battery-chain.json');
}

export function partByKey(scenario: Scenario, key: string): ScenarioPart {
  const part = scenario.parts.find((candidate) => candidate.key === key);
  if (!part) throw new Error(`scenario has no part "${key}"`);
  return part;
}

export function organizationByKey(scenario: Scenario, key: string): ScenarioOrganization {
  const organization = scenario.organizations.find((candidate) => candidate.key === key);
  if (!organization) throw new Error(`scenario has no organization "${key}"`);
  return organization;
}

/** Parts that no other part lists in its BOM: the end products of the chain. */
export function topParts(parts: readonly ScenarioPart[]): ScenarioPart[] {
  const used = new Set(parts.flatMap((part) => (part.bom ?? []).map((line) => line.part)));
  return parts.filter((part) => !used.has(part.key));
}

/**
 * The scenario plus the declaring OEM's own part: one piece holding one of the chain's end
 * product, with zero own emissions (the scenario's declaration note).
 */
export function withDeclaredPart(scenario: Scenario): Scenario {
  if (scenario.parts.some((part) => part.key === DECLARED_PART_KEY)) return scenario;
  const tops = topParts(scenario.parts);
  if (tops.length !== 1) throw new Error(`expected one end product to declare, found ${tops.length}`);
  const declared: ScenarioPart = {
    key: DECLARED_PART_KEY,
    owner: scenario.declaration.issuer,
    partNumber: scenario.declaration.batteryModel,
    name: `Vehicle battery ${scenario.declaration.batteryModel}`,
    declaredUnit: 'piece',
    own: ZERO_EMISSIONS,
    bom: [{ part: tops[0].key, quantity: '1' }],
  };
  return { ...scenario, parts: [...scenario.parts, declared] };
}

/** Parts ordered so that every part comes after all of its inputs (stable otherwise). */
export function partsBottomUp(parts: readonly ScenarioPart[]): ScenarioPart[] {
  const depths = new Map<string, number>();
  const depthOf = (key: string, path: string[]): number => {
    if (path.includes(key)) throw new Error(`BOM cycle: ${[...path, key].join(' → ')}`);
    const known = depths.get(key);
    if (known !== undefined) return known;
    const part = parts.find((candidate) => candidate.key === key);
    if (!part) throw new Error(`BOM refers to unknown part "${key}"`);
    const inputs = (part.bom ?? []).map((line) => depthOf(line.part, [...path, key]));
    const depth = inputs.length === 0 ? 0 : 1 + Math.max(...inputs);
    depths.set(key, depth);
    return depth;
  };
  return parts
    .map((part, index) => ({ part, index, depth: depthOf(part.key, []) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map(({ part }) => part);
}

/** Every (buyer part, BOM line) pair: each one is a supplier relationship that gets requests. */
export function bomRelationships(parts: readonly ScenarioPart[]): Array<{ buyer: ScenarioPart; line: ScenarioBomLine }> {
  return parts.flatMap((buyer) => (buyer.bom ?? []).map((line) => ({ buyer, line })));
}

/** The expected totals the scenario lists, keyed by part key (entries that are not parts are skipped). */
export function expectedTotals(scenario: Scenario): Record<string, Total> {
  const partKeys = new Set(scenario.parts.map((part) => part.key));
  return Object.fromEntries(Object.entries(scenario.expected).filter(([key]) => partKeys.has(key)) as Array<[string, Total]>);
}

export function dueDiligenceFor(scenario: Scenario, partKey: string): ScenarioDueDiligence {
  return scenario.dueDiligence.find((entry) => entry.part === partKey) ?? { part: partKey };
}

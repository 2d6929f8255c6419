import { randomBytes } from 'node:crypto';
import { canonicalSha256 } from '@exchange/domain/canonical';
import { divideRounded6, normalize } from '@exchange/domain/decimal';
import type {
  Acknowledgement,
  AttestationDocument,
  DdInput,
  DdReportDocument,
  Declaration,
  Derivation,
  FootprintDocument,
  OecdStep,
  PinnedInput,
} from '@exchange/domain/events';
import { OECD_STEPS } from '@exchange/domain/events';
import { STAGES, type StageFigures, type Total } from '@exchange/domain/stages';
import type { ScenarioDeclaration, ScenarioDueDiligence } from './scenario';

/** Pure builders of the documents participants sign: no I/O, ids and times passed in. */

export const METHODOLOGY = 'EU 2023/1542 CFP rules';
export const ATTESTATION_STANDARD = 'EU 2023/1542 Annex II CFP verification';

export function newSalt(): string {
  return randomBytes(32).toString('base64url');
}

export function normalizeStages(figures: StageFigures): StageFigures {
  return Object.fromEntries(STAGES.map((stage) => [stage, normalize(figures[stage])])) as StageFigures;
}

export function normalizeTotal(total: Total): Total {
  return { ...normalizeStages(total), value: normalize(total.value) };
}

export function buildDerivation(own: StageFigures, inputs: PinnedInput[], salt: string = newSalt()): Derivation {
  return {
    salt,
    own: normalizeStages(own),
    inputs: inputs.map((input) => ({ ...input, quantity: normalize(input.quantity) })),
  };
}

export interface FootprintFacts {
  id: string;
  version: number;
  issuer: string;
  partId: string;
  declaredUnit: string;
  validFrom: string;
  total: Total;
}

export function buildFootprintDocument(facts: FootprintFacts, derivation: Derivation): FootprintDocument {
  return {
    id: facts.id,
    version: facts.version,
    issuer: facts.issuer,
    partId: facts.partId,
    declaredUnit: facts.declaredUnit,
    validFrom: facts.validFrom,
    methodology: METHODOLOGY,
    total: normalizeTotal(facts.total),
    derivationSha256: canonicalSha256(derivation),
  };
}

/** The last full calendar year before `now`, as DD report periods are annual. */
export function reportingPeriod(now: Date): { from: string; to: string } {
  const year = now.getUTCFullYear() - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function allStepsImplemented(): DdReportDocument['oecdSteps'] {
  return Object.fromEntries(OECD_STEPS.map((step) => [step, { status: 'implemented' }])) as Record<OecdStep, { status: 'implemented' }>;
}

export interface DdReportFacts {
  id: string;
  version: number;
  issuer: string;
  partId: string;
  period: { from: string; to: string };
}

/** A leaf lists its own minerals, smelters and risks; an upper tier only links its suppliers' reports. */
export function buildDdReportDocument(facts: DdReportFacts, dueDiligence: ScenarioDueDiligence, inputs: DdInput[]): DdReportDocument {
  return {
    ...facts,
    minerals: dueDiligence.minerals ?? [],
    oecdSteps: allStepsImplemented(),
    smelters: dueDiligence.smelters ?? [],
    risks: dueDiligence.risks ?? [],
    inputs,
  };
}

export interface AttestationFacts {
  id: string;
  issuer: string;
  footprint: FootprintDocument;
  payloadSha256: string;
  verified: boolean;
  findings: string[];
  validUntil: string;
}

export function buildAttestationDocument(facts: AttestationFacts): AttestationDocument {
  return {
    id: facts.id,
    issuer: facts.issuer,
    footprintId: facts.footprint.id,
    version: facts.footprint.version,
    payloadSha256: facts.payloadSha256,
    derivationSha256: facts.footprint.derivationSha256,
    result: facts.verified ? 'verified' : 'rejected',
    standard: ATTESTATION_STANDARD,
    findings: facts.findings,
    validUntil: facts.validUntil,
  };
}

export interface DeclarationFigures {
  cfpPerFunctionalUnit: string;
  cfpPerStage: StageFigures;
}

/** kg CO2e per kWh over the service life: the footprint's figures over the energy, rounded half-even to 6 places. */
export function declarationFigures(total: Total, energyOverServiceLifeKWh: string): DeclarationFigures {
  const perKWh = (figure: string) => divideRounded6(figure, energyOverServiceLifeKWh);
  return {
    cfpPerFunctionalUnit: perKWh(total.value),
    cfpPerStage: Object.fromEntries(STAGES.map((stage) => [stage, perKWh(total[stage])])) as StageFigures,
  };
}

export interface DeclarationFacts {
  id: string;
  issuer: string;
  footprint: FootprintDocument;
  attestationIds: string[];
  ddReportId?: string;
}

export function buildDeclaration(facts: DeclarationFacts, scenario: ScenarioDeclaration): Declaration {
  const energy = normalize(scenario.energyOverServiceLifeKWh);
  return {
    id: facts.id,
    issuer: facts.issuer,
    batteryModel: scenario.batteryModel,
    manufacturingSite: scenario.manufacturingSite,
    footprintId: facts.footprint.id,
    footprintVersion: facts.footprint.version,
    energyOverServiceLifeKWh: energy,
    ...declarationFigures(facts.footprint.total, energy),
    attestationIds: facts.attestationIds,
    ...(facts.ddReportId ? { ddReportId: facts.ddReportId } : {}),
  };
}

export function buildAcknowledgement(facts: Omit<Acknowledgement, 'result'> & { accepted: boolean }): Acknowledgement {
  const { accepted, ...rest } = facts;
  return { ...rest, result: accepted ? 'accepted' : 'rejected' };
}

/** The fields of `actual` that differ from `expected` as strings, e.g. `value: 25.2 ≠ 25.206`. */
export function totalMismatches(actual: Total, expected: Total): string[] {
  return [...STAGES, 'value' as const]
    .filter((field) => actual[field] !== expected[field])
    .map((field) => `${field}: ${actual[field]} ≠ ${expected[field]}`);
}

export function declarationMismatches(actual: DeclarationFigures, expected: DeclarationFigures): string[] {
  const mismatches = STAGES.filter((stage) => actual.cfpPerStage[stage] !== expected.cfpPerStage[stage]).map(
    (stage) => `cfpPerStage.${stage}: ${actual.cfpPerStage[stage]} ≠ ${expected.cfpPerStage[stage]}`,
  );
  if (actual.cfpPerFunctionalUnit !== expected.cfpPerFunctionalUnit) {
    mismatches.unshift(`cfpPerFunctionalUnit: ${actual.cfpPerFunctionalUnit} ≠ ${expected.cfpPerFunctionalUnit}`);
  }
  return mismatches;
}

import { RISK_LEVELS, type RiskLevel } from '@exchange/domain/events';
import type { DdRollup } from './context';
import type { Scenario } from './scenario';

export interface ExpectedRollup {
  minerals: string[];
  highestRisk: Record<string, RiskLevel>;
}

/** What a DD rollup at the top of the chain must show: every mineral and each category's worst risk. */
export function expectedRollup(scenario: Scenario): ExpectedRollup {
  const minerals = new Set<string>();
  const highestRisk: Record<string, RiskLevel> = {};
  for (const entry of scenario.dueDiligence) {
    for (const mineral of entry.minerals ?? []) minerals.add(mineral);
    for (const risk of entry.risks ?? []) {
      const current = highestRisk[risk.category];
      if (!current || RISK_LEVELS.indexOf(risk.level) > RISK_LEVELS.indexOf(current)) highestRisk[risk.category] = risk.level;
    }
  }
  return { minerals: [...minerals].sort(), highestRisk };
}

export function rollupMismatches(actual: Pick<DdRollup, 'minerals' | 'highestRisk'>, expected: ExpectedRollup): string[] {
  const mismatches: string[] = [];
  const actualMinerals = [...(actual.minerals ?? [])].sort();
  if (actualMinerals.join(',') !== expected.minerals.join(',')) {
    mismatches.push(`minerals ${actualMinerals.join(', ') || 'none'} ≠ ${expected.minerals.join(', ')}`);
  }
  for (const [category, level] of Object.entries(expected.highestRisk)) {
    const actualLevel = actual.highestRisk?.[category];
    if (actualLevel !== level) mismatches.push(`highestRisk.${category} ${actualLevel ?? 'missing'} ≠ ${level}`);
  }
  return mismatches;
}

/** `forcedLabour high, childLabour medium`: worst first. */
export function describeRisks(highestRisk: Record<string, string>): string {
  return Object.entries(highestRisk)
    .sort(([, a], [, b]) => RISK_LEVELS.indexOf(b as RiskLevel) - RISK_LEVELS.indexOf(a as RiskLevel))
    .map(([category, level]) => `${category} ${level}`)
    .join(', ');
}

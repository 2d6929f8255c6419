import { weightedColumnSums, type DecimalString } from './decimal';

export const STAGES = ['rawMaterialAcquisition', 'mainProduction', 'distribution', 'endOfLife'] as const;
export type Stage = (typeof STAGES)[number];

export type StageFigures = Record<Stage, DecimalString>;
export type Total = StageFigures & { value: DecimalString };

export interface WeightedInput {
  quantity: DecimalString;
  total: StageFigures;
}

/** The upstream-plus-own aggregation: per stage, own + Σ quantity × input, and value = Σ stages. */
export function aggregateTotal(own: StageFigures, inputs: readonly WeightedInput[]): Total {
  const { sums, total } = weightedColumnSums(
    STAGES.map((stage) => own[stage]),
    inputs.map((input) => ({ weight: input.quantity, figures: STAGES.map((stage) => input.total[stage]) })),
  );
  const [rawMaterialAcquisition, mainProduction, distribution, endOfLife] = sums as [DecimalString, DecimalString, DecimalString, DecimalString];
  return { rawMaterialAcquisition, mainProduction, distribution, endOfLife, value: total };
}

/** The first figure of `claimed` that differs from `expected`, in stage order then `value`. */
export function firstMismatch(claimed: Total, expected: Total): { field: Stage | 'value'; expected: string; claimed: string } | null {
  for (const field of [...STAGES, 'value'] as const) {
    if (claimed[field] !== expected[field]) return { field, expected: expected[field], claimed: claimed[field] };
  }
  return null;
}

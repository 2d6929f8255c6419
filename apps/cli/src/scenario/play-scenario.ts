import { ExchangeClient } from '../exchange-client';
import { aftermathSteps } from './aftermath-steps';
import { answerSteps, checkTotalsStep } from './answer-steps';
import { ScenarioContext, type ScenarioChecks, type ScenarioResult, type Step } from './context';
import { declarationSteps } from './declaration-steps';
import { withDeclaredPart, type Scenario } from './scenario';
import { organizationSteps, partSteps, requestSteps } from './setup-steps';

export type { ScenarioResult, ScenarioChecks } from './context';

export interface PlayScenarioOptions {
  baseUrl: string;
  operatorToken: string;
  scenario: Scenario;
  /** Receives one progress line per step. */
  log?: (line: string) => void;
  now?: () => Date;
}

/** A step that threw: says which one, and keeps the cause (often a ProblemError). */
export class ScenarioStepError extends Error {
  constructor(
    readonly step: number,
    readonly title: string,
    override readonly cause: unknown,
  ) {
    super(`step ${step} "${title}" failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ScenarioStepError';
  }
}

const CHECK_NAMES: readonly (keyof ScenarioChecks)[] = [
  'totalsMatchExpected',
  'reproduced',
  'verified',
  'declarationMatchesExpected',
  'declarationSignatureVerified',
  'receiptSignatureVerified',
  'acknowledged',
  'inputSupersededNotified',
  'ddRollupPropagated',
  'visibilityAsExpected',
];

/**
 * Plays the scenario end to end against a running exchange, acting for every organization in
 * turn. Throws ScenarioStepError when a step cannot be done; checks that need not stop the
 * play are reported in `result.checks`.
 */
export async function playScenario(options: PlayScenarioOptions): Promise<ScenarioResult> {
  const log = options.log ?? (() => undefined);
  const operator = new ExchangeClient(options.baseUrl, options.operatorToken);
  const context = new ScenarioContext(withDeclaredPart(options.scenario), operator, options.now ?? (() => new Date()));
  const steps = planSteps(context);
  for (const [index, step] of steps.entries()) {
    const detail = await runStep(context, step, index + 1);
    log(progressLine(index + 1, steps.length, step.title, detail));
  }
  return assembleResult(context);
}

export function planSteps(context: ScenarioContext): Step[] {
  return [
    ...organizationSteps(context),
    ...partSteps(context),
    ...requestSteps(context),
    ...answerSteps(context),
    checkTotalsStep(),
    ...declarationSteps(context),
    ...aftermathSteps(context),
  ];
}

async function runStep(context: ScenarioContext, step: Step, number: number): Promise<string | void> {
  try {
    return await step.run(context);
  } catch (error) {
    throw new ScenarioStepError(number, step.title, error);
  }
}

/** `[ 7/42] title (detail)`: the step number padded to the width of the total. */
export function progressLine(step: number, total: number, title: string, detail?: string | void): string {
  const counter = `${String(step).padStart(String(total).length)}/${total}`;
  return `[${counter}] ${title}${detail ? ` (${detail})` : ''}`;
}

export function allChecksPassed(result: ScenarioResult): boolean {
  return CHECK_NAMES.every((name) => result.checks[name]);
}

function assembleResult(context: ScenarioContext): ScenarioResult {
  const { outcome } = context;
  const missing = (what: string): never => {
    throw new Error(`the scenario ended without ${what}`);
  };
  return {
    organizations: Object.fromEntries(
      [...context.participants].map(([key, p]) => [key, { id: p.orgId, name: p.name, clientId: p.clientId, clientSecret: p.clientSecret }]),
    ),
    parts: Object.fromEntries(
      [...context.parts].map(([key, state]) => [
        key,
        {
          id: context.partId(key),
          partNumber: state.part.partNumber,
          footprintId: context.footprint(key).id,
          footprintVersion: context.footprint(key).version,
          ddReportId: context.ddReport(key).id,
        },
      ]),
    ),
    totals: outcome.totals ?? missing('totals'),
    declaration: outcome.declaration ?? missing('a declaration'),
    submissionId: outcome.submissionId ?? missing('a submission'),
    attestationId: outcome.attestationId ?? missing('an attestation'),
    revision: outcome.revision ?? missing('a revision'),
    ddRollup: outcome.ddRollup ?? missing('a DD rollup'),
    visibility: outcome.visibility ?? [],
    checks: Object.fromEntries(CHECK_NAMES.map((name) => [name, context.checks[name] === true])) as unknown as ScenarioChecks,
  };
}

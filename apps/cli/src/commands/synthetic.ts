import { buildChain, callExchange, driveChainOverHttp, type ChainShape, type ChainSpec } from '@exchange/synthetic';
import { EXIT_FAILED, EXIT_OK, parseCommandArgs, UsageError } from './cli-io';
import { requireHealthy } from './demo';
import { DEFAULT_URL } from './submit';

export const SYNTHETIC_USAGE = `synthetic [--url ${DEFAULT_URL}] [--operator-token T] [--tiers 4] [--fan-in 3] [--footprints N] [--shape tree|lattice] [--seed S] [--concurrency 8]`;

export interface SyntheticRun {
  organizations: number;
  footprints: number;
  seconds: number;
  expectedTotal: Record<string, string>;
  reproduced: { status: number; total?: Record<string, string>; matchesRecorded?: boolean; eventsReplayed?: number };
  verified: { status: number; ok?: boolean };
  /** The reproduced total is the one planned, every recorded figure reproduces and every signature and link verifies. */
  holds: boolean;
}

/**
 * Builds a synthetic chain, submits it to a running exchange over its public API (organizations,
 * parts, BOMs, requests answered with signed footprints, a certifier granted every derivation),
 * then has the certifier reproduce and verify the top footprint against the total planned in advance.
 */
export async function runSyntheticChain(options: {
  baseUrl: string;
  operatorToken: string;
  spec: ChainSpec;
  concurrency?: number;
  log?: (line: string) => void;
}): Promise<SyntheticRun> {
  const log = options.log ?? (() => undefined);
  const chain = await buildChain({ ...options.spec, auditor: true });
  const { plan } = chain;
  log(
    `planned ${plan.organizations.length} organizations and ${plan.footprints.length} footprints over ${plan.widths.length} tiers (widths ${plan.widths.join('/')})`,
  );
  const started = performance.now();
  const driven = await driveChainOverHttp({ baseUrl: options.baseUrl, operatorToken: options.operatorToken }, chain, {
    readAccess: 'request',
    concurrency: options.concurrency,
  });
  const seconds = (performance.now() - started) / 1000;
  log(`submitted in ${seconds.toFixed(1)} s (${(plan.footprints.length / seconds).toFixed(0)} footprints/s with their requests, answers and grants)`);
  const certifier = driven.tokens.get(plan.auditor!.id)!;
  const root = plan.root.id;
  const reproduced = await callExchange(options.baseUrl, 'POST', `/v1/footprints/${root}/reproduce`, { token: certifier, body: {} });
  const verified = await callExchange(options.baseUrl, 'GET', `/v1/footprints/${root}/verify`, { token: certifier });
  const holds =
    reproduced.status === 200 &&
    reproduced.body.matchesRecorded === true &&
    JSON.stringify(reproduced.body.total) === JSON.stringify(plan.root.total) &&
    verified.status === 200 &&
    verified.body.ok === true;
  return {
    organizations: plan.organizations.length,
    footprints: plan.footprints.length,
    seconds,
    expectedTotal: plan.root.total,
    reproduced: {
      status: reproduced.status,
      total: reproduced.body?.total,
      matchesRecorded: reproduced.body?.matchesRecorded,
      eventsReplayed: reproduced.body?.eventsReplayed,
    },
    verified: { status: verified.status, ok: verified.body?.ok },
    holds,
  };
}

const positiveInteger = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, not "${text}"`);
  return value;
};

/** Submits a synthetic chain of any size to a running exchange and checks it reproduces exactly. */
export async function syntheticCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    url: { type: 'string', default: DEFAULT_URL },
    'operator-token': { type: 'string', default: process.env.EXCHANGE_OPERATOR_TOKEN },
    tiers: { type: 'string', default: '4' },
    'fan-in': { type: 'string', default: '3' },
    footprints: { type: 'string' },
    shape: { type: 'string', default: 'tree' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
  });
  if (positionals.length > 0) throw new UsageError(SYNTHETIC_USAGE);
  const operatorToken = values['operator-token'];
  if (!operatorToken) throw new UsageError('the operator token is needed: --operator-token or EXCHANGE_OPERATOR_TOKEN');
  if (values.shape !== 'tree' && values.shape !== 'lattice') throw new UsageError(`--shape is tree or lattice, not "${values.shape}"`);
  const spec: ChainSpec = {
    tiers: positiveInteger('tiers', values.tiers)!,
    fanIn: positiveInteger('fan-in', values['fan-in'])!,
    shape: values.shape as ChainShape,
    ...(values.footprints !== undefined && { footprints: positiveInteger('footprints', values.footprints) }),
    ...(values.seed !== undefined && { seed: positiveInteger('seed', values.seed) }),
  };
  await requireHealthy(values.url);
  const run = await runSyntheticChain({
    baseUrl: values.url,
    operatorToken,
    spec,
    concurrency: positiveInteger('concurrency', values.concurrency),
    log: (line) => console.log(line),
  });
  console.log(`planned total of the top footprint:    ${JSON.stringify(run.expectedTotal)}`);
  console.log(
    `reproduced by the certifier (${run.reproduced.status}): ${JSON.stringify(run.reproduced.total)}, matchesRecorded ${run.reproduced.matchesRecorded}, ${run.reproduced.eventsReplayed} events replayed`,
  );
  console.log(`verified (${run.verified.status}): ${run.verified.ok ? 'every signature and hash link holds' : 'NOT ok'}`);
  console.log(run.holds ? '✓ the chain reproduces exactly' : '✗ the chain does not reproduce as planned');
  return run.holds ? EXIT_OK : EXIT_FAILED;
}

/**
 * `npm run bench:profile -- <submissions|get|reproduce> [--footprints N] [--seconds S]`: runs one
 * workload against the compiled exchange started with `--cpu-prof`, then prints where its main
 * thread spent the time. The .cpuprofile is kept (open it in Chrome DevTools' Performance panel or
 * speedscope.app for a flame graph); the exchange's startup is in it too.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessToken, buildChain, callExchange, signExtraFootprints, writeChainToDataDir } from '@exchange/synthetic';
import { parseArgs } from './lib/args';
import { formatSummary, summarizeCpuProfile } from './lib/cpu-profile';
import { startExchangeChild } from './lib/exchange-child';
import { closedLoop, JsonPoster, okCount } from './lib/http-load';
import { copyStore, diskTempDir, fastScratchDir, markWorkersCaughtUp, removeDir } from './lib/scratch';

const WORKLOADS = ['submissions', 'get', 'reproduce'] as const;
type Workload = (typeof WORKLOADS)[number];

const args = parseArgs();
const workload = process.argv[2] as Workload;
const seconds = args.number('seconds', 6);
const concurrency = args.number('concurrency', 32);

async function main(): Promise<void> {
  if (!WORKLOADS.includes(workload)) throw new Error(`name a workload: ${WORKLOADS.join(', ')}`);
  const profileDir = mkdtempSync(join(tmpdir(), `exchange-profile-${workload}-`));
  const dataDir = diskTempDir('profile');
  const reproduce = workload === 'reproduce';
  const chain = await buildChain(
    reproduce
      ? { tiers: 12, fanIn: 8, footprints: args.number('footprints', 10_000), shape: 'tree', orgsPerTier: 4, auditor: true, seed: 12 }
      : { tiers: 3, fanIn: 8, shape: 'tree', orgsPerTier: 4, auditor: false, seed: 101 },
  );
  const scratch = fastScratchDir('profile');
  const written = await writeChainToDataDir(scratch, chain);
  copyStore(scratch, dataDir);
  removeDir(scratch);
  markWorkersCaughtUp(dataDir);
  const exchange = await startExchangeChild({ dataDir, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
  try {
    if (reproduce) {
      const auditor = chain.plan.auditor!;
      const token = await accessToken(exchange.baseUrl, auditor.id, auditor.clientSecret);
      for (let round = 1; round <= 3; round++) {
        const started = performance.now();
        const answer = await callExchange(exchange.baseUrl, 'POST', `/v1/footprints/${chain.plan.root.id}/reproduce`, { token, body: {} });
        console.log(`reproduce ${round}: ${answer.status}, ${answer.body.eventsReplayed} events in ${Math.round(performance.now() - started)} ms`);
      }
    } else {
      const root = chain.plan.organizations.find((o) => o.id === chain.plan.root.issuer)!;
      const token = await accessToken(exchange.baseUrl, root.id, root.clientSecret);
      const poster = new JsonPoster(exchange.baseUrl, token, { maxSockets: 1024, timeoutMs: 10_000 });
      const bodies =
        workload === 'submissions'
          ? (await signExtraFootprints(chain, written.payloadSha256s, { count: Math.ceil(seconds * 1500), seed: 1 })).map((e) =>
              JSON.stringify({ jws: e.jws, derivation: e.derivation }),
            )
          : [];
      let used = 0;
      const partPath = `/v1/parts/${chain.plan.root.partId}`;
      const load = await closedLoop({
        concurrency,
        durationMs: seconds * 1000,
        next: () => (workload === 'submissions' ? bodies[used++] : partPath),
        send: (body) => (workload === 'submissions' ? poster.post('/v1/footprints', body) : poster.get(body)),
      });
      console.log(`${workload}: ${(okCount(load) / (load.elapsedMs / 1000)).toFixed(0)}/s, ${JSON.stringify(load.statuses)}`);
      poster.close();
    }
  } finally {
    await exchange.stop();
    removeDir(dataDir);
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the exchange wrote no profile');
  console.log(`\n${formatSummary(summarizeCpuProfile(join(profileDir, file)))}\n\nprofile: ${join(profileDir, file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

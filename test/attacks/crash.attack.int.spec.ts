import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError, type EventStore } from '@exchange/event-store';
import { SqliteEventStore } from '@exchange/event-store/sqlite';
import { Projector, ReadModel } from '@exchange/projections';
import { registerParticipant } from '../support/participants';
import type { TestExchange } from '../support/test-exchange';
import { recordAttack } from './support/attack-table';
import { freePort, sleep } from '@exchange/testing';
import { ChildExchange, type ChildExchangeOptions } from './support/child-exchange';
import { LoadClient, newSubmission, send, type Answer, type Submission } from './support/footprint-load';

/**
 * Faults on a real process: the exchange runs as a child (`node apps/exchange/src/main.ts`), is
 * killed with SIGKILL under load or starved of disk, and is restarted on the same DATA_DIR.
 * What it acknowledged must still be there, once, byte for byte.
 */

const CRASHES = 4;
const CLIENTS = 4;

/** What the participants' helpers need of an exchange: its URL and the operator's token. */
const targetOf = (baseUrl: string, operatorToken: string) => ({ baseUrl, operatorToken }) as unknown as TestExchange;

interface EventRow {
  position: bigint;
  stream_id: string;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Opens the stopped exchange's event store read-only and checks that it reads back whole. */
function inspectStore(dataDir: string) {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join(', ');
    const rows = db.prepare('SELECT position, stream_id, event_id, type, data, metadata FROM events ORDER BY position').all() as EventRow[];
    const gaps = rows.filter((row, index) => row.position !== BigInt(index + 1)).length;
    let unreadable = 0;
    const submitted = new Map<string, number>();
    for (const row of rows) {
      try {
        const data = JSON.parse(row.data);
        JSON.parse(row.metadata);
        if (row.type === 'footprint.submitted')
          submitted.set(`${data.footprintId} v${data.version}`, (submitted.get(`${data.footprintId} v${data.version}`) ?? 0) + 1);
      } catch {
        unreadable++;
      }
    }
    return { integrity, rows, gaps, unreadable, submitted, count: (type: string) => rows.filter((r) => r.type === type).length };
  } finally {
    db.close();
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], work: (item: T) => Promise<void>, limit = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

const answerOf = (a: Answer | undefined) =>
  a === undefined ? 'nothing' : a.kind === 'no-answer' ? 'no answer' : `${a.status}${a.body?.code ? ` ${a.body.code}` : ''}`;

describe('crashes: SIGKILL at random moments under load, restarted on the same DATA_DIR', () => {
  const operatorToken = `crash-operator-${randomUUID()}`;
  let dataDir: string;
  let options: ChildExchangeOptions;
  let exchange: ChildExchange | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'exchange-crash-'));
    options = { dataDir, port: await freePort(), operatorToken };
  });

  afterAll(async () => {
    await ChildExchange.killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every acknowledged submission survives with the same receipt, none is recorded twice, nothing is half-written', async () => {
    const started = Date.now();
    exchange = await ChildExchange.start(options);
    const baseUrl = exchange.baseUrl;
    const target = targetOf(baseUrl, operatorToken);
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const org = await registerParticipant(target, `crash-supplier-${i}`, ['supplier']);
        return new LoadClient(org, await org.registerPart(`CRASH-${i}`));
      }),
    );

    const retries: { submission: Submission; landedBefore: boolean; answer: Answer }[] = [];
    const killedAfterMs: number[] = [];
    for (let crash = 0; crash < CRASHES; crash++) {
      const load = { stopped: false };
      const running = clients.map((c) => c.run(baseUrl, load));
      const delay = 300 + Math.floor(Math.random() * 1700);
      await sleep(delay);
      load.stopped = true;
      await exchange.kill('SIGKILL');
      killedAfterMs.push(delay);
      await Promise.all(running);
      exchange = await ChildExchange.start(options);
      for (const client of clients) {
        for (let attempt = 0; client.pending && attempt < 3; attempt++) {
          const retried = await client.retryPending(baseUrl);
          if (retried) retries.push(retried);
        }
      }
    }
    // a last stretch of load without a crash, so the end state also holds freshly written data
    const load = { stopped: false };
    const running = clients.map((c) => c.run(baseUrl, load));
    await sleep(500);
    load.stopped = true;
    await Promise.all(running);

    // every 201 is there: same payloadSha256, same receipt bytes
    const acknowledged = clients.flatMap((c) =>
      c.submissions.flatMap((s) => {
        const ok = [...s.attempts].reverse().find((a): a is Extract<Answer, { kind: 'answered' }> => a.kind === 'answered' && a.status === 201);
        return ok ? [{ s, answer: ok }] : [];
      }),
    );
    let sameReceipt = 0;
    const differing: string[] = [];
    await eachLimited(acknowledged, async ({ s, answer }) => {
      const found = await s.org.call('GET', `/v1/footprints/${s.footprintId}?version=${s.version}`);
      const same =
        found.status === 200 &&
        found.body.payloadSha256 === s.payloadSha256 &&
        answer.body.payloadSha256 === s.payloadSha256 &&
        found.body.receipt === answer.body.receipt &&
        answer.body.id === s.footprintId &&
        answer.body.version === s.version;
      if (same) sameReceipt++;
      else differing.push(`${s.footprintId} v${s.version}: GET ${found.status}`);
    });

    // versions lists: 1..n, no duplicates, exactly what the clients know was recorded
    const footprints = clients.flatMap((c) => [...c.recorded].map(([footprintId, latest]) => ({ org: c.org, footprintId, latest })));
    const badVersionLists: string[] = [];
    await eachLimited(footprints, async ({ org, footprintId, latest }) => {
      const versions = await org.call('GET', `/v1/footprints/${footprintId}/versions`);
      const listed = (versions.body?.items ?? []).map((v: { version: number }) => v.version);
      const expected = Array.from({ length: latest }, (_, i) => i + 1);
      if (JSON.stringify(listed) !== JSON.stringify(expected))
        badVersionLists.push(`${footprintId}: ${JSON.stringify(listed)} (expected 1..${latest})`);
    });

    // reproduce every recorded version from history
    let reproduced = 0;
    const notReproduced: string[] = [];
    const everyVersion = footprints.flatMap(({ org, footprintId, latest }) =>
      Array.from({ length: latest }, (_, i) => ({ org, footprintId, version: i + 1 })),
    );
    await eachLimited(everyVersion, async ({ org, footprintId, version }) => {
      const answer = await org.call('POST', `/v1/footprints/${footprintId}/reproduce`, { version }, { 'idempotency-key': randomUUID() });
      if (answer.status === 200 && answer.body.matchesRecorded === true) reproduced++;
      else notReproduced.push(`${footprintId} v${version}: ${answer.status} ${JSON.stringify(answer.body)}`);
    });
    const recordedVersions = footprints.reduce((n, f) => n + f.latest, 0);

    // the store itself, read after a stop: whole, gap-free, each document version once
    await exchange.stop();
    const store = inspectStore(dataDir);
    const ours = new Set(footprints.flatMap((f) => Array.from({ length: f.latest }, (_, i) => `${f.footprintId} v${i + 1}`)));
    const twice = [...store.submitted].filter(([, n]) => n !== 1).map(([k, n]) => `${k} ×${n}`);
    const unknown = [...store.submitted.keys()].filter((k) => !ours.has(k));
    const missing = [...ours].filter((k) => !store.submitted.has(k));

    const retriedLanded = retries.filter((r) => r.landedBefore);
    const retryAnswers = retries.map((r) => answerOf(r.answer));
    // a 201 retry whose receipt is the recorded one (checked against GET above, via `differing`)
    const originalAnswers = retries.filter((r) => {
      if (r.answer.kind !== 'answered' || r.answer.status !== 201) return false;
      const ack = acknowledged.find((a) => a.s === r.submission);
      return (
        ack !== undefined && ack.answer === r.answer && !differing.some((d) => d.startsWith(`${r.submission.footprintId} v${r.submission.version}:`))
      );
    }).length;
    const versionConflicts = retries.filter(
      (r) => r.answer.kind === 'answered' && r.answer.status === 409 && r.answer.body?.code === 'version-conflict' && r.landedBefore,
    ).length;
    const otherRetryAnswers = retries.length - originalAnswers - versionConflicts;
    const unexpected = clients.flatMap((c) => c.unexpected);
    const durationMs = Date.now() - started;
    console.log(
      `crash test: ${CRASHES} SIGKILLs after ${killedAfterMs.join(', ')} ms of load; ${acknowledged.length} receipts, ${store.rows.length} events, ` +
        `${retries.length} retries (${retriedLanded.length} had landed before the crash; answers: ${retryAnswers.join(', ') || 'none'}); ${durationMs} ms`,
    );

    recordAttack({
      attack: `crash: SIGKILL ×${CRASHES} under load (${CLIENTS} clients), restart on the same DATA_DIR: acknowledged submissions`,
      expected: 'every receipt readable, same payloadSha256 and receipt bytes',
      observed:
        differing.length === 0 && acknowledged.length > 0
          ? 'every receipt readable, same payloadSha256 and receipt bytes'
          : `${sameReceipt} of ${acknowledged.length} same; ${differing.slice(0, 3).join('; ')}`,
    });
    recordAttack({
      attack: `crash: SIGKILL ×${CRASHES} under load: footprint versions recorded`,
      expected: 'each version once in the store and in the versions list, none unknown or missing',
      observed:
        twice.length + unknown.length + missing.length + badVersionLists.length === 0
          ? 'each version once in the store and in the versions list, none unknown or missing'
          : `twice: ${twice.slice(0, 3).join(', ')}; unknown: ${unknown.length}; missing: ${missing.length}; lists: ${badVersionLists.slice(0, 2).join('; ')}`,
    });
    recordAttack({
      attack: `crash: SIGKILL ×${CRASHES} under load: the store after restarts`,
      expected: 'integrity ok, every event reads back, positions 1..N without gaps',
      observed:
        store.integrity === 'ok' && store.unreadable === 0 && store.gaps === 0
          ? 'integrity ok, every event reads back, positions 1..N without gaps'
          : `integrity ${store.integrity}, ${store.unreadable} unreadable, ${store.gaps} gaps`,
    });
    recordAttack({
      attack: `crash: SIGKILL ×${CRASHES} under load: reproduce every recorded version`,
      expected: 'matchesRecorded true for every version',
      observed:
        notReproduced.length === 0 && reproduced === recordedVersions
          ? 'matchesRecorded true for every version'
          : `${reproduced} of ${recordedVersions}; ${notReproduced.slice(0, 2).join('; ')}`,
    });
    // The brief allows a 409 version-conflict for a retry whose first attempt landed; with the
    // key-derived event ids every retry gets the answer the record gives (same receipt as GET).
    recordAttack({
      attack: `crash: retry of ${retries.length} unanswered submissions after restart (${retriedLanded.length} had landed before the SIGKILL), same Idempotency-Key and body`,
      expected: `${retries.length} × 201 with the recorded answer, no second event`,
      observed: `${originalAnswers} × 201 with the recorded answer${versionConflicts ? `, ${versionConflicts} × 409 version-conflict` : ''}${otherRetryAnswers ? `, others: ${retryAnswers.join(', ')}` : ''}, ${twice.length === 0 ? 'no second event' : `${twice.length} recorded twice`}`,
    });

    expect(unexpected).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(differing).toEqual([]);
    expect(badVersionLists).toEqual([]);
    expect(notReproduced).toEqual([]);
    expect(reproduced).toBe(recordedVersions);
    expect({ integrity: store.integrity, gaps: store.gaps, unreadable: store.unreadable }).toEqual({ integrity: 'ok', gaps: 0, unreadable: 0 });
    expect({ twice, unknown, missing }).toEqual({ twice: [], unknown: [], missing: [] });
    expect(otherRetryAnswers).toBe(0);
    expect(originalAnswers).toBe(retries.length);
    expect(clients.filter((c) => c.pending)).toEqual([]);
  }, 120_000);

  it('a crash after the append but before the answer was stored: the retry gets the original answer, not a second decision', async () => {
    exchange = await ChildExchange.start(options);
    const target = targetOf(exchange.baseUrl, operatorToken);
    const supplier = await registerParticipant(target, 'window-supplier', ['supplier']);
    const oem = await registerParticipant(target, 'window-oem', ['oem']);
    const partId = await supplier.registerPart('WINDOW-1');

    const v1 = await newSubmission(supplier, partId);
    const v2 = await newSubmission(supplier, partId, v1.footprintId, 2);
    const first = [await send(exchange.baseUrl, v1), await send(exchange.baseUrl, v2)];
    const requestKey = randomUUID();
    const requestBody = { kind: 'cfp', supplierOrgId: supplier.id, supplierPartId: partId };
    const request = await oem.call('POST', '/v1/requests', requestBody, { 'idempotency-key': requestKey });
    // an answer the record cannot rebuild: the client secret exists only in the first answer
    const orgKey = randomUUID();
    const orgBody = { name: 'window-late-org', roles: ['supplier'], jwks: { keys: [supplier.key.publicJwk] } };
    const operatorCall = (base: string) =>
      fetch(`${base}/v1/organizations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}`, 'idempotency-key': orgKey },
        body: JSON.stringify(orgBody),
      });
    const registered = await operatorCall(exchange.baseUrl);
    expect(first.map(answerOf)).toEqual(['201', '201']);
    expect(request.status).toBe(201);
    expect(registered.status).toBe(201);

    // The state a crash between the append and the stored answer leaves: the events are
    // committed, the answers are not. (Stop, then remove the stored answers.)
    await exchange.stop();
    const answers = new Database(join(dataDir, 'idempotency.sqlite'));
    const removed = answers
      .prepare('DELETE FROM idempotent_answers WHERE key IN (?, ?, ?, ?)')
      .run(`org:${supplier.id}\n${v1.key}`, `org:${supplier.id}\n${v2.key}`, `org:${oem.id}\n${requestKey}`, `operator\n${orgKey}`).changes;
    answers.close();
    expect(removed).toBe(4);
    exchange = await ChildExchange.start(options);

    const retriedV1 = await send(exchange.baseUrl, v1);
    const retriedV2 = await send(exchange.baseUrl, v2);
    const retriedRequest = await oem.call('POST', '/v1/requests', requestBody, { 'idempotency-key': requestKey });
    const retriedOrg = await operatorCall(exchange.baseUrl);
    const retriedOrgBody = (await retriedOrg.json()) as { code?: string };
    const versions = await supplier.call('GET', `/v1/footprints/${v1.footprintId}/versions`);
    const requests = await oem.call('GET', '/v1/requests?direction=outbound');
    await exchange.stop();
    const store = inspectStore(dataDir);
    const submittedTwice = [`${v1.footprintId} v1`, `${v1.footprintId} v2`].filter((k) => store.submitted.get(k) !== 1);

    const sameAnswer = (retried: Answer, original: Answer) =>
      retried.kind === 'answered' &&
      original.kind === 'answered' &&
      retried.status === 201 &&
      JSON.stringify(retried.body) === JSON.stringify(original.body);
    const footprintObserved =
      sameAnswer(retriedV1, first[0]!) && sameAnswer(retriedV2, first[1]!) && submittedTwice.length === 0 && versions.body.items.length === 2
        ? '201 with the original answer (same receipt bytes), no second event'
        : `v1: ${answerOf(retriedV1)}, v2: ${answerOf(retriedV2)}; versions ${versions.body.items.length}; twice: ${submittedTwice.join(', ') || 'none'}`;
    recordAttack({
      attack: 'crash between append and stored idempotent answer (answers removed while stopped), retry footprint v1 and v2, same keys',
      expected: '201 with the original answer (same receipt bytes), no second event',
      observed: footprintObserved,
    });
    const outbound = requests.body.items.filter((r: { supplierPartId: string }) => r.supplierPartId === partId).length;
    const requestObserved = `${retriedRequest.status}${retriedRequest.body?.code ? ` ${retriedRequest.body.code}` : ''}${retriedRequest.status === 201 && retriedRequest.body.id === request.body.id ? ' with the original id' : ''}, ${outbound} request(s) recorded`;
    recordAttack({
      attack: 'crash between append and stored idempotent answer, retry POST /v1/requests (random id) with the same key',
      expected: '201 with the original id, 1 request(s) recorded',
      observed: requestObserved,
    });

    const orgsNamed = store.rows.filter((r) => r.type === 'organization.registered' && JSON.parse(r.data).name === orgBody.name).length;
    const orgObserved = `${retriedOrg.status}${retriedOrgBody.code ? ` ${retriedOrgBody.code}` : ''}, ${orgsNamed} organization(s) registered`;
    recordAttack({
      attack: 'crash between append and stored idempotent answer, retry POST /v1/organizations (answer holds a one-time secret)',
      expected: '409 idempotency-key-already-applied, 1 organization(s) registered',
      observed: orgObserved,
    });

    expect(orgObserved).toBe('409 idempotency-key-already-applied, 1 organization(s) registered');
    expect({ footprintObserved, requestObserved }).toEqual({
      footprintObserved: '201 with the original answer (same receipt bytes), no second event',
      requestObserved: '201 with the original id, 1 request(s) recorded',
    });
  }, 60_000);
});

describe('a full disk (RLIMIT_FSIZE: file growth fails with EFBIG)', () => {
  const operatorToken = `disk-operator-${randomUUID()}`;
  let dataDir: string;
  let options: ChildExchangeOptions;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'exchange-disk-'));
    options = { dataDir, port: await freePort(), operatorToken };
  });

  afterAll(async () => {
    await ChildExchange.killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SQLite reports EFBIG as an I/O error, which the adapter translates to StoreUnavailableError', () => {
    const file = join(dataDir, 'efbig-probe.sqlite');
    const script = join(__dirname, 'support', 'efbig-probe.ts');
    const output = execFileSync(
      'sh',
      [
        '-c',
        `trap '' XFSZ; ulimit -f 256; exec "$0" "$@"`,
        process.execPath,
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        script,
        file,
      ],
      {
        cwd: join(__dirname, '..', '..'),
        env: { ...process.env, DISABLE_V8_COMPILE_CACHE: '1' },
        timeout: 30_000,
      },
    ).toString();
    const probe = JSON.parse(output.trim().split('\n').pop()!) as { error?: string; unavailable?: boolean; code?: string };
    const observed =
      probe.unavailable && /^SQLITE_(IOERR|FULL)/.test(probe.code ?? '')
        ? 'StoreUnavailableError caused by SQLITE_IOERR* or SQLITE_FULL'
        : `${probe.error} caused by ${probe.code}`;
    recordAttack({
      attack: `full disk (ulimit -f 256): an append that grows the file (${probe.code})`,
      expected: 'StoreUnavailableError caused by SQLITE_IOERR* or SQLITE_FULL',
      observed,
    });
    expect(observed).toBe('StoreUnavailableError caused by SQLITE_IOERR* or SQLITE_FULL');
  });

  it('refuses writes with 503 and Retry-After, keeps serving reads, and writes again once there is room', async () => {
    let exchange = await ChildExchange.start(options);
    const target = targetOf(exchange.baseUrl, operatorToken);
    const supplier = await registerParticipant(target, 'disk-supplier', ['supplier']);
    const partId = await supplier.registerPart('DISK-1');
    const before = await newSubmission(supplier, partId);
    expect(answerOf(await send(exchange.baseUrl, before))).toBe('201');
    await exchange.stop();

    // ulimit -S -f 64 (64 blocks of 512 bytes): room for SQLite's 32 KiB shared-memory index, little for the WAL
    exchange = await ChildExchange.start({ ...options, fileSizeLimitBlocks: 64 });
    const acknowledged: Submission[] = [before];
    let refused: { s: Submission; answer: Extract<Answer, { kind: 'answered' }> } | undefined;
    const otherAnswers: string[] = [];
    for (let i = 0; i < 12 && !refused; i++) {
      const s = await newSubmission(supplier, partId);
      const answer = await send(exchange.baseUrl, s);
      if (answer.kind === 'answered' && answer.status === 201) acknowledged.push(s);
      else if (answer.kind === 'answered' && answer.status === 503) refused = { s, answer };
      else otherAnswers.push(answerOf(answer));
    }
    const problemJson = refused?.answer.headers.get('content-type')?.startsWith('application/problem+json') ?? false;
    const retryAfter = refused?.answer.headers.get('retry-after') ?? null;
    recordAttack({
      attack: 'full disk (ulimit -f 64, EFBIG): POST /v1/footprints once the files cannot grow',
      expected: '503 store-unavailable problem+json with Retry-After',
      observed: refused
        ? `${refused.answer.status} ${refused.answer.body?.code}${problemJson ? ' problem+json' : ''}${retryAfter ? ' with Retry-After' : ' without Retry-After'}`
        : `no 503 in 12 writes: ${otherAnswers.join(', ')}`,
    });

    const reads = await Promise.all([
      supplier.call('GET', `/v1/footprints/${before.footprintId}`),
      supplier.call('GET', '/v1/parts'),
      fetch(`${exchange.baseUrl}/health`).then((r) => r.status),
    ]);
    const readsObserved = `footprint ${reads[0].status}, parts ${reads[1].status}, health ${reads[2]}`;
    recordAttack({
      attack: 'full disk: owner reads (a footprint, the parts list, /health) while writes fail',
      expected: 'footprint 200, parts 200, health 200',
      observed: readsObserved,
    });

    // Room again without a restart (the operator frees space): the limit is lifted on the live process.
    let liftedObserved = 'prlimit not available';
    if (refused && hasPrlimit()) {
      execFileSync('prlimit', ['--pid', String(exchange.pid), '--fsize=unlimited:unlimited']);
      const retried = await send(exchange.baseUrl, refused.s);
      const afterLift = await newSubmission(supplier, partId);
      const next = await send(exchange.baseUrl, afterLift);
      const ready = await waitForReady(exchange.baseUrl, 5_000);
      if (retried.kind === 'answered' && retried.status === 201) acknowledged.push(refused.s);
      if (next.kind === 'answered' && next.status === 201) acknowledged.push(afterLift);
      liftedObserved = `retry ${answerOf(retried)}, next write ${answerOf(next)}, ready ${ready}`;
      recordAttack({
        attack: 'full disk: space freed without a restart (prlimit lifts the limit), retry and a new write',
        expected: 'retry 201, next write 201, ready 200',
        observed: liftedObserved,
      });
    }

    await exchange.kill('SIGKILL');
    exchange = await ChildExchange.start(options);
    const afterRestart = await newSubmission(supplier, partId);
    const written = await send(exchange.baseUrl, afterRestart);
    if (written.kind === 'answered' && written.status === 201) acknowledged.push(afterRestart);
    const lost: string[] = [];
    for (const s of acknowledged) {
      const ok = [...s.attempts].reverse().find((a) => a.kind === 'answered' && a.status === 201) as Extract<Answer, { kind: 'answered' }>;
      const found = await supplier.call('GET', `/v1/footprints/${s.footprintId}?version=${s.version}`);
      if (found.status !== 200 || found.body.receipt !== ok.body.receipt) lost.push(`${s.footprintId}: ${found.status}`);
    }
    await exchange.stop();
    const store = inspectStore(dataDir);
    const twice = [...store.submitted].filter(([, n]) => n !== 1).map(([k]) => k);
    const restartObserved = `write ${answerOf(written)}, ${acknowledged.length - lost.length} of ${acknowledged.length} acknowledged readable, ${twice.length} twice, ${store.gaps} gaps`;
    recordAttack({
      attack: 'full disk: restart without the limit, then write',
      expected: `write 201, ${acknowledged.length} of ${acknowledged.length} acknowledged readable, 0 twice, 0 gaps`,
      observed: restartObserved,
    });

    expect(refused?.answer.status).toBe(503);
    expect(refused?.answer.body?.code).toBe('store-unavailable');
    expect(problemJson).toBe(true);
    expect(retryAfter).not.toBeNull();
    expect(otherAnswers).toEqual([]);
    expect(readsObserved).toBe('footprint 200, parts 200, health 200');
    if (liftedObserved !== 'prlimit not available') expect(liftedObserved).toBe('retry 201, next write 201, ready 200');
    expect(restartObserved).toBe(`write 201, ${acknowledged.length} of ${acknowledged.length} acknowledged readable, 0 twice, 0 gaps`);
  }, 90_000);
});

function hasPrlimit(): boolean {
  return ['/usr/bin/prlimit', '/bin/prlimit', '/usr/sbin/prlimit'].some((p) => existsSync(p));
}

async function waitForReady(baseUrl: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return status;
    await sleep(100);
  }
  return status;
}

describe('a transient store failure while the read model catches up', () => {
  it('the next catch-up reads again (one failed read does not stop the read model for good)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exchange-catchup-'));
    const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    try {
      let failNextRead = false;
      // the fault: one read of the log fails the way an I/O error or a lock past the busy timeout does
      const flaky = new Proxy(store, {
        get: (target, property, receiver) =>
          property === 'readAll'
            ? (...args: Parameters<EventStore['readAll']>) => {
                if (!failNextRead) return target.readAll(...args);
                failNextRead = false;
                return Promise.reject(new StoreUnavailableError('event store unavailable during read all: disk I/O error'));
              }
            : Reflect.get(target, property, receiver),
      }) as EventStore;
      const readModel = new ReadModel();
      const projector = new Projector(flaky, readModel);
      const registered = (id: string) => ({
        id: randomUUID(),
        type: 'part.registered',
        data: { partId: id, ownerOrgId: randomUUID(), partNumber: id, name: id, declaredUnit: 'kilogram', registeredAt: new Date().toISOString() },
      });
      await store.appendToStream('part-a', [registered('a')], 'no-stream');
      failNextRead = true;
      const failed = await projector.catchUp().then(
        () => 'caught up',
        (error) => (error instanceof StoreUnavailableError ? 'StoreUnavailableError' : String(error)),
      );
      await store.appendToStream('part-b', [registered('b')], 'no-stream');
      const next = await projector.catchUp().then(
        () => 'caught up',
        (error) => `rejected again (${String(error)})`,
      );
      const observed = `first ${failed}, next ${next}, read model at ${readModel.position} of ${await store.headPosition()}`;
      recordAttack({
        attack: 'transient read failure during read-model catch-up (readAll throws once)',
        expected: 'first StoreUnavailableError, next caught up, read model at 2 of 2',
        observed,
      });
      expect(observed).toBe('first StoreUnavailableError, next caught up, read model at 2 of 2');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

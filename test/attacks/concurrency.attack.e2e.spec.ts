import { randomUUID } from 'node:crypto';
import { streams } from '@exchange/domain';
import { EventStore } from '@exchange/event-store';
import { registerParticipant, submitFootprint, type HttpAnswer, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { describeAnswer, recordAttack } from './support/attack-table';
import { newSubmission, type Submission } from './support/footprint-load';

/**
 * Races on one exchange (in-process, over real HTTP): what is decided once must be recorded once,
 * whatever the interleaving of parallel requests.
 */

const ROUNDS = 5;

const post = (p: Participant, s: Pick<Submission, 'body'>, key: string) => p.call('POST', '/v1/footprints', s.body, { 'idempotency-key': key });

const statuses = (answers: HttpAnswer[]) =>
  answers
    .map((a) => describeAnswer(a))
    .sort()
    .join(', ');

describe('concurrency: parallel requests that must be decided once', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let partId: string;

  beforeAll(async () => {
    exchange = await startTestExchange();
    supplier = await registerParticipant(exchange, 'race-supplier', ['supplier']);
    partId = await supplier.registerPart('RACE-1');
  });

  afterAll(() => exchange.stop());

  const submittedEvents = async (footprintId: string) =>
    (await exchange.app.get(EventStore).readStream(streams.footprint(footprintId)))
      .filter((e) => e.type === 'footprint.submitted')
      .map((e) => (e.data as { version: number }).version);

  it('two versions of one footprint at once, from separate clients: one 201, one 409, one event', async () => {
    const outcomes: string[] = [];
    const eventsPerVersion: number[] = [];
    let appended = 0n;
    const first = await submitFootprint(supplier, partId, { rawMaterialAcquisition: '1', mainProduction: '1', distribution: '0', endOfLife: '0' });
    for (let round = 0; round < ROUNDS; round++) {
      // round 0 races two first versions of a new footprint; later rounds race two next versions
      const footprintId = round === 0 ? randomUUID() : first.id;
      const version = round === 0 ? 1 : round + 1;
      const [a, b] = [await newSubmission(supplier, partId, footprintId, version), await newSubmission(supplier, partId, footprintId, version)];
      const before = await exchange.eventCount();
      const answers = await Promise.all([post(supplier, a, a.key), post(supplier, b, b.key)]);
      appended += (await exchange.eventCount()) - before;
      outcomes.push(statuses(answers));
      eventsPerVersion.push((await submittedEvents(footprintId)).filter((v) => v === version).length);
    }
    const wellDecided =
      outcomes.every((o) => /^201, 409 (concurrent-change|version-conflict)$/.test(o)) &&
      eventsPerVersion.every((n) => n === 1) &&
      appended === BigInt(ROUNDS);
    const observed = wellDecided
      ? `201 + 409 each round, ${ROUNDS} event(s)`
      : `${outcomes.join(' | ')}; events per version ${eventsPerVersion.join(',')}; appended ${appended}`;
    recordAttack({
      attack: `race: two different documents for the same footprint version, sent at once (${ROUNDS} rounds)`,
      expected: `201 + 409 each round, ${ROUNDS} event(s)`,
      observed,
    });
    expect(observed).toBe(`201 + 409 each round, ${ROUNDS} event(s)`);
  });

  it('the same Idempotency-Key and body from 10 parallel clients: the same answer for all, one event', async () => {
    const s = await newSubmission(supplier, partId);
    const before = await exchange.eventCount();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(supplier, s, s.key)));
    const appended = (await exchange.eventCount()) - before;
    const bodies = new Set(answers.map((a) => JSON.stringify(a.body)));
    const versions = await submittedEvents(s.footprintId);
    const observed = `${statuses(answers) === Array(10).fill('201').join(', ') ? '201 ×10' : statuses(answers)}, ${bodies.size} distinct answer(s), ${appended} event(s)`;
    recordAttack({
      attack: 'race: one Idempotency-Key and body from 10 parallel clients',
      expected: '201 ×10, 1 distinct answer(s), 1 event(s)',
      observed,
    });
    expect(observed).toBe('201 ×10, 1 distinct answer(s), 1 event(s)');
    expect(versions).toEqual([1]);
    const [answer] = answers;
    expect(answer!.body).toMatchObject({ id: s.footprintId, version: 1, payloadSha256: s.payloadSha256 });
    expect((await supplier.call('GET', `/v1/footprints/${s.footprintId}`)).body.receipt).toBe(answer!.body.receipt);
  });

  it('the same Idempotency-Key with different bodies in parallel: one wins, the others 409, one event', async () => {
    const key = randomUUID();
    const bodies = await Promise.all(Array.from({ length: 6 }, () => newSubmission(supplier, partId)));
    const before = await exchange.eventCount();
    const answers = await Promise.all(bodies.map((s) => post(supplier, s, key)));
    const appended = (await exchange.eventCount()) - before;
    const winners = bodies.filter((_, i) => answers[i]!.status === 201);
    const recorded = (await Promise.all(bodies.map((s) => submittedEvents(s.footprintId)))).flat().length;
    const refusedAll = answers.filter((a) => a.status !== 201).every((a) => describeAnswer(a) === '409 idempotency-key-reused');
    const observed = `${winners.length} × 201, ${refusedAll ? `${answers.length - winners.length} × 409 idempotency-key-reused` : statuses(answers)}, ${appended} event(s), ${recorded} footprint(s) recorded`;
    const expected = '1 × 201, 5 × 409 idempotency-key-reused, 1 event(s), 1 footprint(s) recorded';
    recordAttack({ attack: 'race: one Idempotency-Key with 6 different bodies in parallel', expected, observed });
    expect(observed).toBe(expected);
    expect(winners).toHaveLength(1);
    // the key stays bound to the winner: its replay is the winner's answer, the others stay refused
    const replay = await post(supplier, winners[0]!, key);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(answers[bodies.indexOf(winners[0]!)]!.body);
    const loser = bodies.find((s) => s !== winners[0])!;
    expect((await post(supplier, loser, key)).status).toBe(409);
  });

  it('the same Idempotency-Key used by two different callers at once: scoped per caller, each decided on its own', async () => {
    const other = await registerParticipant(exchange, 'race-supplier-2', ['supplier']);
    const otherPart = await other.registerPart('RACE-2');
    const key = randomUUID();
    const [mine, theirs] = [await newSubmission(supplier, partId), await newSubmission(other, otherPart)];
    const before = await exchange.eventCount();
    const answers = await Promise.all([post(supplier, mine, key), post(other, theirs, key)]);
    const appended = (await exchange.eventCount()) - before;
    const observed = `${statuses(answers)}, ${appended} event(s)`;
    recordAttack({ attack: 'race: one Idempotency-Key from two different organizations at once', expected: '201, 201, 2 event(s)', observed });
    expect(observed).toBe('201, 201, 2 event(s)');
    expect(answers.map((a) => a.body.id)).toEqual([mine.footprintId, theirs.footprintId]);
  });
});

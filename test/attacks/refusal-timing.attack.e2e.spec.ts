import type { EventStore } from '@exchange/event-store';
import type { StageFigures } from '@exchange/domain';
import { RefusalLog } from '../../apps/exchange/src/access/refusal-log';
import { auditTrail } from '../support/chain-steps';
import { registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { describeAnswer, recordAttack } from './support/attack-table';

const OWN: StageFigures = { rawMaterialAcquisition: '1', mainProduction: '1', distribution: '0', endOfLife: '0' };
const WAIT_MS = 5000;

/**
 * A refused read must not take longer than a read of an unknown id: it is answered before its
 * refusal is written, whatever the write costs. Shown by holding the refusal log's writes until
 * after the answer arrived (no clock is compared).
 */
describe('review finding 3: the refused caller never waits for the refusal record', () => {
  let exchange: TestExchange;
  let owner: Participant;
  let stranger: Participant;

  beforeAll(async () => {
    exchange = await startTestExchange();
    owner = await registerParticipant(exchange, 'Owner');
    stranger = await registerParticipant(exchange, 'Stranger');
  });

  afterAll(() => exchange?.stop());

  it('answers the refused read while its record is held back, and the owner sees it once written', async () => {
    const fp = await submitFootprint(owner, await owner.registerPart('held-back'), OWN);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Fault injection: every write to the refusal log waits until released.
    const log = exchange.app.get(RefusalLog) as unknown as { store: EventStore };
    const append = log.store.appendToStream.bind(log.store);
    log.store.appendToStream = async (...args) => {
      await held;
      return append(...args);
    };

    const answered = await Promise.race([
      stranger.call('GET', `/v1/footprints/${fp.id}`),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), WAIT_MS)),
    ]);
    release();
    const refusals = (await auditTrail(owner, fp.id)).filter((e) => e.outcome === 'refused' && e.readerOrgId === stranger.id);
    const observed = `${answered ? `${describeAnswer(answered)} while its record was held back` : `no answer within ${WAIT_MS} ms while its record was held back`}; owner's trail then shows ${refusals.length} refusal`;
    const expected = "404 footprint-not-found while its record was held back; owner's trail then shows 1 refusal";
    recordAttack({ attack: "a stranger's refused read while the refusal log's writes are held back", expected, observed });
    expect(observed).toBe(expected);
  }, 20_000);
});

import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { recordAttack } from './support/attack-table';

const OWN = { rawMaterialAcquisition: '1', mainProduction: '2', distribution: '0.5', endOfLife: '0' };

describe('overload: the exchange sheds load with 503 and Retry-After instead of queueing without bound', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let part: string;

  beforeAll(async () => {
    exchange = await startTestExchange({ env: { MAX_IN_FLIGHT: '2' } });
    supplier = await registerParticipant(exchange, 'Busy Supplier');
    part = await supplier.registerPart('BUSY-1');
  });
  afterAll(() => exchange.stop());

  it('answers a burst beyond its limit at once with 503 overloaded, keeps its probes up, and takes work again after', async () => {
    const burst = await Promise.allSettled(Array.from({ length: 40 }, () => submitFootprint(supplier, part, OWN)));
    const shed = burst.filter((r) => r.status === 'rejected' && /503/.test(String(r.reason))).length;
    const accepted = burst.filter((r) => r.status === 'fulfilled').length;
    const probe = await fetch(`${exchange.baseUrl}/health/live`);
    const after = await submitFootprint(supplier, part, OWN).then(
      () => 201,
      () => 0,
    );
    recordAttack({
      attack: 'a burst of 40 signed submissions against MAX_IN_FLIGHT=2',
      expected: 'some 201, the rest 503 overloaded; probes 200; accepted again afterwards',
      observed: `${accepted > 0 && shed > 0 && accepted + shed === 40 ? 'some 201, the rest 503 overloaded' : `${accepted} accepted, ${shed} shed`}; probes ${probe.status}; ${after === 201 ? 'accepted again afterwards' : 'refused afterwards'}`,
    });
    expect(accepted).toBeGreaterThan(0);
    expect(shed).toBeGreaterThan(0);
    expect(accepted + shed).toBe(40);
    expect(probe.status).toBe(200);
    expect(after).toBe(201);
  });

  it('says when to come back: Retry-After on the problem+json', async () => {
    const register = (i: number) =>
      fetch(`${exchange.baseUrl}/v1/parts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${supplier.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ partNumber: `BURST-${i}`, name: 'Burst', declaredUnit: 'piece' }),
      });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => register(i)));
    const shedAnswer = answers.find((a) => a.status === 503);
    expect(shedAnswer).toBeDefined();
    expect(shedAnswer!.headers.get('retry-after')).toBe('1');
    expect(shedAnswer!.headers.get('content-type')).toContain('application/problem+json');
    expect(((await shedAnswer!.json()) as { code: string }).code).toBe('overloaded');
    await Promise.all(answers.filter((a) => a !== shedAnswer).map((a) => a.arrayBuffer()));
  });
});

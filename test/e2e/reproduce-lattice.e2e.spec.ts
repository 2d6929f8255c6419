import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { registerParticipant, submitFootprint } from '../support/participants';

const OWN = { rawMaterialAcquisition: '1', mainProduction: '2', distribution: '0.5', endOfLife: '0' };

describe('reproduce over a lattice (shared suppliers)', () => {
  let exchange: TestExchange;
  beforeAll(async () => (exchange = await startTestExchange()));
  afterAll(() => exchange.stop());

  it('reproduces each footprint version once, however many paths lead to it', async () => {
    const maker = await registerParticipant(exchange, 'Integrated Maker');
    const [a, b, c, d] = await Promise.all(['A', 'B', 'C', 'D'].map((n) => maker.registerPart(`LATTICE-${n}`)));
    await maker.setBom(b!, [{ supplier: maker, partId: a!, quantity: '2' }]);
    await maker.setBom(c!, [{ supplier: maker, partId: a!, quantity: '3' }]);
    await maker.setBom(d!, [
      { supplier: maker, partId: b!, quantity: '1' },
      { supplier: maker, partId: c!, quantity: '1' },
    ]);
    const pin = (fp: { id: string; payloadSha256: string }, quantity: string) => ({
      footprintId: fp.id,
      version: 1,
      payloadSha256: fp.payloadSha256,
      quantity,
    });
    const fa = await submitFootprint(maker, a!, OWN);
    const fb = await submitFootprint(maker, b!, OWN, [pin(fa, '2')]);
    const fc = await submitFootprint(maker, c!, OWN, [pin(fa, '3')]);
    const fd = await submitFootprint(maker, d!, OWN, [pin(fb, '1'), pin(fc, '1')]);

    const reproduced = await maker.call('POST', `/v1/footprints/${fd.id}/reproduce`, {});
    expect(reproduced.body).toMatchObject({ matchesRecorded: true, total: fd.document.total });
    expect(reproduced.body.levels.map((l: { footprintId: string }) => l.footprintId).sort()).toEqual([fa.id, fb.id, fc.id, fd.id].sort());
  });
});

import { EventStore } from '@exchange/event-store';
import { streams } from '@exchange/domain';
import { registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { startTestExchange, type TestExchange } from '../support/test-exchange';

const OWN = { rawMaterialAcquisition: '1.5', mainProduction: '2', distribution: '0.25', endOfLife: '0' };
const OWN_V2 = { rawMaterialAcquisition: '1.2', mainProduction: '2', distribution: '0.25', endOfLife: '0' };

interface AuditItem {
  outcome: string;
  readerOrgId: string;
  grantId?: string;
  purpose?: string;
  scope?: string;
  reason?: string;
  what: string;
  readAt: string;
}

/**
 * A reproduce records the derivations it reads as a few `protected-data.bulk-read` events (one
 * per owner, no resource twice in one event) instead of one event per level; each owner's audit
 * trail must answer exactly as if every read had been recorded on its own.
 */
describe('reproduce: the derivation reads in the audit trail (e2e)', () => {
  let exchange: TestExchange;
  let supplier: Participant;
  let maker: Participant;
  let certifier: Participant;
  let a1: Awaited<ReturnType<typeof submitFootprint>>;
  let b: Awaited<ReturnType<typeof submitFootprint>>;
  let c: Awaited<ReturnType<typeof submitFootprint>>;
  let d: Awaited<ReturnType<typeof submitFootprint>>;
  const certifierGrants = new Map<string, string>();

  async function grant(owner: Participant, footprintId: string, grantee: Participant, purpose: string, scope: string): Promise<string> {
    const answer = await owner.call('POST', '/v1/grants', {
      resource: { type: 'footprint', id: footprintId },
      granteeOrgId: grantee.id,
      purpose,
      scope,
    });
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  async function auditTrail(owner: Participant, resourceId: string, limit = 500): Promise<AuditItem[]> {
    const items: AuditItem[] = [];
    let after: string | undefined;
    do {
      const page = await owner.call('GET', `/v1/audit?resourceId=${resourceId}&limit=${limit}${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      after = page.body.next;
    } while (after);
    return items;
  }

  const pin = (fp: { id: string; version: number; payloadSha256: string }, quantity: string) => ({
    footprintId: fp.id,
    version: fp.version,
    payloadSha256: fp.payloadSha256,
    quantity,
  });

  beforeAll(async () => {
    exchange = await startTestExchange();
    supplier = await registerParticipant(exchange, 'Andes Lithium');
    maker = await registerParticipant(exchange, 'Kanto Cathode');
    certifier = await registerParticipant(exchange, 'Rheinland Certification', ['certifier']);
    const supplierPart = await supplier.registerPart('LI-CARB');
    const [partB, partC, partD] = await Promise.all(['CAM-B', 'CAM-C', 'CELL-D'].map((n) => maker.registerPart(n)));
    await maker.setBom(partB!, [{ supplier, partId: supplierPart, quantity: '2' }]);
    await maker.setBom(partC!, [{ supplier, partId: supplierPart, quantity: '3' }]);
    await maker.setBom(partD!, [
      { supplier: maker, partId: partB!, quantity: '1' },
      { supplier: maker, partId: partC!, quantity: '0.5' },
    ]);
    a1 = await submitFootprint(supplier, supplierPart, OWN);
    await grant(supplier, a1.id, maker, 'downstream-aggregation', 'document');
    const a2 = await submitFootprint(supplier, supplierPart, OWN_V2, [], { id: a1.id, version: 2 });
    // The chain reads both versions of the supplier's footprint: b pins version 1, c version 2.
    b = await submitFootprint(maker, partB!, OWN, [pin(a1, '2')]);
    c = await submitFootprint(maker, partC!, OWN, [pin({ ...a2, id: a1.id }, '3')]);
    d = await submitFootprint(maker, partD!, OWN, [pin(b, '1'), pin(c, '0.5')]);
    certifierGrants.set(a1.id, await grant(supplier, a1.id, certifier, 'verification', 'derivation'));
    for (const fp of [b, c, d]) certifierGrants.set(fp.id, await grant(maker, fp.id, certifier, 'verification', 'derivation'));
  });
  afterAll(() => exchange?.stop());

  it('shows each owner every read the reproduce made, as single reads show, in a few events: per owner, one per what, no resource twice in one', async () => {
    const before = new Map(
      await Promise.all(
        [
          [supplier, a1.id],
          [maker, b.id],
          [maker, c.id],
          [maker, d.id],
        ].map(async ([owner, id]) => [id as string, (await auditTrail(owner as Participant, id as string)).length] as const),
      ),
    );
    const head = await exchange.eventCount();

    const reproduced = await certifier.call('POST', `/v1/footprints/${d.id}/reproduce`, {});

    expect(reproduced.status).toBe(200);
    expect(reproduced.body).toMatchObject({ reproduced: true, matchesRecorded: true, total: d.document.total });
    expect(reproduced.body.levels).toHaveLength(5);
    // The maker's: the root's document ('reproduce') and its derivations, one event each; the supplier's two versions, two events.
    expect(await exchange.eventCount()).toBe(head + 4n);
    const fresh = async (owner: Participant, id: string) => (await auditTrail(owner, id)).slice(before.get(id));
    const derivationRead = (id: string) => ({
      outcome: 'read',
      readerOrgId: certifier.id,
      grantId: certifierGrants.get(id),
      purpose: 'verification',
      scope: 'derivation',
      what: 'derivation (reproduce)',
      readAt: expect.any(String),
    });
    expect(await fresh(supplier, a1.id)).toEqual([derivationRead(a1.id), derivationRead(a1.id)]);
    expect(await fresh(maker, b.id)).toEqual([derivationRead(b.id)]);
    expect(await fresh(maker, c.id)).toEqual([derivationRead(c.id)]);
    expect(await fresh(maker, d.id)).toEqual([{ ...derivationRead(d.id), what: 'reproduce' }, derivationRead(d.id)]);
    // Entries of one call carry one time, a time of that call.
    const readAts = new Set([...(await fresh(supplier, a1.id)), ...(await fresh(maker, b.id))].map((e) => e.readAt));
    expect(readAts.size).toBe(1);

    const store = exchange.app.get(EventStore);
    // Only this call's: the set-up's previews left bulk reads in these streams too.
    const bulk = [...(await store.readStream(streams.auditReads(supplier.id))), ...(await store.readStream(streams.auditReads(maker.id)))].filter(
      (e) => e.position > head,
    );
    expect(bulk.map((e) => e.type)).toEqual([
      'protected-data.bulk-read',
      'protected-data.bulk-read',
      'protected-data.bulk-read',
      'protected-data.bulk-read',
    ]);
    expect(bulk.map((e) => [(e.data as { what: string }).what, (e.data as { reads: unknown[] }).reads.length])).toEqual([
      ['derivation (reproduce)', 1],
      ['derivation (reproduce)', 1],
      ['reproduce', 1],
      ['derivation (reproduce)', 3],
    ]);
  });

  it('records every read of a deep derivation answer together, each entry as a single read would show it', async () => {
    const before = new Map(
      await Promise.all(
        [
          [supplier, a1.id],
          [maker, b.id],
          [maker, d.id],
        ].map(async ([owner, id]) => [id as string, (await auditTrail(owner as Participant, id as string)).length] as const),
      ),
    );
    const fresh = async (owner: Participant, id: string) => (await auditTrail(owner, id)).slice(before.get(id));

    const answer = await certifier.call('GET', `/v1/footprints/${d.id}/derivation?depth=3`);

    expect(answer.status).toBe(200);
    const read = (id: string, what: string) => ({
      outcome: 'read',
      readerOrgId: certifier.id,
      grantId: certifierGrants.get(id),
      purpose: 'verification',
      scope: 'derivation',
      what,
      readAt: expect.any(String),
    });
    expect(await fresh(maker, d.id)).toEqual([read(d.id, 'derivation')]);
    expect(await fresh(maker, b.id)).toEqual([read(b.id, 'document (as an input)'), read(b.id, 'derivation (as an input)')]);
    // b pins the supplier's version 1, read two levels down.
    expect(await fresh(supplier, a1.id)).toEqual(
      expect.arrayContaining([read(a1.id, 'document (as an input)'), read(a1.id, 'derivation (as an input)')]),
    );
    const readAts = new Set([...(await fresh(maker, d.id)), ...(await fresh(maker, b.id)), ...(await fresh(supplier, a1.id))].map((e) => e.readAt));
    expect(readAts.size).toBe(1);
  });

  it("records the inputs a preview reads under a grant in their owners' trails", async () => {
    const before = (await auditTrail(supplier, a1.id)).length;
    const answer = await maker.call('POST', '/v1/footprints/preview', { own: OWN, inputs: [{ footprintId: a1.id, version: 1, quantity: '2' }] });
    expect(answer.status).toBe(200);
    const entries = (await auditTrail(supplier, a1.id)).slice(before);
    expect(entries).toEqual([
      expect.objectContaining({
        outcome: 'read',
        readerOrgId: maker.id,
        purpose: 'downstream-aggregation',
        scope: 'document',
        what: 'total (preview)',
      }),
    ]);
  });

  it('gives a bulk-recorded read exactly the shape of a single read, and pages through them one by one', async () => {
    // Reading the document is recorded as a single `protected-data.read`.
    const single = await certifier.call('GET', `/v1/footprints/${a1.id}?version=1`);
    expect(single.status).toBe(200);
    const trail = await auditTrail(supplier, a1.id);
    const [bulkRead, singleRead] = [trail.find((e) => e.what === 'derivation (reproduce)')!, trail[trail.length - 1]!];
    const singleEvents = await exchange.app.get(EventStore).readStream(streams.audit(a1.id));
    expect(singleEvents[singleEvents.length - 1]!.type).toBe('protected-data.read');
    expect(Object.keys(bulkRead).sort()).toEqual(Object.keys(singleRead).sort());
    expect({ ...bulkRead, what: singleRead.what, readAt: singleRead.readAt }).toEqual(singleRead);
    // One entry per page: the cursor (an event's position) still names each entry of a resource.
    expect(await auditTrail(supplier, a1.id, 1)).toEqual(trail);
    expect(await auditTrail(maker, d.id, 1)).toEqual(await auditTrail(maker, d.id));
  });

  it("records nothing for the owner's own reproduce, and shows no owner another's reads", async () => {
    const head = await exchange.eventCount();
    const trailOfD = await auditTrail(maker, d.id);
    const own = await maker.call('POST', `/v1/footprints/${d.id}/reproduce`, {});
    expect(own.status).toBe(200);
    // The maker reads its own derivations (not recorded); the supplier's it reads only the document of.
    expect(own.body.levels.map((l: { footprintId: string }) => l.footprintId).sort()).toEqual([a1.id, a1.id, b.id, c.id, d.id].sort());
    expect(await exchange.eventCount()).toBe(head);
    expect(await auditTrail(maker, d.id)).toEqual(trailOfD);
    expect((await supplier.call('GET', `/v1/audit?resourceId=${d.id}`)).status).toBe(404);
  });
});

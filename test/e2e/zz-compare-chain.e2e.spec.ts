// TEMPORARY harness (not committed): the handlers before and after the move, on the same data.
import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalSha256, event, streams, type Derivation } from '@exchange/domain';
import { EventStore } from '@exchange/event-store';
import { ExchangeKeyRing, generateParticipantKey } from '@exchange/signing';
import { buildChain, writeChainToStore } from '@exchange/synthetic';
import { Projector, ReadModel, RecordedFacts } from '@exchange/projections';
import { AccessService } from '../../apps/exchange/src/access/access.service';
import { Clock } from '../../apps/exchange/src/infrastructure/clock';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../apps/exchange/src/config';
import { FootprintReader } from '../../apps/exchange/src/features/footprints/footprints.queries';
import * as oldR from '../../apps/exchange/src/features/footprints/reproduce.before';
import * as newR from '../../apps/exchange/src/features/footprints/reproduce';
import * as oldV from '../../apps/exchange/src/features/footprints/verify.before';
import * as newV from '../../apps/exchange/src/features/footprints/verify';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { footprintDraft, registerParticipant, submitFootprint, type Participant } from '../support/participants';
import { attest, grant, pin, requestAndAnswer, type Submitted } from '../support/chain-steps';

const OWN = { rawMaterialAcquisition: '1.5', mainProduction: '2', distribution: '0.25', endOfLife: '0' };

describe('compare handlers before/after', () => {
  let exchange: TestExchange;
  let compared = 0;
  beforeAll(async () => (exchange = await startTestExchange()));
  afterAll(() => exchange.stop());

  const get = <T>(token: any): T => exchange.app.get(token, { strict: false });
  const handlers = (limits: Partial<ExchangeConfig['chainLimits']> = {}) => {
    const base = get<ExchangeConfig>(EXCHANGE_CONFIG);
    const config = { ...base, chainLimits: { ...base.chainLimits, ...limits } };
    const store = get<EventStore>(EventStore);
    const access = get<AccessService>(AccessService);
    const clock = get<Clock>(Clock);
    const reader = get<FootprintReader>(FootprintReader);
    const readModel = get<ReadModel>(ReadModel);
    const keys = get<ExchangeKeyRing>(ExchangeKeyRing);
    const recorded = get<RecordedFacts>(RecordedFacts);
    return {
      oldR: new oldR.ReproduceFootprintHandler(store, access, clock, config),
      newR: new newR.ReproduceFootprintHandler(store, access, clock, config),
      oldV: new oldV.VerifyFootprintHandler(reader, readModel, access, keys, recorded, config),
      newV: new newV.VerifyFootprintHandler(reader, readModel, access, keys, recorded, config),
    };
  };

  async function outcome(run: () => Promise<unknown>) {
    const store = get<EventStore>(EventStore);
    const before = await store.headPosition();
    let answer: string;
    try {
      answer = JSON.stringify(await run());
    } catch (error: any) {
      answer = `THROWN ${error?.name} ${error?.kind} ${error?.code} ${error?.message} ${JSON.stringify(error?.extra)}`;
    }
    const appended = (await store.readAll({ after: before })).map((e) => {
      const { readAt: _r, ...data } = e.data as any;
      return { streamId: e.streamId, type: e.type, data };
    });
    return { answer, appended: JSON.stringify(appended) };
  }

  async function compare(
    label: string,
    caller: string,
    footprintId: string,
    opts: { version?: number; asOf?: string; limits?: Partial<ExchangeConfig['chainLimits']> } = {},
  ) {
    const h = handlers(opts.limits);
    const r0 = await outcome(() => h.oldR.execute(new oldR.ReproduceFootprint(caller, footprintId, opts.version, opts.asOf)));
    const r1 = await outcome(() => h.newR.execute(new newR.ReproduceFootprint(caller, footprintId, opts.version, opts.asOf)));
    expect({ label, ...r1 }).toEqual({ label, ...r0 });
    if (opts.asOf === undefined) {
      const v0 = await outcome(() => h.oldV.execute(new oldV.VerifyFootprint(caller, footprintId, opts.version)));
      const v1 = await outcome(() => h.newV.execute(new newV.VerifyFootprint(caller, footprintId, opts.version)));
      expect({ label, ...v1 }).toEqual({ label, ...v0 });
      if (process.env.SHOW) console.log(label, r0.answer.slice(0, 300), v0.answer.slice(0, 300));
    }
    compared++;
  }

  it('hand-built chains through HTTP: lattice, mixed grants, rotation, attestations, versions, asOf', async () => {
    const a = await registerParticipant(exchange, 'A Mine');
    const b = await registerParticipant(exchange, 'B Refinery', ['supplier'], 'ES256');
    const c = await registerParticipant(exchange, 'C Cathode');
    const d = await registerParticipant(exchange, 'D Cell Maker', ['oem']);
    const cert = await registerParticipant(exchange, 'Cert', ['certifier']);
    const stranger = await registerParticipant(exchange, 'Stranger');
    const pa = await a.registerPart('A');
    const pb = await b.registerPart('B');
    const pc = await c.registerPart('C');
    const pd = await d.registerPart('D');
    await b.setBom(pb, [{ supplier: a, partId: pa, quantity: '2' }]);
    await c.setBom(pc, [
      { supplier: a, partId: pa, quantity: '3' },
      { supplier: b, partId: pb, quantity: '0.5' },
    ]);
    await d.setBom(pd, [
      { supplier: b, partId: pb, quantity: '1' },
      { supplier: c, partId: pc, quantity: '1.25' },
    ]);
    const fa = await submitFootprint(a, pa, OWN);
    await requestAndAnswer(b, a, pa, 'cfp', fa.id);
    await requestAndAnswer(c, a, pa, 'cfp', fa.id);
    const fb = await submitFootprint(b, pb, OWN, [pin(fa, '2')]);
    await requestAndAnswer(c, b, pb, 'cfp', fb.id);
    await requestAndAnswer(d, b, pb, 'cfp', fb.id);
    const fc = await submitFootprint(c, pc, OWN, [pin(fa, '3'), pin(fb, '0.5')]);
    await requestAndAnswer(d, c, pc, 'cfp', fc.id);
    const fd = await submitFootprint(d, pd, OWN, [pin(fb, '1'), pin(fc, '1.25')]);
    const all: Submitted[] = [fa, fb, fc, fd];
    const callers: [string, Participant][] = [
      ['a', a],
      ['b', b],
      ['c', c],
      ['d', d],
      ['cert', cert],
      ['stranger', stranger],
    ];
    const round = async (tag: string) => {
      for (const [name, p] of callers) for (const fp of all) await compare(`${tag} ${name} on ${fp.id === fd.id ? 'D' : fp.id}`, p.id, fp.id);
    };
    await round('no grants');
    await grant(d, 'footprint', fd.id, cert, 'verification', 'derivation');
    await grant(c, 'footprint', fc.id, cert, 'verification', 'document');
    await grant(b, 'footprint', fb.id, cert, 'verification', 'derivation');
    await grant(c, 'footprint', fc.id, d, 'downstream-aggregation', 'derivation');
    await round('some grants');
    await grant(a, 'footprint', fa.id, cert, 'verification', 'derivation');
    await grant(c, 'footprint', fc.id, cert, 'verification', 'derivation');
    await attest(cert, fd);
    await attest(cert, fb);
    await round('all to cert, attested');
    // key rotation for B; B v2 with the new key, pinning A v1
    const next = await generateParticipantKey('EdDSA');
    expect((await b.call('PUT', `/v1/organizations/${b.id}/jwks`, { keys: [next.publicJwk] })).status).toBe(200);
    const preview = await b.call('POST', '/v1/footprints/preview', { own: OWN, inputs: [{ footprintId: fa.id, version: 1, quantity: '2' }] });
    const draft = footprintDraft({ issuer: b.id, partId: pb, own: OWN, inputs: [pin(fa, '2')], total: preview.body.total, id: fb.id, version: 2 });
    const v2 = await b.call('POST', '/v1/footprints', { jws: await b.sign(draft.document, 'cfp+jws', next), derivation: draft.derivation });
    expect(v2.status).toBe(201);
    await round('after rotation');
    for (const [name, p] of callers) {
      await compare(`${name} B v1`, p.id, fb.id, { version: 1 });
      await compare(`${name} B v2`, p.id, fb.id, { version: 2 });
      await compare(`${name} B v3`, p.id, fb.id, { version: 3 });
      await compare(`${name} B asOf v1`, p.id, fb.id, { asOf: (fb as any).receivedAt ?? new Date(Date.now() - 1000).toISOString() });
      await compare(`${name} D asOf early`, p.id, fd.id, { asOf: '2000-01-01T00:00:00Z' });
      await compare(`${name} D asOf now`, p.id, fd.id, { asOf: new Date().toISOString() });
    }
    for (const limit of [0, 1, 2, 3, 4, 5]) {
      for (const [name, p] of callers)
        await compare(`${name} D limit ${limit}`, p.id, fd.id, { limits: { reproducedVersions: limit, verifiedVersions: limit } });
    }
    await compare('unknown', cert.id, randomUUID());
  });

  it('cycles and unreadable payloads written around the decider', async () => {
    const p = await registerParticipant(exchange, 'Cyclist');
    const q = await registerParticipant(exchange, 'Other');
    const part = await p.registerPart('CYC');
    const store = get<EventStore>(EventStore);
    const write = async (id: string, version: number, inputs: Derivation['inputs'], jwsOverride?: string) => {
      const derivation: Derivation = { salt: randomBytes(16).toString('base64url'), own: OWN, inputs };
      const total = { ...OWN, value: '3.75' };
      const document = {
        id,
        version,
        issuer: p.id,
        partId: part,
        declaredUnit: 'kilogram',
        validFrom: '2026-01-01T00:00:00Z',
        methodology: 'EU 2023/1542 CFP rules',
        total,
        derivationSha256: canonicalSha256(derivation),
      };
      const jws = jwsOverride ?? (await p.sign(document, 'cfp+jws'));
      const payloadSha256 = jwsOverride ? 'x' : canonicalSha256(document);
      await store.appendToStream(
        streams.footprint(id),
        [
          {
            id: randomUUID(),
            ...event('footprint.submitted', {
              footprintId: id,
              version,
              issuer: p.id,
              partId: part,
              jws,
              payloadSha256,
              document: document as any,
              derivation,
              receivedAt: new Date().toISOString(),
            }),
          },
        ],
        'any',
      );
      await get<Projector>(Projector).catchUp();
      return { id, version, payloadSha256 };
    };
    const x = randomUUID();
    const y = randomUUID();
    const x1 = await write(x, 1, [{ footprintId: y, version: 1, payloadSha256: 'not-yet', quantity: '2' }]);
    const y1 = await write(y, 1, [{ footprintId: x, version: 1, payloadSha256: x1.payloadSha256, quantity: '1' }]);
    await write(x, 2, [
      { footprintId: x, version: 1, payloadSha256: x1.payloadSha256, quantity: '1' },
      { footprintId: y, version: 1, payloadSha256: y1.payloadSha256, quantity: '1' },
    ]);
    const z = randomUUID();
    await write(z, 1, [{ footprintId: z, version: 1, payloadSha256: 'self', quantity: '1' }]);
    const u = randomUUID();
    await write(u, 1, [], 'garbage.no-json.sig');
    const w = randomUUID();
    await write(w, 1, [{ footprintId: u, version: 1, payloadSha256: 'x', quantity: '1' }]);
    for (const caller of [p, q]) {
      for (const [id, v] of [
        [x, 1],
        [x, 2],
        [y, 1],
        [z, 1],
        [u, 1],
        [w, 1],
      ] as const) {
        await compare(`cycle ${caller.name} ${id}@${v}`, caller.id, id, { version: v });
        for (const limit of [1, 2, 3]) await compare(`cycle ${caller.name} ${id}@${v} limit ${limit}`, caller.id, id, { version: v, limits: { reproducedVersions: limit, verifiedVersions: limit } });
      }
    }
  });

  it('synthetic lattice and tree written to the store', async () => {
    for (const shape of ['lattice', 'tree'] as const) {
      const chain = await buildChain({ tiers: 4, fanIn: 3, footprints: 40, shape, orgsPerTier: 3, auditor: true, seed: shape === 'tree' ? 7 : 8 });
      await writeChainToStore(get<EventStore>(EventStore), chain);
      await get<Projector>(Projector).catchUp();
      const callers = [chain.plan.auditor!.id, chain.plan.root.issuer, chain.plan.footprints[1]!.issuer, chain.plan.footprints[5]!.issuer];
      for (const caller of callers) {
        for (const f of [chain.plan.root, chain.plan.footprints[1]!, chain.plan.footprints[4]!, chain.plan.footprints[chain.plan.footprints.length - 1]!])
          await compare(`${shape} ${caller} ${f.index}`, caller, f.id);
        for (const limit of [5, 13, 39, 40, 41]) await compare(`${shape} ${caller} limit ${limit}`, caller, chain.plan.root.id, { limits: { reproducedVersions: limit, verifiedVersions: limit } });
      }
    }
    console.log(`compared ${compared} cases`);
  });
});

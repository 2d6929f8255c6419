import { DomainError } from '../errors';
import { diamond, HandBuiltChain, receiptChecker, signatureChecker, type KeyPeriods, type Written } from '../testing/chain-histories';
import type { LevelVisibility } from './chain';
import { verifyChain, type ChainToVerify, type ReceivedVersion, type SignatureOutcome } from './verify';

const SEES_ALL: LevelVisibility = { document: true, derivation: true };
const DOCUMENT_ONLY: LevelVisibility = { document: true, derivation: false };
const NOTHING: LevelVisibility = { document: false, derivation: false };

const T0 = '2025-01-01T00:00:00.000Z';
/** Every issuer of these tests, with one key each, `<issuer>-key`, valid from T0. */
const ORGANIZATIONS: Record<string, KeyPeriods> = Object.fromEntries(
  ['mine', 'refinery', 'cathode', 'cell', 'p', 'certifier'].map((id) => [id, { name: `Org ${id}`, keys: [{ kid: `${id}-key`, validFrom: T0 }] }]),
);

function chainOf(
  built: HandBuiltChain,
  over: {
    seen?: Record<string, LevelVisibility>;
    limit?: number;
    organizations?: Record<string, KeyPeriods>;
    versionOf?: ChainToVerify<ReceivedVersion>['versionOf'];
  } = {},
) {
  const checkSignature = signatureChecker(over.organizations ?? ORGANIZATIONS);
  const chain: ChainToVerify<ReceivedVersion> = {
    versionOf: over.versionOf ?? built.versionOf,
    visibility: (v) => over.seen?.[v.footprintId] ?? SEES_ALL,
    recorded: built.recorded,
    checkSignature,
    checkReceipt: receiptChecker,
    limit: over.limit ?? 1000,
  };
  return { chain, checkSignature };
}

const verify = (built: HandBuiltChain, root: Written, over: Parameters<typeof chainOf>[1] = {}) =>
  verifyChain(root.received, chainOf(built, over).chain);

const failed = (v: { checks: { name: string; ok: boolean; detail: string }[] }) => v.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

/** A → B → C, each pinning the one before. */
function simpleChain() {
  const built = new HandBuiltChain();
  const a = built.footprint({ id: 'a', issuer: 'mine' });
  const b = built.footprint({ id: 'b', issuer: 'refinery', inputs: [{ of: a, quantity: '2' }] });
  const c = built.footprint({ id: 'c', issuer: 'cathode', inputs: [{ of: b, quantity: '0.5' }] });
  return { built, a, b, c };
}

describe('verify over given footprint versions', () => {
  it('checks every signature and hash link of a simple chain, level after level down the pins', async () => {
    const { built, c } = simpleChain();
    built.attestation(c, 'certifier', 'certifier-key');

    const verification = await verify(built, c);

    expect(verification.ok).toBe(true);
    expect(verification.checks.map((check) => check.name)).toEqual([
      'c@1 issuer signature',
      'c@1 receipt',
      'c@1 attestation attestation-1-of-c',
      'c@1 attestation attestation-1-of-c hash link',
      'c@1 derivation hash',
      'c@1 input b@1 hash link',
      'b@1 issuer signature',
      'b@1 receipt',
      'b@1 derivation hash',
      'b@1 input a@1 hash link',
      'a@1 issuer signature',
      'a@1 receipt',
      'a@1 derivation hash',
    ]);
    expect(verification.checks[0]).toEqual({
      name: 'c@1 issuer signature',
      ok: true,
      detail: `signed by Org cathode with key cathode-key, valid at ${c.received.receivedAt}`,
    });
    expect(verification.checks[1]).toEqual({ name: 'c@1 receipt', ok: true, detail: `exchange receipt at position 7, ${c.received.receivedAt}` });
    expect(verification.reads.map(({ version, scope }) => `${version.footprintId} ${scope}`)).toEqual([
      'c derivation',
      'b document',
      'b derivation',
      'a document',
      'a derivation',
    ]);
  });

  it('names each broken link: a derivation that does not hash to the document, a pin of another payload, a missing input, a receipt of another version', async () => {
    const built = new HandBuiltChain();
    const a = built.footprint({ id: 'a', issuer: 'mine' });
    const b = built.footprint({
      id: 'b',
      issuer: 'refinery',
      inputs: [
        { of: { ...a.received, payloadSha256: 'another-payload', total: a.submitted.document.total }, quantity: '2' },
        { of: { footprintId: 'never-received', version: 1, payloadSha256: 'x', total: a.submitted.document.total }, quantity: '1' },
      ],
    });
    b.submitted.derivation = { ...b.submitted.derivation, salt: 'changed after signing' };
    const chain = chainOf(built).chain;
    chain.checkReceipt = async (v) => ({
      kind: 'verified',
      receipt: { documentId: v.footprintId, version: 9, payloadSha256: v.payloadSha256, position: '3', receivedAt: v.receivedAt },
    });

    const verification = await verifyChain(b.received, chain);

    expect(verification.ok).toBe(false);
    expect(failed(verification)).toEqual([
      `b@1 receipt: exchange receipt at position 3, ${b.received.receivedAt}`,
      'b@1 derivation hash: derivationSha256 is the SHA-256 of the canonical derivation',
      'b@1 input a@1 hash link: the pinned payloadSha256 matches the input as received',
      `a@1 receipt: exchange receipt at position 3, ${a.received.receivedAt}`,
      'b@1 input never-received@1 hash link: the pinned input is missing',
    ]);
  });

  it('checks a version reached by two paths once (a diamond), and each pin to it', async () => {
    const { built, d } = diamond();

    const verification = await verify(built, d);

    expect(verification.ok).toBe(true);
    const names = verification.checks.map((check) => check.name);
    expect(names.filter((name) => name.startsWith('a@1 '))).toEqual(['a@1 issuer signature', 'a@1 receipt', 'a@1 derivation hash']);
    expect(names.filter((name) => name.endsWith('input a@1 hash link'))).toEqual(['b@1 input a@1 hash link', 'c@1 input a@1 hash link']);
    // a is checked where the walk first meets it, under b.
    expect(names.indexOf('a@1 issuer signature')).toBeLessThan(names.indexOf('c@1 issuer signature'));
  });

  it('does not loop on a cycle, which no submission can make (input-cycle) but a history can hold: each version is checked once', async () => {
    const built = new HandBuiltChain();
    const x = built.footprint({
      id: 'x',
      issuer: 'p',
      inputs: [
        {
          of: {
            footprintId: 'y',
            version: 1,
            payloadSha256: 'y-to-come',
            total: { rawMaterialAcquisition: '1', mainProduction: '2', distribution: '0.5', endOfLife: '0', value: '3.5' },
          },
          quantity: '2',
        },
      ],
    });
    built.footprint({ id: 'y', issuer: 'p', inputs: [{ of: x, quantity: '1' }] });

    const verification = await verify(built, x);

    expect(verification.checks.map((check) => `${check.name} ${check.ok}`)).toEqual([
      'x@1 issuer signature true',
      'x@1 receipt true',
      'x@1 derivation hash true',
      'x@1 input y@1 hash link false',
      'y@1 issuer signature true',
      'y@1 receipt true',
      'y@1 derivation hash true',
      'y@1 input x@1 hash link true',
    ]);
  });

  it('checks nothing of a level whose document the caller may not see but the pin to it, and no derivation the caller may not see', async () => {
    const { built, c } = simpleChain();

    const hidden = await verify(built, c, { seen: { b: NOTHING } });
    expect(hidden.checks.map((check) => check.name)).toEqual([
      'c@1 issuer signature',
      'c@1 receipt',
      'c@1 derivation hash',
      'c@1 input b@1 hash link',
    ]);
    expect(hidden.reads.map(({ version, scope }) => `${version.footprintId} ${scope}`)).toEqual(['c derivation']);

    const documentOnly = await verify(built, c, { seen: { b: DOCUMENT_ONLY } });
    expect(documentOnly.checks.map((check) => check.name)).toEqual([
      'c@1 issuer signature',
      'c@1 receipt',
      'c@1 derivation hash',
      'c@1 input b@1 hash link',
      'b@1 issuer signature',
      'b@1 receipt',
    ]);
    expect(documentOnly.reads.map(({ version, scope }) => `${version.footprintId} ${scope}`)).toEqual(['c derivation', 'b document']);

    // The root's document is the caller's (it was authorized before); its derivation may not be.
    const rootDocumentOnly = await verify(built, c, { seen: { c: NOTHING } });
    expect(rootDocumentOnly.checks.map((check) => check.name)).toEqual(['c@1 issuer signature', 'c@1 receipt']);
    expect(rootDocumentOnly.reads).toEqual([]);
  });

  describe('key rotation: each signature against the key its issuer had when the exchange received it', () => {
    const ROTATED_AT = '2026-01-01T00:00:10.000Z';
    const organizations: Record<string, KeyPeriods> = {
      ...ORGANIZATIONS,
      refinery: {
        name: 'Org refinery',
        keys: [
          { kid: 'old', validFrom: T0, validUntil: ROTATED_AT },
          { kid: 'new', validFrom: ROTATED_AT },
        ],
      },
    };

    it('verifies a version signed with a key rotated out since, and one signed with the key that replaced it', async () => {
      const built = new HandBuiltChain();
      const before = built.footprint({ id: 'b', issuer: 'refinery', kid: 'old', receivedAt: '2026-01-01T00:00:05.000Z' });
      const after = built.footprint({ id: 'b', version: 2, issuer: 'refinery', kid: 'new', receivedAt: '2026-01-01T00:00:20.000Z' });
      const c = built.footprint({
        id: 'c',
        issuer: 'cathode',
        inputs: [
          { of: before, quantity: '1' },
          { of: after, quantity: '1' },
        ],
        receivedAt: '2026-01-01T00:00:30.000Z',
      });
      const { chain, checkSignature } = chainOf(built, { organizations });

      const verification = await verifyChain(c.received, chain);

      expect(failed(verification)).toEqual([]);
      expect(verification.checks.filter((check) => check.name.startsWith('b@')).map((check) => check.detail)).toContain(
        'signed by Org refinery with key old, valid at 2026-01-01T00:00:05.000Z',
      );
      expect(checkSignature.asked.filter((s) => s.issuer === 'refinery').map((s) => s.receivedAt)).toEqual([
        before.received.receivedAt,
        after.received.receivedAt,
      ]);
    });

    it('fails a version signed, after the rotation, with the key rotated out, with a key never registered, or by an unknown issuer', async () => {
      const built = new HandBuiltChain();
      const late = built.footprint({ id: 'b', issuer: 'refinery', kid: 'old', receivedAt: '2026-01-01T00:00:20.000Z' });
      const unknownKey = built.footprint({ id: 'u', issuer: 'refinery', kid: 'never-registered' });
      const stranger = built.footprint({ id: 's', issuer: 'nobody-registered' });
      const c = built.footprint({
        id: 'c',
        issuer: 'cathode',
        inputs: [
          { of: late, quantity: '1' },
          { of: unknownKey, quantity: '1' },
          { of: stranger, quantity: '1' },
        ],
      });

      const verification = await verify(built, c, { organizations });

      expect(verification.ok).toBe(false);
      expect(failed(verification)).toEqual([
        'b@1 issuer signature: no key "old" was valid for this issuer',
        'u@1 issuer signature: no key "never-registered" was valid for this issuer',
        's@1 issuer signature: issuer nobody-registered is unknown',
      ]);
    });

    it('checks an attestation against the key its certifier had when the attestation was received, not when the version was', async () => {
      const built = new HandBuiltChain();
      const b = built.footprint({ id: 'b', issuer: 'cathode', receivedAt: '2026-01-01T00:00:05.000Z' });
      built.attestation(b, 'refinery', 'new', '2026-01-01T00:00:20.000Z');

      const verification = await verify(built, b, { organizations });

      expect(failed(verification)).toEqual([]);
      expect(verification.checks[2]).toEqual({
        name: 'b@1 attestation attestation-1-of-b',
        ok: true,
        detail: 'signed by Org refinery with key new, valid at 2026-01-01T00:00:20.000Z',
      });
    });

    it('fails a signature whose payload does not hash to the payloadSha256 recorded', async () => {
      const built = new HandBuiltChain();
      const b = built.footprint({ id: 'b', issuer: 'cathode' });
      const { chain } = chainOf(built);
      const outcome: SignatureOutcome = { kind: 'verified', signerName: 'Org cathode', kid: 'cathode-key', payloadSha256: 'of another payload' };
      chain.checkSignature = async () => outcome;

      expect(failed(await verifyChain(b.received, chain))).toEqual([
        'b@1 issuer signature: the signed payload does not hash to the recorded payloadSha256',
      ]);
    });
  });

  it('refuses, chain-too-large naming the limit, a chain of more distinct versions than the limit, counting those the caller may not see', async () => {
    const { built, c } = simpleChain();

    expect((await verify(built, c, { limit: 3 })).ok).toBe(true);
    await expect(verify(built, c, { limit: 2 })).rejects.toEqual(
      expect.objectContaining({
        kind: 'unprocessable',
        code: 'chain-too-large',
        message: 'verifying this footprint would take in more than 2 distinct versions, the most one answer takes in',
        extra: { limit: 2 },
      }),
    );
    await expect(verify(built, c, { limit: 2, seen: { a: NOTHING } })).rejects.toBeInstanceOf(DomainError);
    expect((await verify(built, c, { limit: 2, seen: { b: DOCUMENT_ONLY } })).ok).toBe(true);
  });
});

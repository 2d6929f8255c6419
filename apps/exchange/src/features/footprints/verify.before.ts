import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { canonicalSha256 } from '@exchange/domain';
import { ExchangeKeyRing, keyResolverAt, verifyDocumentJws } from '@exchange/signing';
import { AccessService, type RecordedRead } from '../../access/access.service';
import { chainTooLarge } from '@exchange/domain';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';
import { ReadModel, RecordedFacts, type FootprintVersionView } from '@exchange/projections';
import { FootprintReader } from './footprints.queries';

export class VerifyFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly version?: number,
  ) {}
}

/** One verify call's walk down the chain: what it checked, which versions it visited, what it read. */
interface VerifyWalk {
  callerOrgId: string;
  checks: Check[];
  seen: Set<string>;
  reads: RecordedRead[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * Checks every signature on a footprint version (issuer, receipt, attestations), each against the
 * key valid when it was received, and every hash link down the chain the caller may see.
 */
@QueryHandler(VerifyFootprint)
export class VerifyFootprintHandler implements IQueryHandler<VerifyFootprint> {
  constructor(
    private readonly reader: FootprintReader,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly keys: ExchangeKeyRing,
    private readonly recorded: RecordedFacts,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ callerOrgId, footprintId, version }: VerifyFootprint) {
    const { version: root } = await this.reader.readDocument(callerOrgId, footprintId, version, 'verify');
    const walk: VerifyWalk = { callerOrgId, checks: [], seen: new Set(), reads: [] };
    await this.verifyLevel(walk, root, true);
    // What the walk read of the levels below (their documents and derivations) is recorded together.
    await this.access.recordReads(callerOrgId, walk.reads);
    return { ok: walk.checks.every((c) => c.ok), footprintId, version: root.version, checks: walk.checks };
  }

  private async verifyLevel(walk: VerifyWalk, v: FootprintVersionView, isRoot: boolean): Promise<void> {
    const { callerOrgId, checks, seen, reads } = walk;
    const at = `${v.footprintId}@${v.version}`;
    if (seen.has(at)) return;
    seen.add(at);
    if (seen.size > this.config.chainLimits.verifiedVersions)
      throw chainTooLarge('verifying this footprint', this.config.chainLimits.verifiedVersions);
    const resource = { type: 'footprint' as const, id: v.footprintId, ownerOrgId: v.issuer };
    if (!isRoot) {
      const documentRead = this.access.decide(callerOrgId, resource, { scope: 'document' });
      if (!documentRead.allowed) return;
      reads.push({ resource, decision: documentRead, what: 'document (verify)' });
    }
    const { jws, document, derivation } = await this.recorded.footprintVersion(v);
    checks.push(await this.signatureCheck(`${at} issuer signature`, jws, 'cfp+jws', v.issuer, v.receivedAt, v.payloadSha256));
    checks.push(await this.receiptCheck(`${at} receipt`, v));
    for (const a of this.readModel.footprints.get(v.footprintId)?.attestations.filter((x) => x.version === v.version) ?? []) {
      const attestation = await this.recorded.attestation(a);
      checks.push(
        await this.signatureCheck(
          `${at} attestation ${a.attestationId}`,
          attestation.jws,
          'attestation+jws',
          a.issuer,
          a.receivedAt,
          a.payloadSha256,
        ),
      );
      checks.push({
        name: `${at} attestation ${a.attestationId} hash link`,
        ok: attestation.document.payloadSha256 === v.payloadSha256,
        detail: 'the attestation names this version’s payloadSha256',
      });
    }
    const derivationRead = this.access.decide(callerOrgId, resource, { scope: 'derivation' });
    if (!derivationRead.allowed) return;
    reads.push({ resource, decision: derivationRead, what: 'derivation (verify)' });
    const derivationSha256 = canonicalSha256(derivation);
    checks.push({
      name: `${at} derivation hash`,
      ok: derivationSha256 === document.derivationSha256,
      detail: 'derivationSha256 is the SHA-256 of the canonical derivation',
    });
    for (const pinned of derivation.inputs) {
      const input = this.readModel.footprintVersion(pinned.footprintId, pinned.version);
      const name = `${at} input ${pinned.footprintId}@${pinned.version} hash link`;
      checks.push({
        name,
        ok: input?.payloadSha256 === pinned.payloadSha256,
        detail: input ? 'the pinned payloadSha256 matches the input as received' : 'the pinned input is missing',
      });
      if (input) await this.verifyLevel(walk, input, false);
    }
  }

  private async signatureCheck(name: string, jws: string, typ: string, issuer: string, receivedAt: string, payloadSha256: string): Promise<Check> {
    const org = this.readModel.organizations.get(issuer);
    if (!org) return { name, ok: false, detail: `issuer ${issuer} is unknown` };
    try {
      const verified = await verifyDocumentJws(jws, { expectedTyp: typ, resolveKey: keyResolverAt(org.keys, receivedAt) });
      const ok = verified.payloadSha256 === payloadSha256;
      return {
        name,
        ok,
        detail: ok
          ? `signed by ${org.name} with key ${verified.header.kid}, valid at ${receivedAt}`
          : 'the signed payload does not hash to the recorded payloadSha256',
      };
    } catch (error) {
      return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private async receiptCheck(name: string, v: FootprintVersionView): Promise<Check> {
    try {
      const receipt = await this.keys.verifyReceipt(await this.reader.receipt(v));
      const ok = receipt.documentId === v.footprintId && receipt.version === v.version && receipt.payloadSha256 === v.payloadSha256;
      return { name, ok, detail: `exchange receipt at position ${receipt.position}, ${receipt.receivedAt}` };
    } catch (error) {
      return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }
}

import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  verifyChain,
  type LevelVisibility,
  type ReceiptOutcome,
  type RecordedVersion,
  type SignatureOutcome,
  type SignatureToCheck,
} from '@exchange/domain';
import { ExchangeKeyRing, keyResolverAt, verifyDocumentJws } from '@exchange/signing';
import { AccessService, type AllowedRead, type ProtectedResource, type RecordedRead } from '../../access/access.service';
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

/** What the caller may read of one footprint, decided once per call. */
interface FootprintVisibility extends LevelVisibility {
  resource: ProtectedResource;
  documentRead?: AllowedRead;
  derivationRead?: AllowedRead;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Checks every signature on a footprint version and every hash link down the chain the caller may
 * see (`verifyChain`, libs/domain), over the versions the read model received and the facts the
 * event store recorded of them; the signatures are checked here, with libs/signing.
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
    const visibility = this.visibilityFor(callerOrgId);
    const { ok, checks, reads } = await verifyChain(root, {
      versionOf: (pinned) => this.readModel.footprints.version(pinned.footprintId, pinned.version),
      visibility,
      recorded: (v) => this.recordedVersion(v),
      checkSignature: (signature) => this.checkSignature(signature),
      checkReceipt: (v) => this.checkReceipt(v),
      limit: this.config.chainLimits.verifiedVersions,
    });
    // What the walk read of the levels below (their documents and derivations) is recorded together.
    await this.access.recordReads(
      callerOrgId,
      reads.map(({ version: v, scope }): RecordedRead => {
        const { resource, documentRead, derivationRead } = visibility(v);
        return scope === 'document'
          ? { resource, decision: documentRead!, what: 'document (verify)' }
          : { resource, decision: derivationRead!, what: 'derivation (verify)' };
      }),
    );
    return { ok, footprintId, version: root.version, checks };
  }

  /** What the caller may read of each footprint: asked of the access policy once per footprint and call. */
  private visibilityFor(callerOrgId: string): (v: FootprintVersionView) => FootprintVisibility {
    const known = new Map<string, FootprintVisibility>();
    return (v) => {
      let visibility = known.get(v.footprintId);
      if (visibility) return visibility;
      const resource = { type: 'footprint' as const, id: v.footprintId, ownerOrgId: v.issuer };
      const documentRead = this.access.decide(callerOrgId, resource, { scope: 'document' });
      const derivationRead = this.access.decide(callerOrgId, resource, { scope: 'derivation' });
      visibility = {
        resource,
        document: documentRead.allowed,
        derivation: derivationRead.allowed,
        ...(documentRead.allowed && { documentRead }),
        ...(derivationRead.allowed && { derivationRead }),
      };
      known.set(v.footprintId, visibility);
      return visibility;
    };
  }

  private async recordedVersion(v: FootprintVersionView): Promise<RecordedVersion> {
    const submitted = await this.recorded.footprintVersion(v);
    const attestations = this.readModel.footprints.get(v.footprintId)?.attestations.filter((a) => a.version === v.version) ?? [];
    return { submitted, attestations: await Promise.all(attestations.map((a) => this.recorded.attestation(a))) };
  }

  /** A participant's signature, against the key its issuer had registered when the exchange received the document. */
  private async checkSignature({ jws, typ, issuer, receivedAt }: SignatureToCheck): Promise<SignatureOutcome> {
    const org = this.readModel.organizations.get(issuer);
    if (!org) return { kind: 'unknown-issuer' };
    try {
      const verified = await verifyDocumentJws(jws, { expectedTyp: typ, resolveKey: keyResolverAt(org.keys, receivedAt) });
      return { kind: 'verified', signerName: org.name, kid: verified.header.kid, payloadSha256: verified.payloadSha256 };
    } catch (error) {
      return { kind: 'refused', reason: messageOf(error) };
    }
  }

  private async checkReceipt(v: FootprintVersionView): Promise<ReceiptOutcome> {
    try {
      return { kind: 'verified', receipt: await this.keys.verifyReceipt(await this.reader.receipt(v)) };
    } catch (error) {
      return { kind: 'refused', reason: messageOf(error) };
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { chainTooLarge, forbidden, notFound, type Derivation, type PinnedInput } from '@exchange/domain';
import { AccessService, type RecordedRead } from '../../access/access.service';
import { Receipts } from '../../access/receipts';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';
import { ReadModel, RecordedFacts, type AttestationView, type FootprintVersionView, type FootprintView } from '@exchange/projections';

export class GetFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly version?: number,
  ) {}
}
export class ListFootprintVersions {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
  ) {}
}
export class GetDerivation {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly version: number | undefined,
    readonly depth: number,
  ) {}
}
export class ListAttestations {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
  ) {}
}

const hidden = () => notFound('footprint-not-found', 'no such footprint');
const statusOf = (footprint: FootprintView, version: FootprintVersionView) =>
  version.version === footprint.versions[footprint.versions.length - 1]!.version ? 'active' : 'superseded';

/** Finding a footprint version the caller may read; anything else is a 404. */
@Injectable()
export class FootprintReader {
  constructor(
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly receipts: Receipts,
    private readonly recorded: RecordedFacts,
  ) {}

  find(footprintId: string, version?: number): { footprint: FootprintView; version: FootprintVersionView } | undefined {
    const footprint = this.readModel.footprints.get(footprintId);
    const found = this.readModel.footprints.version(footprintId, version);
    return footprint && found && { footprint, version: found };
  }

  /**
   * A read of a footprint's document the caller asked for: an unknown footprint is a 404 with
   * nothing recorded; a refusal is recorded in its audit trail and answered 404; a version that
   * does not exist is a 404 too, recorded as nothing read.
   */
  async readDocument(callerOrgId: string, footprintId: string, version: number | undefined, what: string) {
    const footprint = this.readModel.footprints.get(footprintId);
    if (!footprint) throw hidden();
    const resource = this.resource(footprint);
    const decision = this.access.authorize(callerOrgId, resource, { scope: 'document' }, what, hidden);
    const found = this.readModel.footprints.version(footprintId, version);
    if (!found) throw hidden();
    await this.access.recordRead(callerOrgId, resource, decision, what);
    return { footprint, version: found };
  }

  resource(footprint: FootprintView) {
    return { type: 'footprint' as const, id: footprint.id, ownerOrgId: footprint.issuer };
  }

  receipt(v: FootprintVersionView): Promise<string> {
    return this.receipts.receiptFor({
      documentId: v.footprintId,
      version: v.version,
      payloadSha256: v.payloadSha256,
      position: v.position,
      receivedAt: v.receivedAt,
    });
  }

  /** The footprint's attestations (of one version, when given), as recorded. */
  attestations(footprint: FootprintView, version?: number) {
    const shown = version === undefined ? footprint.attestations : footprint.attestations.filter((a) => a.version === version);
    return Promise.all(shown.map((a) => this.renderAttestation(a)));
  }

  private async renderAttestation(a: AttestationView) {
    const { document, jws } = await this.recorded.attestation(a);
    return {
      id: a.attestationId,
      issuer: a.issuer,
      version: a.version,
      result: a.result,
      standard: document.standard,
      validUntil: document.validUntil,
      payloadSha256: a.payloadSha256,
      jws,
      receivedAt: a.receivedAt,
    };
  }
}

@QueryHandler(GetFootprint)
export class GetFootprintHandler implements IQueryHandler<GetFootprint> {
  constructor(
    private readonly reader: FootprintReader,
    private readonly recorded: RecordedFacts,
  ) {}

  async execute({ callerOrgId, footprintId, version }: GetFootprint) {
    const { footprint, version: v } = await this.reader.readDocument(callerOrgId, footprintId, version, 'document');
    const { document, jws, derivation } = await this.recorded.footprintVersion(v);
    return {
      id: footprint.id,
      version: v.version,
      issuer: footprint.issuer,
      status: statusOf(footprint, v),
      document,
      jws,
      payloadSha256: v.payloadSha256,
      receipt: await this.reader.receipt(v),
      receivedAt: v.receivedAt,
      attestations: await this.reader.attestations(footprint, v.version),
      ...(callerOrgId === footprint.issuer && { derivation }),
    };
  }
}

@QueryHandler(ListFootprintVersions)
export class ListFootprintVersionsHandler implements IQueryHandler<ListFootprintVersions> {
  constructor(private readonly reader: FootprintReader) {}

  async execute({ callerOrgId, footprintId }: ListFootprintVersions) {
    const { footprint } = await this.reader.readDocument(callerOrgId, footprintId, undefined, 'versions');
    return {
      items: footprint.versions.map((v) => ({
        version: v.version,
        payloadSha256: v.payloadSha256,
        status: statusOf(footprint, v),
        receivedAt: v.receivedAt,
      })),
    };
  }
}

@QueryHandler(ListAttestations)
export class ListAttestationsHandler implements IQueryHandler<ListAttestations> {
  constructor(private readonly reader: FootprintReader) {}

  async execute({ callerOrgId, footprintId }: ListAttestations) {
    const { footprint } = await this.reader.readDocument(callerOrgId, footprintId, undefined, 'attestations');
    return { items: await this.reader.attestations(footprint) };
  }
}

interface DerivationInputView extends PinnedInput {
  document?: unknown;
  derivation?: DerivationView;
  /** JSON Pointer (RFC 6901) into this answer to the entry that shows this input version. */
  expandedAt?: string;
}
interface DerivationView {
  derivation: unknown;
  inputs: DerivationInputView[];
}

/** A derivation whose inputs are still to be listed in the answer, and where it stands in it. */
interface PendingLevel {
  view: DerivationView;
  derivation: Derivation;
  pointer: string;
}

/**
 * A derivation and its inputs: each input's document where the caller may read it and, down to
 * `depth` levels, the input's own derivation where the caller holds scope derivation on it. Each
 * input version is shown once, where the walk (level by level) first meets it, so at its
 * shallowest; wherever else it is pinned, its entry points there with `expandedAt`. So a lattice
 * of shared suppliers answers in the size of its distinct versions, not of its paths.
 */
@QueryHandler(GetDerivation)
export class GetDerivationHandler implements IQueryHandler<GetDerivation> {
  constructor(
    private readonly reader: FootprintReader,
    private readonly readModel: ReadModel,
    private readonly access: AccessService,
    private readonly recorded: RecordedFacts,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ callerOrgId, footprintId, version, depth }: GetDerivation) {
    const footprint = this.readModel.footprints.get(footprintId);
    if (!footprint) throw hidden();
    const resource = this.reader.resource(footprint);
    // A reader of the document without the derivation (scope document only) is told 403; anybody else 404.
    const decision = this.access.authorize(callerOrgId, resource, { scope: 'derivation' }, 'derivation', (reason) =>
      reason === 'insufficient-scope' ? forbidden('derivation-not-granted', 'you may read this footprint but not its derivation') : hidden(),
    );
    const found = this.readModel.footprints.version(footprintId, version);
    if (!found) throw hidden();
    // Every read of the answer is recorded together, once it is known: one commit, however deep.
    const reads: RecordedRead[] = [{ resource, decision, what: 'derivation' }];
    const view = await this.expand(callerOrgId, (await this.recorded.footprintVersion(found)).derivation, depth, reads);
    await this.access.recordReads(callerOrgId, reads);
    return { footprintId, version: found.version, ...view };
  }

  private async expand(callerOrgId: string, derivation: Derivation, depth: number, reads: RecordedRead[]): Promise<DerivationView> {
    const top: DerivationView = { derivation, inputs: [] };
    const shownAt = new Map<string, string>();
    let level: PendingLevel[] = [{ view: top, derivation, pointer: '' }];
    for (let remaining = depth; level.length > 0; remaining--) {
      const next: PendingLevel[] = [];
      for (const { view, derivation: listed, pointer } of level) {
        for (const [index, pinned] of listed.inputs.entries()) {
          const entryPointer = `${pointer}/inputs/${index}`;
          const { footprintId, version, payloadSha256, quantity } = pinned;
          const entry: DerivationInputView = { footprintId, version, payloadSha256, quantity };
          view.inputs.push(entry);
          const key = `${footprintId}@${version}`;
          const shown = shownAt.get(key);
          if (shown !== undefined) {
            entry.expandedAt = shown;
            continue;
          }
          shownAt.set(key, entryPointer);
          if (shownAt.size > this.config.chainLimits.derivationInputs)
            throw chainTooLarge(`this derivation to depth ${depth}`, this.config.chainLimits.derivationInputs);
          const opened = await this.show(callerOrgId, entry, remaining > 1, reads);
          if (opened) next.push({ view: entry.derivation!, derivation: opened, pointer: `${entryPointer}/derivation` });
        }
      }
      level = next;
    }
    return top;
  }

  /** Fills in an input's document where readable and, when `open`, its derivation where granted; answers the derivation opened. */
  private async show(callerOrgId: string, entry: DerivationInputView, open: boolean, reads: RecordedRead[]): Promise<Derivation | undefined> {
    const input = this.reader.find(entry.footprintId, entry.version);
    if (!input) return undefined;
    const resource = this.reader.resource(input.footprint);
    const documentRead = this.access.decide(callerOrgId, resource, { scope: 'document' });
    const derivationRead = open ? this.access.decide(callerOrgId, resource, { scope: 'derivation' }) : undefined;
    if (!documentRead.allowed && !derivationRead?.allowed) return undefined;
    // The input's recorded event holds both its document and its derivation: read once.
    const recorded = await this.recorded.footprintVersion(input.version);
    if (documentRead.allowed) {
      reads.push({ resource, decision: documentRead, what: 'document (as an input)' });
      entry.document = recorded.document;
    }
    if (!derivationRead?.allowed) return undefined;
    reads.push({ resource, decision: derivationRead, what: 'derivation (as an input)' });
    entry.derivation = { derivation: recorded.derivation, inputs: [] };
    return recorded.derivation;
  }
}

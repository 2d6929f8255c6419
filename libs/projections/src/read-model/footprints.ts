import type { DomainEvent } from '@exchange/domain';
import type { FootprintVersionView, FootprintView, VersionRef } from '../views';
import type { Organizations } from './organizations';
import type { Parts } from './parts';
import { appended, NO_ITEMS, push, type AppliedAt, type Mutable, type Projection } from './shared';

/** Footprints, their versions and attestations, and which versions pin which. */
export class Footprints implements Projection {
  readonly handles = ['footprint.submitted', 'attestation.created'] as const;
  private readonly byId = new Map<string, Mutable<FootprintView>>();
  /** Keyed by the pinned version (a version can only pin versions recorded before it). */
  private readonly pinners = new Map<FootprintVersionView, readonly FootprintVersionView[]>();

  constructor(
    private readonly organizations: Organizations,
    private readonly parts: Parts,
  ) {}

  get(id: string): FootprintView | undefined {
    return this.byId.get(id);
  }

  sharedId(id: string): string {
    return this.byId.get(id)?.id ?? id;
  }

  /** A version of a footprint, or its latest when `version` is not given. */
  version(footprintId: string, version?: number): FootprintVersionView | undefined {
    const footprint = this.byId.get(footprintId);
    if (!footprint) return undefined;
    return version === undefined ? footprint.versions[footprint.versions.length - 1] : footprint.versions.find((v) => v.version === version);
  }

  /** Footprint versions whose derivation pins the given version. */
  pinnersOf(footprintId: string, version: number): readonly VersionRef[] {
    const pinned = this.version(footprintId, version);
    return (pinned && this.pinners.get(pinned)) ?? NO_ITEMS;
  }

  /** Every footprint id reachable through pinned inputs from a version (not including itself). */
  upstreamIds(footprintId: string, version: number): Set<string> {
    const seen = new Set<string>();
    const walk = (id: string, v: number) => {
      for (const input of this.version(id, v)?.inputs ?? []) {
        const key = `${input.footprintId}@${input.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        walk(input.footprintId, input.version);
      }
    };
    walk(footprintId, version);
    return new Set([...seen].map((key) => key.slice(0, key.lastIndexOf('@'))));
  }

  apply(e: DomainEvent, { position, revision }: AppliedAt): void {
    switch (e.type) {
      case 'footprint.submitted': {
        const d = e.data;
        const footprint = this.byId.get(d.footprintId) ?? {
          id: d.footprintId,
          issuer: this.organizations.sharedId(d.issuer),
          partId: this.parts.sharedId(d.partId),
          versions: [],
          attestations: [],
        };
        const inputs =
          d.derivation.inputs.length === 0
            ? NO_ITEMS
            : d.derivation.inputs.map((input): VersionRef => ({ footprintId: this.sharedId(input.footprintId), version: input.version }));
        const version: Mutable<FootprintVersionView> = {
          footprintId: footprint.id,
          version: d.version,
          issuer: footprint.issuer,
          partId: footprint.partId,
          payloadSha256: d.payloadSha256,
          total: d.document.total,
          inputs,
          receivedAt: d.receivedAt,
          position,
          revision,
        };
        if (d.document.validUntil !== undefined) version.validUntil = d.document.validUntil;
        footprint.versions = appended(footprint.versions, version);
        this.byId.set(footprint.id, footprint);
        for (const input of inputs) {
          const pinned = this.version(input.footprintId, input.version);
          if (pinned) push(this.pinners, pinned, version);
        }
        return;
      }
      case 'attestation.created': {
        const d = e.data;
        const footprint = this.byId.get(d.footprintId);
        if (footprint)
          footprint.attestations = appended(footprint.attestations, {
            attestationId: d.attestationId,
            footprintId: footprint.id,
            version: d.version,
            issuer: this.organizations.sharedId(d.issuer),
            result: d.result,
            payloadSha256: d.payloadSha256,
            validUntil: d.document.validUntil,
            receivedAt: d.receivedAt,
            position,
            revision,
          });
        return;
      }
    }
  }
}

import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  FootprintHistories,
  footprintStreamsToRead,
  notFound,
  reproduceChain,
  streams,
  type LevelVisibility,
  type ReplayedVersion,
} from '@exchange/domain';
import { EventStore } from '@exchange/event-store';
import { AccessService, type AllowedRead, type ProtectedResource, type RecordedRead } from '../../access/access.service';
import { Clock } from '../../infrastructure/clock';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';

export class ReproduceFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly version?: number,
    readonly asOf?: string,
  ) {}
}

/** How many footprint streams are read from the store at a time. */
const STREAMS_PER_READ = 256;

const hidden = () => notFound('footprint-not-found', 'no such footprint');

/** What the caller may read of one footprint, decided once per call. */
interface FootprintVisibility extends LevelVisibility {
  issuer: string;
  resource: ProtectedResource;
  /** The decision for its derivation, when allowed. */
  derivationRead?: AllowedRead;
}

/**
 * Rebuilds a footprint's aggregation from the event history alone (never the read model), as of
 * an instant: the footprint streams are read from the store tier by tier and handed to
 * `reproduceChain` (libs/domain), with what the access policy lets the caller see of each level.
 */
@QueryHandler(ReproduceFootprint)
export class ReproduceFootprintHandler implements IQueryHandler<ReproduceFootprint> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AccessService,
    private readonly clock: Clock,
    @Inject(EXCHANGE_CONFIG) private readonly config: ExchangeConfig,
  ) {}

  async execute({ callerOrgId, footprintId, version, asOf }: ReproduceFootprint) {
    const histories = new FootprintHistories(asOf === undefined ? undefined : new Date(asOf).toISOString());
    await this.give(histories, [footprintId]);
    const issuer = histories.issuer(footprintId);
    if (issuer === undefined) throw hidden();
    const resource = { type: 'footprint' as const, id: footprintId, ownerOrgId: issuer };
    const decision = this.access.authorize(callerOrgId, resource, { scope: 'document' }, 'reproduce', hidden);
    const root = histories.version(footprintId, version);
    if (!root) throw hidden();
    const visibility = this.visibilityFor(callerOrgId);
    const chain = { histories, visibility, limit: this.config.chainLimits.reproducedVersions };
    for (const footprintIds of footprintStreamsToRead(root, chain)) await this.give(histories, footprintIds);
    const reproduction = reproduceChain(root, chain);
    const derivationReads = reproduction.derivationsOpened
      .filter((opened) => opened.issuer !== callerOrgId)
      .map((opened): RecordedRead => {
        const { resource: read, derivationRead } = visibility(opened);
        return { resource: read, decision: derivationRead!, what: 'derivation (reproduce)' };
      });
    // What the call read is recorded together, once the answer stands: a few events in one commit,
    // whatever the size of the chain.
    await this.access.recordReads(callerOrgId, [{ resource, decision, what: 'reproduce' }, ...derivationReads]);
    return {
      reproduced: true,
      footprintId,
      version: root.version,
      total: reproduction.total,
      payloadSha256: reproduction.payloadSha256,
      matchesRecorded: reproduction.matchesRecorded,
      eventsReplayed: reproduction.eventsReplayed,
      levels: reproduction.levels.map(({ footprintId: id, version: v, recomputed, matchesRecorded }) => ({
        footprintId: id,
        version: v,
        recomputed,
        matchesRecorded,
      })),
    };
  }

  /** Reads footprint streams from the store, a set of streams per call, and gives them to the histories. */
  private async give(histories: FootprintHistories, footprintIds: string[]): Promise<void> {
    for (let start = 0; start < footprintIds.length; start += STREAMS_PER_READ) {
      const ids = footprintIds.slice(start, start + STREAMS_PER_READ);
      const read = await this.store.readStreams(ids.map(streams.footprint));
      for (const id of ids) histories.give(id, read.get(streams.footprint(id)) ?? []);
    }
  }

  /**
   * What the caller may read of each footprint: asked of the access policy once per footprint and
   * call, at the call's one instant (a version by another issuer than the first seen is asked again).
   */
  private visibilityFor(callerOrgId: string): (replayed: ReplayedVersion) => FootprintVisibility {
    const now = this.clock.now();
    const known = new Map<string, FootprintVisibility>();
    return (replayed) => {
      const first = known.get(replayed.footprintId);
      if (first?.issuer === replayed.issuer) return first;
      const resource = { type: 'footprint' as const, id: replayed.footprintId, ownerOrgId: replayed.issuer };
      const derivationRead = this.access.decide(callerOrgId, resource, { scope: 'derivation' }, now);
      const document = derivationRead.allowed || this.access.canRead(callerOrgId, resource, { scope: 'document' }, now);
      const visibility: FootprintVisibility = {
        issuer: replayed.issuer,
        resource,
        document,
        derivation: derivationRead.allowed,
        ...(derivationRead.allowed && { derivationRead }),
      };
      if (!first) known.set(replayed.footprintId, visibility);
      return visibility;
    };
  }
}

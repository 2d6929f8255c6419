import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { aggregateTotal, canonicalSha256, firstMismatch, notFound, sha256Base64Url, streams, type FootprintDocument, type FootprintSubmitted, type Total } from '@exchange/domain';
import { EventStore, type StoredEvent } from '@exchange/event-store';
import { AccessService } from '../../access/access.service';

export class ReproduceFootprint {
  constructor(readonly callerOrgId: string, readonly footprintId: string, readonly version?: number, readonly asOf?: string) {}
}

interface LevelResult {
  footprintId: string;
  version: number;
  total: Total;
  payloadSha256: string;
  recomputed: boolean;
  matchesRecorded: boolean;
}

/** Reads footprint streams from the event store (never the read model), as of an instant, counting what it replays per stream. */
class HistoryReplay {
  /** Events replayed per footprint stream, as of the instant. */
  readonly replayed = new Map<string, number>();
  private readonly streamsRead = new Map<string, StoredEvent[]>();
  private readonly submissionsAsOf = new Map<string, FootprintSubmitted[]>();

  constructor(private readonly store: EventStore, private readonly asOf?: string) {}

  /** Who issued the footprint (its first version, whenever that was), or undefined when it does not exist. */
  async issuer(footprintId: string): Promise<string | undefined> {
    const first = (await this.stream(footprintId)).find((e) => e.type === 'footprint.submitted');
    return first && (first.data as FootprintSubmitted).issuer;
  }

  async submission(footprintId: string, version?: number): Promise<FootprintSubmitted | undefined> {
    let versions = this.submissionsAsOf.get(footprintId);
    if (!versions) {
      const events = (await this.stream(footprintId)).filter((e) => this.asOf === undefined || receivedAtOf(e) <= this.asOf);
      this.replayed.set(footprintId, events.length);
      versions = events.filter((e) => e.type === 'footprint.submitted').map((e) => e.data as FootprintSubmitted);
      this.submissionsAsOf.set(footprintId, versions);
    }
    return version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  }

  private async stream(footprintId: string): Promise<StoredEvent[]> {
    let events = this.streamsRead.get(footprintId);
    if (!events) {
      events = await this.store.readStream(streams.footprint(footprintId));
      this.streamsRead.set(footprintId, events);
    }
    return events;
  }
}

const hidden = () => notFound('footprint-not-found', 'no such footprint');

/** When the exchange received a fact: the time it signed in the receipt, else when the store committed it. */
const receivedAtOf = (e: StoredEvent) => (e.data as { receivedAt?: string }).receivedAt ?? e.recordedAt;

/** One reproduce call's walk down the chain. */
interface Walk {
  callerOrgId: string;
  replay: HistoryReplay;
  levels: LevelResult[];
  visited: Map<string, Promise<LevelResult>>;
  audits: Promise<unknown>[];
}

const payloadTextOf = (jws: string) => Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8');

/**
 * Rebuilds a footprint's aggregation from the event history alone: every level whose derivation
 * the caller may read is recomputed (own + Σ quantity × input total) from the replayed documents;
 * other levels contribute their replayed signed total, linked by hash. Only levels whose document
 * the caller may read are reported.
 */
@QueryHandler(ReproduceFootprint)
export class ReproduceFootprintHandler implements IQueryHandler<ReproduceFootprint> {
  constructor(private readonly store: EventStore, private readonly access: AccessService) {}

  async execute({ callerOrgId, footprintId, version, asOf }: ReproduceFootprint) {
    const replay = new HistoryReplay(this.store, asOf === undefined ? undefined : new Date(asOf).toISOString());
    const issuer = await replay.issuer(footprintId);
    if (issuer === undefined) throw hidden();
    const resource = { type: 'footprint' as const, id: footprintId, ownerOrgId: issuer };
    const decision = await this.access.authorize(callerOrgId, resource, { scope: 'document' }, 'reproduce', hidden);
    const root = await replay.submission(footprintId, version);
    if (!root) throw hidden();
    await this.access.recordRead(callerOrgId, resource, decision, 'reproduce');
    const walk: Walk = { callerOrgId, replay, levels: [], visited: new Map(), audits: [] };
    const top = await this.level(walk, root, new Set());
    // The derivation reads are recorded together: concurrent appends share one commit.
    await Promise.all(walk.audits);
    const levels = walk.levels;
    return {
      reproduced: true,
      footprintId,
      version: root.version,
      total: top.total,
      payloadSha256: top.payloadSha256,
      matchesRecorded: levels.every((l) => l.matchesRecorded) && top.matchesRecorded,
      // Only the histories of levels the caller may read are counted: how many events an upstream
      // history holds (its versions, its attestations) is not the caller's to know.
      eventsReplayed: [...new Set([footprintId, ...levels.map((l) => l.footprintId)])].reduce((sum, id) => sum + (replay.replayed.get(id) ?? 0), 0),
      levels: levels.map(({ footprintId: id, version: v, recomputed, matchesRecorded }) => ({ footprintId: id, version: v, recomputed, matchesRecorded })),
    };
  }

  /** Each footprint version is reproduced once per call, however many paths lead to it. */
  private level(walk: Walk, submitted: FootprintSubmitted, path: Set<string>): Promise<LevelResult> {
    // An ancestor on the path is still being reproduced: awaiting it would wait on itself.
    if (path.has(submitted.footprintId)) return this.reproduceLevel(walk, submitted, path);
    const key = `${submitted.footprintId}@${submitted.version}`;
    let result = walk.visited.get(key);
    if (!result) {
      result = this.reproduceLevel(walk, submitted, path);
      walk.visited.set(key, result);
    }
    return result;
  }

  private async reproduceLevel(walk: Walk, submitted: FootprintSubmitted, path: Set<string>): Promise<LevelResult> {
    const { callerOrgId, replay, levels } = walk;
    const payloadText = payloadTextOf(submitted.jws);
    const payloadSha256 = sha256Base64Url(payloadText);
    const document = JSON.parse(payloadText) as FootprintDocument;
    const resource = { type: 'footprint' as const, id: submitted.footprintId, ownerOrgId: submitted.issuer };
    const readable = this.access.canRead(callerOrgId, resource, { scope: 'document' });
    const derivationVisible = this.access.canRead(callerOrgId, resource, { scope: 'derivation' });
    let total = document.total;
    let linksHold = payloadSha256 === submitted.payloadSha256;
    if (derivationVisible && !path.has(submitted.footprintId)) {
      if (callerOrgId !== submitted.issuer) walk.audits.push(this.access.read(callerOrgId, resource, { scope: 'derivation' }, 'derivation (reproduce)'));
      const { derivation } = submitted;
      linksHold &&= canonicalSha256(derivation) === document.derivationSha256;
      const weighted = [];
      for (const pinned of derivation.inputs) {
        const input = await replay.submission(pinned.footprintId, pinned.version);
        if (!input) {
          linksHold = false;
          continue;
        }
        const child = await this.level(walk, input, new Set([...path, submitted.footprintId]));
        linksHold &&= child.payloadSha256 === pinned.payloadSha256 && child.matchesRecorded;
        weighted.push({ quantity: pinned.quantity, total: child.total });
      }
      total = aggregateTotal(derivation.own, weighted);
    }
    const result: LevelResult = {
      footprintId: submitted.footprintId,
      version: submitted.version,
      total,
      payloadSha256,
      recomputed: derivationVisible,
      matchesRecorded: linksHold && firstMismatch(document.total, total) === null,
    };
    if (readable) levels.push(result);
    return result;
  }
}

import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import {
  aggregateTotal,
  canonicalSha256,
  firstMismatch,
  notFound,
  sha256Base64Url,
  streams,
  type Derivation,
  type FootprintDocument,
  type FootprintSubmitted,
  type Total,
} from '@exchange/domain';
import { EventStore, type StoredEvent } from '@exchange/event-store';
import { AccessService, type AllowedRead, type ProtectedResource, type RecordedRead } from '../../access/access.service';
import { Clock } from '../../infrastructure/clock';
import { chainTooLarge } from '@exchange/domain';
import { EXCHANGE_CONFIG, type ExchangeConfig } from '../../config';

export class ReproduceFootprint {
  constructor(
    readonly callerOrgId: string,
    readonly footprintId: string,
    readonly version?: number,
    readonly asOf?: string,
  ) {}
}

interface LevelResult {
  footprintId: string;
  version: number;
  total: Total;
  payloadSha256: string;
  recomputed: boolean;
  matchesRecorded: boolean;
}

/**
 * One footprint version as replayed from its `footprint.submitted` event, its signed payload
 * already decoded and re-hashed: what the walk needs of it, without the rest of the event.
 */
interface ReplayedVersion {
  footprintId: string;
  version: number;
  issuer: string;
  /** Recorded in the event. */
  recordedPayloadSha256: string;
  /** Recomputed from the signed payload, and what the signed document says; or why they could not be. */
  signed?: SignedFacts;
  unreadable?: unknown;
  derivation: Derivation;
  /** Whether the walk reached it (read ahead), and its result once reproduced. */
  reached?: boolean;
  result?: LevelResult;
}

interface SignedFacts {
  payloadSha256: string;
  total: Total;
  derivationSha256: string;
}

/** What the replay keeps of one footprint stream, as of the instant. */
interface ReplayedStream {
  /** Events replayed, as of the instant. */
  replayed: number;
  /** Who issued its first version, whenever that was. */
  issuer?: string;
  versions: ReplayedVersion[];
}

/** How many footprint streams are read from the store at a time. */
const STREAMS_PER_READ = 256;

/**
 * Reads footprint streams from the event store (never the read model), as of an instant, counting
 * what it replays per stream. Streams are read ahead, a set at a time, and each version's signed
 * payload is decoded and re-hashed as it is read, so only what the walk needs is kept.
 */
class HistoryReplay {
  private readonly streamsRead = new Map<string, ReplayedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly asOf?: string,
  ) {}

  /** Reads the streams of those footprints not read yet, a set of streams per call to the store. */
  async read(footprintIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(footprintIds)].filter((id) => !this.streamsRead.has(id));
    for (let start = 0; start < missing.length; start += STREAMS_PER_READ) {
      const ids = missing.slice(start, start + STREAMS_PER_READ);
      const read = await this.store.readStreams(ids.map(streams.footprint));
      for (const id of ids) this.streamsRead.set(id, this.replayStream(read.get(streams.footprint(id)) ?? []));
    }
  }

  /** Who issued the footprint (its first version, whenever that was), or undefined when it does not exist. */
  async issuer(footprintId: string): Promise<string | undefined> {
    await this.read([footprintId]);
    return this.stream(footprintId).issuer;
  }

  /** A version as of the instant (the last one when none is named), from a stream already read. */
  submission(footprintId: string, version?: number): ReplayedVersion | undefined {
    const { versions } = this.stream(footprintId);
    return version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  }

  /** Events replayed of a stream already read, as of the instant. */
  replayed(footprintId: string): number {
    return this.streamsRead.get(footprintId)?.replayed ?? 0;
  }

  private stream(footprintId: string): ReplayedStream {
    const stream = this.streamsRead.get(footprintId);
    if (!stream) throw new Error(`footprint stream ${footprintId} was not read ahead`);
    return stream;
  }

  private replayStream(events: StoredEvent[]): ReplayedStream {
    const first = events.find((e) => e.type === 'footprint.submitted');
    const asOf = this.asOf === undefined ? events : events.filter((e) => receivedAtOf(e) <= this.asOf!);
    const versions = asOf.filter((e) => e.type === 'footprint.submitted').map((e) => replayVersion(e.data as FootprintSubmitted));
    return { replayed: asOf.length, ...(first && { issuer: (first.data as FootprintSubmitted).issuer }), versions };
  }
}

/**
 * Decodes and re-hashes the signed payload as the stream is read (the rest of the event is then
 * let go); a payload that cannot be read fails the walk only if the walk reaches that version.
 */
function replayVersion(submitted: FootprintSubmitted): ReplayedVersion {
  const { footprintId, version, issuer, payloadSha256: recordedPayloadSha256, derivation } = submitted;
  const replayed: ReplayedVersion = { footprintId, version, issuer, recordedPayloadSha256, derivation };
  try {
    const payloadText = payloadTextOf(submitted.jws);
    const { total, derivationSha256 } = JSON.parse(payloadText) as FootprintDocument;
    replayed.signed = { payloadSha256: sha256Base64Url(payloadText), total, derivationSha256 };
  } catch (error) {
    replayed.unreadable = error;
  }
  return replayed;
}

function signedOf(replayed: ReplayedVersion): SignedFacts {
  if (replayed.signed === undefined) throw replayed.unreadable;
  return replayed.signed;
}

const hidden = () => notFound('footprint-not-found', 'no such footprint');

/** When the exchange received a fact: the time it signed in the receipt, else when the store committed it. */
const receivedAtOf = (e: StoredEvent) => (e.data as { receivedAt?: string }).receivedAt ?? e.recordedAt;

/** The second part of a compact JWS, decoded (what `jws.split('.')[1] ?? ''` decodes, without the other parts). */
const payloadTextOf = (jws: string) => {
  const start = jws.indexOf('.') + 1;
  if (start === 0) return '';
  const end = jws.indexOf('.', start);
  return Buffer.from(end < 0 ? jws.slice(start) : jws.slice(start, end), 'base64url').toString('utf8');
};

/** What the caller may read of one footprint (decided once per call). */
interface Visibility {
  issuer: string;
  resource: ProtectedResource;
  readable: boolean;
  /** The decision for its derivation, when allowed. */
  derivation?: AllowedRead;
}

/** One reproduce call's walk down the chain. */
interface Walk {
  callerOrgId: string;
  /** The instant at which the walk's access decisions are taken. */
  now: string;
  replay: HistoryReplay;
  levels: LevelResult[];
  /** Footprint ids of the levels being reproduced, from the root down to the current one. */
  path: Set<string>;
  visibility: Map<string, Visibility>;
  /** What the call read (the root's document, then each derivation), recorded together once the walk is done. */
  reads: RecordedRead[];
}

/**
 * Rebuilds a footprint's aggregation from the event history alone: every level whose derivation
 * the caller may read is recomputed (own + Σ quantity × input total) from the replayed documents;
 * other levels contribute their replayed signed total, linked by hash. Only levels whose document
 * the caller may read are reported.
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
    const replay = new HistoryReplay(this.store, asOf === undefined ? undefined : new Date(asOf).toISOString());
    const issuer = await replay.issuer(footprintId);
    if (issuer === undefined) throw hidden();
    const resource = { type: 'footprint' as const, id: footprintId, ownerOrgId: issuer };
    const decision = this.access.authorize(callerOrgId, resource, { scope: 'document' }, 'reproduce', hidden);
    const root = replay.submission(footprintId, version);
    if (!root) throw hidden();
    const walk: Walk = {
      callerOrgId,
      now: this.clock.now(),
      replay,
      levels: [],
      path: new Set(),
      visibility: new Map(),
      reads: [{ resource, decision, what: 'reproduce' }],
    };
    await this.readAhead(walk, root);
    const top = this.level(walk, root);
    // What the call read is recorded together, once the answer stands: a few events in one commit,
    // whatever the size of the chain.
    await this.access.recordReads(callerOrgId, walk.reads);
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
      eventsReplayed: [...new Set([footprintId, ...levels.map((l) => l.footprintId)])].reduce((sum, id) => sum + replay.replayed(id), 0),
      levels: levels.map(({ footprintId: id, version: v, recomputed, matchesRecorded }) => ({
        footprintId: id,
        version: v,
        recomputed,
        matchesRecorded,
      })),
    };
  }

  /**
   * Reads, tier by tier, every footprint stream the walk will open: the inputs of each version
   * whose derivation the caller may read, a set of streams per call to the store.
   */
  private async readAhead(walk: Walk, root: ReplayedVersion): Promise<void> {
    root.reached = true;
    let tier = [root];
    let reached = 0;
    while (tier.length > 0) {
      reached += tier.length;
      if (reached > this.config.chainLimits.reproducedVersions)
        throw chainTooLarge('reproducing this footprint', this.config.chainLimits.reproducedVersions);
      const opened = tier.filter((replayed) => this.visibility(walk, replayed).derivation !== undefined);
      await walk.replay.read(opened.flatMap((replayed) => replayed.derivation.inputs.map((pinned) => pinned.footprintId)));
      const next: ReplayedVersion[] = [];
      for (const replayed of opened) {
        for (const pinned of replayed.derivation.inputs) {
          const input = walk.replay.submission(pinned.footprintId, pinned.version);
          if (!input || input.reached) continue;
          input.reached = true;
          next.push(input);
        }
      }
      tier = next;
    }
  }

  /** What the caller may read of a footprint: asked of the access policy once per footprint and call. */
  private visibility(walk: Walk, replayed: ReplayedVersion): Visibility {
    const known = walk.visibility.get(replayed.footprintId);
    if (known?.issuer === replayed.issuer) return known;
    const resource = { type: 'footprint' as const, id: replayed.footprintId, ownerOrgId: replayed.issuer };
    const derivation = this.access.decide(walk.callerOrgId, resource, { scope: 'derivation' }, walk.now);
    const readable = derivation.allowed || this.access.canRead(walk.callerOrgId, resource, { scope: 'document' }, walk.now);
    const visibility = { issuer: replayed.issuer, resource, readable, ...(derivation.allowed && { derivation }) };
    if (!known) walk.visibility.set(replayed.footprintId, visibility);
    return visibility;
  }

  /** Each footprint version is reproduced once per call, however many paths lead to it. */
  private level(walk: Walk, replayed: ReplayedVersion): LevelResult {
    // An ancestor on the path is still being reproduced: it cannot be waited for.
    if (walk.path.has(replayed.footprintId)) return this.reproduceLevel(walk, replayed);
    return (replayed.result ??= this.reproduceLevel(walk, replayed));
  }

  private reproduceLevel(walk: Walk, replayed: ReplayedVersion): LevelResult {
    const { callerOrgId, replay, levels, path } = walk;
    const signed = signedOf(replayed);
    const { resource, readable, derivation: derivationRead } = this.visibility(walk, replayed);
    let total = signed.total;
    let linksHold = signed.payloadSha256 === replayed.recordedPayloadSha256;
    if (derivationRead && !path.has(replayed.footprintId)) {
      if (callerOrgId !== replayed.issuer) walk.reads.push({ resource, decision: derivationRead, what: 'derivation (reproduce)' });
      const { derivation } = replayed;
      linksHold &&= canonicalSha256(derivation) === signed.derivationSha256;
      const weighted = [];
      path.add(replayed.footprintId);
      for (const pinned of derivation.inputs) {
        const input = replay.submission(pinned.footprintId, pinned.version);
        if (!input) {
          linksHold = false;
          continue;
        }
        const child = this.level(walk, input);
        linksHold &&= child.payloadSha256 === pinned.payloadSha256 && child.matchesRecorded;
        weighted.push({ quantity: pinned.quantity, total: child.total });
      }
      path.delete(replayed.footprintId);
      total = aggregateTotal(derivation.own, weighted);
    }
    const result: LevelResult = {
      footprintId: replayed.footprintId,
      version: replayed.version,
      total,
      payloadSha256: signed.payloadSha256,
      recomputed: derivationRead !== undefined,
      matchesRecorded: linksHold && firstMismatch(signed.total, total) === null,
    };
    if (readable) levels.push(result);
    return result;
  }
}

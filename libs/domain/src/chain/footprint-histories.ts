import { sha256Base64Url } from '../canonical';
import type { Derivation, FootprintDocument, FootprintSubmitted } from '../events';
import { toDomainEvent, type RecordedEvent } from '../recorded-event';
import type { Total } from '../stages';

/** A recorded event and when the store committed it. */
export interface CommittedEvent extends RecordedEvent {
  recordedAt: string;
}

/** What a version's signed payload says, and the hash of that payload, recomputed. */
export interface SignedFacts {
  payloadSha256: string;
  total: Total;
  derivationSha256: string;
}

/**
 * One footprint version as replayed from its `footprint.submitted` event, its signed payload
 * already decoded and re-hashed: what a walk down the chain needs of it, without the rest of the event.
 */
export interface ReplayedVersion {
  footprintId: string;
  version: number;
  issuer: string;
  /** As recorded in the event. */
  recordedPayloadSha256: string;
  derivation: Derivation;
  /** What the signed payload says; or, when it could not be read, why (`unreadable`). */
  signed?: SignedFacts;
  unreadable?: unknown;
}

/** What the replay keeps of one footprint stream. */
interface ReplayedStream {
  eventsReplayed: number;
  /** Who issued its first version, whenever that was. */
  issuer?: string;
  versions: ReplayedVersion[];
}

/**
 * The footprint streams given to a walk, replayed as of an instant (all of each stream when there
 * is none). Each stream is folded as it is given, so of its events only what a walk needs is kept.
 */
export class FootprintHistories {
  private readonly replayed = new Map<string, ReplayedStream>();

  /** `asOf`: an ISO 8601 instant in UTC, compared with the events' receipt times as a string. */
  constructor(readonly asOf?: string) {}

  /** Takes in the recorded events of one footprint's stream, in their order. */
  give(footprintId: string, events: readonly CommittedEvent[]): void {
    this.replayed.set(footprintId, replayStream(events, this.asOf));
  }

  has(footprintId: string): boolean {
    return this.replayed.has(footprintId);
  }

  /** Who issued the footprint (its first version, whenever that was), or undefined when it has none. */
  issuer(footprintId: string): string | undefined {
    return this.stream(footprintId).issuer;
  }

  /** A version as of the instant (the last one when none is named). */
  version(footprintId: string, version?: number): ReplayedVersion | undefined {
    const { versions } = this.stream(footprintId);
    return version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  }

  /** How many events of the stream were replayed, as of the instant (none of a stream not given). */
  eventsReplayed(footprintId: string): number {
    return this.replayed.get(footprintId)?.eventsReplayed ?? 0;
  }

  private stream(footprintId: string): ReplayedStream {
    const stream = this.replayed.get(footprintId);
    if (!stream) throw new Error(`footprint stream ${footprintId} was not given`);
    return stream;
  }
}

function replayStream(events: readonly CommittedEvent[], asOf: string | undefined): ReplayedStream {
  let first: FootprintSubmitted | undefined;
  let eventsReplayed = 0;
  const versions: ReplayedVersion[] = [];
  for (const e of events) {
    const submitted = submittedOf(e);
    first ??= submitted;
    if (asOf !== undefined && receivedAtOf(e) > asOf) continue;
    eventsReplayed++;
    if (submitted) versions.push(replayVersion(submitted));
  }
  return { eventsReplayed, ...(first && { issuer: first.issuer }), versions };
}

function submittedOf(recorded: RecordedEvent): FootprintSubmitted | undefined {
  const e = toDomainEvent(recorded);
  return e?.type === 'footprint.submitted' ? e.data : undefined;
}

/** When the exchange received a fact: the time it signed in the receipt, else when the store committed it. */
const receivedAtOf = (e: CommittedEvent) => (e.data as { receivedAt?: string }).receivedAt ?? e.recordedAt;

/**
 * Decodes and re-hashes the signed payload; a payload that cannot be read fails a walk only if the
 * walk reaches that version.
 */
function replayVersion(submitted: FootprintSubmitted): ReplayedVersion {
  const { footprintId, version, issuer, payloadSha256: recordedPayloadSha256, derivation } = submitted;
  const replayed: ReplayedVersion = { footprintId, version, issuer, recordedPayloadSha256, derivation };
  try {
    const payloadText = jwsPayloadText(submitted.jws);
    const { total, derivationSha256 } = JSON.parse(payloadText) as FootprintDocument;
    replayed.signed = { payloadSha256: sha256Base64Url(payloadText), total, derivationSha256 };
  } catch (error) {
    replayed.unreadable = error;
  }
  return replayed;
}

/**
 * The payload of a compact JWS (its second part) decoded as UTF-8, with no check of the signature;
 * '' when there is no second part.
 */
export function jwsPayloadText(jws: string): string {
  const start = jws.indexOf('.') + 1;
  if (start === 0) return '';
  const end = jws.indexOf('.', start);
  return Buffer.from(end < 0 ? jws.slice(start) : jws.slice(start, end), 'base64url').toString('utf8');
}

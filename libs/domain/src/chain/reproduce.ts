import { canonicalSha256 } from '../canonical';
import { aggregateTotal, firstMismatch, type Total, type WeightedInput } from '../stages';
import { chainTooLarge, type LevelVisibility } from './chain';
import type { FootprintHistories, ReplayedVersion, SignedFacts } from './footprint-histories';

/** What a reproduce is given: the footprint histories, what the caller may see of each version, and how many versions it may take in. */
export interface ChainToReproduce {
  histories: FootprintHistories;
  visibility: (version: ReplayedVersion) => LevelVisibility;
  limit: number;
}

export interface ReproducedLevel {
  footprintId: string;
  version: number;
  total: Total;
  payloadSha256: string;
  recomputed: boolean;
  matchesRecorded: boolean;
}

export interface Reproduction {
  total: Total;
  payloadSha256: string;
  /** Whether every hash link and every recomputed total holds. */
  matchesRecorded: boolean;
  /** Events replayed of the root's stream and of the streams of the levels shown, each stream once. */
  eventsReplayed: number;
  /** The levels whose document the caller may see, inputs before the versions that pin them. */
  levels: ReproducedLevel[];
  /** The versions whose derivation was opened to recompute them, in the order they were opened. */
  derivationsOpened: ReplayedVersion[];
}

/**
 * The footprint streams reproducing `root` needs, tier by tier: the inputs of every version reached
 * whose derivation the caller may see. Each value lists streams not given yet; give them to
 * `chain.histories` before asking for the next. Reaching more than `chain.limit` distinct versions
 * is a chain-too-large.
 */
export function* footprintStreamsToRead(root: ReplayedVersion, chain: ChainToReproduce): Generator<string[], void, undefined> {
  const { histories, visibility, limit } = chain;
  const reached = new Set([root]);
  let tier = [root];
  while (tier.length > 0) {
    if (reached.size > limit) throw chainTooLarge('reproducing this footprint', limit);
    const pinned = tier.filter((replayed) => visibility(replayed).derivation).flatMap((replayed) => replayed.derivation.inputs);
    const notGiven = [...new Set(pinned.map((input) => input.footprintId))].filter((footprintId) => !histories.has(footprintId));
    if (notGiven.length > 0) yield notGiven;
    tier = [];
    for (const { footprintId, version } of pinned) {
      const input = histories.version(footprintId, version);
      if (!input || reached.has(input)) continue;
      reached.add(input);
      tier.push(input);
    }
  }
}

/**
 * Rebuilds a footprint's aggregation from its history alone, once its streams are given
 * (`footprintStreamsToRead`): every level whose derivation the caller may see is recomputed
 * (own + Σ quantity × input total); every other level contributes its signed total, linked by
 * hash. Each version is reproduced once, however many paths lead to it.
 */
export function reproduceChain(root: ReplayedVersion, chain: ChainToReproduce): Reproduction {
  const walk = new ReproduceWalk(chain);
  const top = walk.level(root);
  const { levels, derivationsOpened } = walk;
  const shownStreams = new Set([root.footprintId, ...levels.map((level) => level.footprintId)]);
  return {
    total: top.total,
    payloadSha256: top.payloadSha256,
    matchesRecorded: levels.every((level) => level.matchesRecorded) && top.matchesRecorded,
    // How many events an upstream history holds (its versions, its attestations) is not the caller's to know.
    eventsReplayed: [...shownStreams].reduce((sum, footprintId) => sum + chain.histories.eventsReplayed(footprintId), 0),
    levels,
    derivationsOpened,
  };
}

class ReproduceWalk {
  readonly levels: ReproducedLevel[] = [];
  readonly derivationsOpened: ReplayedVersion[] = [];
  private readonly reproduced = new Map<ReplayedVersion, ReproducedLevel>();
  /** Footprint ids of the levels being reproduced, from the root down to the current one. */
  private readonly path = new Set<string>();

  constructor(private readonly chain: ChainToReproduce) {}

  level(replayed: ReplayedVersion): ReproducedLevel {
    // A footprint met again below itself (a cycle, which no submission can make) is still being
    // reproduced: it cannot be waited for, so it stands for its signed total there.
    if (this.path.has(replayed.footprintId)) return this.reproduceLevel(replayed);
    let level = this.reproduced.get(replayed);
    if (!level) this.reproduced.set(replayed, (level = this.reproduceLevel(replayed)));
    return level;
  }

  private reproduceLevel(replayed: ReplayedVersion): ReproducedLevel {
    const signed = signedFactsOf(replayed);
    const visibility = this.chain.visibility(replayed);
    const recomputed = visibility.derivation && !this.path.has(replayed.footprintId) ? this.recompute(replayed, signed) : undefined;
    const total = recomputed?.total ?? signed.total;
    const linksHold = signed.payloadSha256 === replayed.recordedPayloadSha256 && (recomputed?.linksHold ?? true);
    const level: ReproducedLevel = {
      footprintId: replayed.footprintId,
      version: replayed.version,
      total,
      payloadSha256: signed.payloadSha256,
      recomputed: visibility.derivation,
      matchesRecorded: linksHold && firstMismatch(signed.total, total) === null,
    };
    if (visibility.document) this.levels.push(level);
    return level;
  }

  /** The level's total from its derivation and its inputs, and whether every hash link below it holds. */
  private recompute(replayed: ReplayedVersion, signed: SignedFacts): { total: Total; linksHold: boolean } {
    this.derivationsOpened.push(replayed);
    const { derivation } = replayed;
    let linksHold = canonicalSha256(derivation) === signed.derivationSha256;
    const weighted: WeightedInput[] = [];
    this.path.add(replayed.footprintId);
    for (const pinned of derivation.inputs) {
      const input = this.chain.histories.version(pinned.footprintId, pinned.version);
      if (!input) {
        linksHold = false;
        continue;
      }
      const level = this.level(input);
      linksHold &&= level.payloadSha256 === pinned.payloadSha256 && level.matchesRecorded;
      weighted.push({ quantity: pinned.quantity, total: level.total });
    }
    this.path.delete(replayed.footprintId);
    return { total: aggregateTotal(derivation.own, weighted), linksHold };
  }
}

function signedFactsOf(replayed: ReplayedVersion): SignedFacts {
  if (replayed.signed === undefined) throw replayed.unreadable;
  return replayed.signed;
}

import type { DomainEvent, EventType } from '@exchange/domain';

/** Where an applied event stands: its global position and its revision within its stream. */
export interface AppliedAt {
  position: bigint;
  revision: number;
}

/** One view of the read model: it folds the events it cares about and answers questions about them. */
export interface Projection {
  /** The event types it folds; the read model hands it only these. */
  readonly handles: readonly EventType[];
  apply(e: DomainEvent, at: AppliedAt): void;
}

/** The view's own mutable record of what it shows read-only. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One instance of each of the few values that repeat across views (types, purposes, units). */
export class SharedWords {
  private readonly words = new Map<string, string>();

  word<T extends string>(value: T): T {
    const known = this.words.get(value);
    if (known !== undefined) return known as T;
    this.words.set(value, value);
    return value;
  }
}

export const NO_ITEMS: readonly never[] = Object.freeze([]);

export function push<K, V>(map: Map<K, readonly V[]>, key: K, value: V): void {
  const list = map.get(key);
  map.set(key, list ? appended(list, value) : [value]);
}

const SHORT_LIST = 16;

/**
 * The list with the value appended. Most lists here stay short (a resource's grants, a footprint's
 * versions), and a push grows a short array to 17 slots; copying keeps it at its exact length.
 */
export function appended<V>(list: readonly V[], value: V): readonly V[] {
  if (list.length >= SHORT_LIST) {
    (list as V[]).push(value);
    return list;
  }
  return list.concat([value]);
}

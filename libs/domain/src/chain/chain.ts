import { unprocessable } from '../errors';

/**
 * What the caller may see of one footprint version, as the access policy decides it: its signed
 * document, and its derivation (the trade secret: own figures and pinned inputs).
 */
export interface LevelVisibility {
  document: boolean;
  derivation: boolean;
}

/** A footprint version by id and version, as a derivation pins it. */
export interface VersionRef {
  footprintId: string;
  version: number;
}

/**
 * A walk down a supply chain takes each distinct version in once, however many paths lead to it;
 * beyond `limit` of them the answer is a 422 naming the limit.
 */
export const chainTooLarge = (what: string, limit: number) =>
  unprocessable('chain-too-large', `${what} would take in more than ${limit} distinct versions, the most one answer takes in`, { limit });

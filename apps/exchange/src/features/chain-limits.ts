import { unprocessable } from '@exchange/domain';

/**
 * How many distinct things one answer walking a supply chain may touch. Every walk visits each
 * footprint version (or DD report version) once, however many paths lead to it, so its work is
 * bounded by these numbers; beyond them the answer is a 422 `chain-too-large` naming the limit.
 */
export const CHAIN_LIMITS = {
  /** Distinct input versions shown by one `GET /v1/footprints/{id}/derivation?depth=N`. */
  derivationInputs: 10_000,
  /** Distinct footprint versions checked by one `GET /v1/footprints/{id}/verify`. */
  verifiedVersions: 10_000,
  /** Distinct footprint versions replayed by one `POST /v1/footprints/{id}/reproduce`. */
  reproducedVersions: 200_000,
  /** Distinct DD report versions linked into one `GET /v1/dd-reports/{id}/rollup`. */
  rolledUpReports: 10_000,
} as const;

export const chainTooLarge = (what: string, limit: number) =>
  unprocessable('chain-too-large', `${what} would take in more than ${limit} distinct versions, the most one answer takes in`, { limit });

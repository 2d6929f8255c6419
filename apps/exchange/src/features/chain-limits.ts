/**
 * How many distinct things one answer walking a supply chain may take in. Every walk visits each
 * footprint version (or DD report version) once, however many paths lead to it, so its work is
 * bounded by these numbers; beyond them the answer is a 422 `chain-too-large` naming the limit.
 */
export interface ChainLimits {
  /** Distinct input versions shown by one `GET /v1/footprints/{id}/derivation?depth=N`. */
  derivationInputs: number;
  /** Distinct footprint versions checked by one `GET /v1/footprints/{id}/verify`. */
  verifiedVersions: number;
  /** Distinct footprint versions replayed by one `POST /v1/footprints/{id}/reproduce`. */
  reproducedVersions: number;
  /** Distinct DD report versions linked into one `GET /v1/dd-reports/{id}/rollup`. */
  rolledUpReports: number;
}

/** The defaults, and the environment variables that change them. */
export const CHAIN_LIMIT_SETTINGS: readonly { key: keyof ChainLimits; env: string; fallback: number }[] = [
  { key: 'derivationInputs', env: 'MAX_DERIVATION_INPUTS', fallback: 10_000 },
  { key: 'verifiedVersions', env: 'MAX_VERIFIED_VERSIONS', fallback: 10_000 },
  { key: 'reproducedVersions', env: 'MAX_REPRODUCED_VERSIONS', fallback: 200_000 },
  { key: 'rolledUpReports', env: 'MAX_ROLLED_UP_REPORTS', fallback: 10_000 },
];

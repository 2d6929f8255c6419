export { SeededRandom, randomSeed } from './random';
export {
  planChain,
  tierWidths,
  bomOf,
  tierOf,
  storeEventCount,
  type ChainShape,
  type ChainSpec,
  type ResolvedChainSpec,
  type ChainPlan,
  type PlannedOrganization,
  type PlannedFootprint,
  type PlannedInput,
} from './plan';
export {
  buildChain,
  keyOf,
  signWithOrgKey,
  signFootprint,
  signChainTiers,
  signExtraFootprints,
  METHODOLOGY,
  type Chain,
  type SignedFootprint,
  type SignOptions,
  type ExtraFootprint,
} from './sign';
export {
  writeChainToStore,
  writeChainToDataDir,
  EMBEDDED_EVENTS_FILE,
  SyntheticClock,
  type WrittenChain,
  type WriteChainOptions,
} from './store-writer';
export {
  driveChainOverHttp,
  callExchange,
  accessToken,
  forEachLimit,
  type HttpTarget,
  type HttpAnswer,
  type DriveOptions,
  type DrivenChain,
} from './http-driver';

export { SignatureError, TokenError, KeyHistoryError, type SignatureErrorCode, type TokenErrorCode, type KeyHistoryErrorCode } from './errors';
export {
  publicJwkProblem,
  jwksProblem,
  thumbprintKid,
  generateParticipantKey,
  algorithmOfKey,
  normalizePublicJwk,
  sameKeyMaterial,
  SIGNING_ALGORITHMS,
  MAX_KEYS_PER_JWKS,
  type SigningAlgorithm,
  type PublicJwk,
  type JsonWebKeySet,
  type ParticipantKey,
} from './jwk';
export { applyKeySet, keyValidAt, keyResolverAt, currentKeys, retiredKeys, type KeyRecord, type KeyHistory } from './key-history';
export { verifyDocumentJws, decodeJwsUnverified, type DocumentJwsHeader, type VerifiedDocument, type VerifyDocumentOptions } from './document-jws';
export { signDocument, type SignDocumentOptions } from './sign';
export {
  ExchangeKeyRing,
  RECEIPT_TYP,
  ACCESS_TOKEN_TYP,
  DEFAULT_ISSUER,
  DEFAULT_AUDIENCE,
  type Receipt,
  type ExchangePublicJwk,
  type AccessTokenRequest,
  type VerifiedAccessToken,
  type ExchangeKeyRingOptions,
} from './exchange-keys';
export { EXCHANGE_KEYS_FILE } from './exchange-key-file';
export { hasLowS, toLowS } from './ecdsa-low-s';

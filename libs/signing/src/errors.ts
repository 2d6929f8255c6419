/** Why a signed document was refused. Stable kebab-case names that callers may switch on. */
export type SignatureErrorCode =
  | 'malformed-jws'
  | 'unsupported-algorithm'
  | 'wrong-typ'
  | 'missing-kid'
  | 'embedded-key-refused'
  | 'unsupported-crit'
  | 'unsupported-b64'
  | 'unknown-key'
  | 'key-algorithm-mismatch'
  | 'bad-signature'
  | 'high-s-signature'
  | 'malformed-payload'
  | 'payload-not-canonical';

export class SignatureError extends Error {
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** Why an exchange access token was refused. */
export type TokenErrorCode = 'token-expired' | 'token-not-yet-valid' | 'token-invalid' | 'token-wrong-audience' | 'token-wrong-issuer';

export class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Why a key set could not be applied to an organization's key history. */
export type KeyHistoryErrorCode = 'invalid-jwks' | 'invalid-time' | 'time-went-backwards' | 'kid-reused';

export class KeyHistoryError extends Error {
  constructor(
    readonly code: KeyHistoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyHistoryError';
  }
}

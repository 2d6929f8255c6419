import { canonicalJson } from '@exchange/domain/canonical';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { CompactSign, FlattenedSign, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { verifyDocumentJws } from './document-jws';
import { SignatureError, TokenError } from './errors';
import {
  exchangeKeyFilePath,
  readExchangeKeyFile,
  writeExchangeKeyFileAtomically,
  type ExchangeKeyFile,
  type StoredExchangeKey,
} from './exchange-key-file';
import { isPlainObject, thumbprintKid, type JsonWebKeySet } from './jwk';
import { VerifiedTokenCache } from './verified-token-cache';

export const RECEIPT_TYP = 'receipt+jws';
export const ACCESS_TOKEN_TYP = 'at+jwt';
export const DEFAULT_ISSUER = 'urn:battery-exchange';
export const DEFAULT_AUDIENCE = 'urn:battery-exchange:api';
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

/** What the exchange acknowledges having received. `position` is the global event position, as a decimal string. */
export interface Receipt {
  documentId: string;
  version: number;
  payloadSha256: string;
  position: string;
  receivedAt: string;
}

export interface ExchangePublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface AccessTokenRequest {
  sub: string;
  roles: readonly string[];
  ttlSeconds: number;
}

export interface VerifiedAccessToken {
  sub: string;
  roles: string[];
  exp: number;
}

export interface ExchangeKeyRingOptions {
  issuer?: string;
  audience?: string;
  /** The ring's notion of now, for issuing and checking tokens; tests move it. */
  clock?: () => Date;
  clockToleranceSeconds?: number;
}

interface RingKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: ExchangePublicJwk;
}

/**
 * The exchange's own Ed25519 keys: one current key signs receipts and access tokens; every key in
 * the ring verifies (so that a future rotation keeps old receipts and tokens verifiable).
 */
export class ExchangeKeyRing {
  readonly issuer: string;
  readonly audience: string;
  private readonly clock: () => Date;
  private readonly clockToleranceSeconds: number;
  private readonly keysByKid: Map<string, RingKey>;
  private readonly verifiedTokens = new VerifiedTokenCache();

  private constructor(
    keys: RingKey[],
    private readonly current: RingKey,
    options: ExchangeKeyRingOptions,
  ) {
    this.keysByKid = new Map(keys.map((key) => [key.kid, key]));
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.audience = options.audience ?? DEFAULT_AUDIENCE;
    this.clock = options.clock ?? (() => new Date());
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  }

  /** Loads `<dataDir>/exchange-keys.json`, creating it (mode 0600, atomically) with a fresh key if absent. */
  static async loadOrCreate(dataDir: string, options: ExchangeKeyRingOptions = {}): Promise<ExchangeKeyRing> {
    const path = exchangeKeyFilePath(dataDir);
    let file = await readExchangeKeyFile(path);
    if (!file) {
      file = await newExchangeKeyFile();
      await writeExchangeKeyFileAtomically(path, file);
    }
    return ExchangeKeyRing.fromKeyFile(file, options);
  }

  /** A ring with a fresh key that lives only in memory (tests, tools). */
  static async inMemory(options: ExchangeKeyRingOptions = {}): Promise<ExchangeKeyRing> {
    return ExchangeKeyRing.fromKeyFile(await newExchangeKeyFile(), options);
  }

  private static fromKeyFile(file: ExchangeKeyFile, options: ExchangeKeyRingOptions): ExchangeKeyRing {
    const keys = file.keys.map(ringKeyOf);
    const current = keys.find((key) => key.kid === file.currentKid);
    if (!current) throw new Error(`exchange key ${file.currentKid} is missing from the key file`);
    return new ExchangeKeyRing(keys, current, options);
  }

  get currentKid(): string {
    return this.current.kid;
  }

  /** The body of `/.well-known/jwks.json`: public members only. */
  publicJwks(): JsonWebKeySet<ExchangePublicJwk> {
    return { keys: [...this.keysByKid.values()].map((key) => ({ ...key.publicJwk })) };
  }

  /** Deterministic (Ed25519): the same receipt always gives the same JWS, so it can be recomputed. */
  signReceipt(receipt: Receipt): Promise<string> {
    const { documentId, version, payloadSha256, position, receivedAt } = receipt;
    const payload = canonicalJson({ documentId, version, payloadSha256, position, receivedAt });
    return new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'EdDSA', kid: this.current.kid, typ: RECEIPT_TYP })
      .sign(this.current.privateKey);
  }

  /**
   * A compact JWS with a detached payload (RFC 7515 Appendix F: `header..signature`) over bytes the
   * exchange vouches for, such as an inbox notification; `typ` says what they are.
   */
  async signDetached(payload: Uint8Array, typ: string): Promise<string> {
    const jws = await new FlattenedSign(payload).setProtectedHeader({ alg: 'EdDSA', kid: this.current.kid, typ }).sign(this.current.privateKey);
    return `${jws.protected}..${jws.signature}`;
  }

  /** Verifies a receipt signed by any key of this ring; throws SignatureError. */
  async verifyReceipt(jws: string): Promise<Receipt> {
    const { payload } = await verifyDocumentJws(jws, {
      expectedTyp: RECEIPT_TYP,
      resolveKey: (kid) => this.keysByKid.get(kid)?.publicJwk,
    });
    if (!isReceipt(payload)) throw new SignatureError('malformed-payload', 'the payload is not a receipt');
    return payload;
  }

  async issueAccessToken(request: AccessTokenRequest): Promise<{ token: string; expiresIn: number }> {
    const { sub, roles, ttlSeconds } = request;
    if (typeof sub !== 'string' || sub.length === 0) throw new TypeError('sub must be a non-empty string');
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new TypeError('ttlSeconds must be a positive integer');
    const now = Math.floor(this.clock().getTime() / 1000);
    const token = await new SignJWT({ roles: [...roles] })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.current.kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(sub)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.current.privateKey);
    return { token, expiresIn: ttlSeconds };
  }

  /** Accepts only EdDSA tokens of typ at+jwt signed by a key of this ring, for our issuer and audience. */
  async verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    const now = this.clock();
    const known = this.verifiedTokens.lookup(token, Math.floor(now.getTime() / 1000), this.clockToleranceSeconds);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, ({ kid }) => this.publicKeyFor(kid), {
        algorithms: ['EdDSA'],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.issuer,
        audience: this.audience,
        clockTolerance: this.clockToleranceSeconds,
        currentDate: now,
        requiredClaims: ['sub', 'iat', 'nbf', 'exp', 'jti'],
      }));
    } catch (error) {
      throw tokenErrorFromJose(error);
    }
    const { sub, roles, exp } = payload;
    if (typeof sub !== 'string' || !isStringArray(roles) || typeof exp !== 'number') {
      throw new TokenError('token-invalid', 'the token lacks sub, roles or exp');
    }
    const claims = { sub, roles, exp };
    this.verifiedTokens.remember(token, claims, payload.nbf as number);
    return claims;
  }

  private publicKeyFor(kid: string | undefined): KeyObject {
    const key = kid === undefined ? undefined : this.keysByKid.get(kid);
    if (!key) throw new TokenError('token-invalid', 'the token was not signed by an exchange key');
    return key.publicKey;
  }
}

async function newExchangeKeyFile(): Promise<ExchangeKeyFile> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const { x, d } = privateKey.export({ format: 'jwk' });
  const kid = await thumbprintKid({ kty: 'OKP', crv: 'Ed25519', x });
  const key: StoredExchangeKey = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: x as string,
    d: d as string,
    kid,
    alg: 'EdDSA',
    use: 'sig',
    createdAt: new Date().toISOString(),
  };
  return { version: 1, currentKid: kid, keys: [key] };
}

function ringKeyOf(stored: StoredExchangeKey): RingKey {
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: stored.x, d: stored.d }, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  if (publicKey.export({ format: 'jwk' }).x !== stored.x) {
    throw new Error(`exchange key ${stored.kid}: x does not match the private key`);
  }
  const publicJwk: ExchangePublicJwk = { kty: 'OKP', crv: 'Ed25519', x: stored.x, kid: stored.kid, alg: 'EdDSA', use: 'sig' };
  return { kid: stored.kid, privateKey, publicKey, publicJwk };
}

function isReceipt(value: unknown): value is Receipt {
  return (
    isPlainObject(value) &&
    typeof value.documentId === 'string' &&
    typeof value.version === 'number' &&
    typeof value.payloadSha256 === 'string' &&
    typeof value.position === 'string' &&
    typeof value.receivedAt === 'string'
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Maps jose's JWT failures onto stable token codes; anything that is not a jose error passes through. */
export function tokenErrorFromJose(error: unknown): unknown {
  if (error instanceof TokenError) return error;
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_EXPIRED') return new TokenError('token-expired', 'the token has expired');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'nbf') return new TokenError('token-not-yet-valid', 'the token is not valid yet');
    if (claim === 'aud') return new TokenError('token-wrong-audience', 'the token is for another audience');
    if (claim === 'iss') return new TokenError('token-wrong-issuer', 'the token was issued by someone else');
  }
  if (typeof code === 'string' && code.startsWith('ERR_J')) {
    return new TokenError('token-invalid', error instanceof Error ? error.message : 'invalid token');
  }
  return error;
}

import { readFileSync, writeFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { generateParticipantKey, signDocument, type ParticipantKey } from '@exchange/signing';

export type Algorithm = 'EdDSA' | 'ES256';
export const ALGORITHMS: readonly Algorithm[] = ['EdDSA', 'ES256'];

/** The `typ` header of each kind of signed document the exchange accepts from participants. */
export const DOCUMENT_TYPES = ['cfp+jws', 'dd+jws', 'attestation+jws', 'declaration+jws', 'ack+jws'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** What a key file holds: the private key never leaves the participant's machine. */
export interface KeyFile {
  kid: string;
  alg: Algorithm;
  privateJwk: JWK;
  publicJwk: JWK;
}

export function isAlgorithm(value: string): value is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(value);
}

export function isDocumentType(value: string): value is DocumentType {
  return (DOCUMENT_TYPES as readonly string[]).includes(value);
}

export async function generateKey(alg: Algorithm): Promise<KeyFile> {
  const key: ParticipantKey = await generateParticipantKey(alg);
  return { kid: key.kid, alg: key.alg, privateJwk: key.privateJwk, publicJwk: key.publicJwk as JWK };
}

export function publicJwks(...keys: KeyFile[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

/** Writes the key readable by its owner only, and never over an existing file. */
export function writeKeyFile(path: string, key: KeyFile): void {
  writeFileSync(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}

export function readKeyFile(path: string): KeyFile {
  const key = JSON.parse(readFileSync(path, 'utf8')) as Partial<KeyFile>;
  if (!key.kid || !key.alg || !isAlgorithm(key.alg) || !key.privateJwk?.d || !key.publicJwk) {
    throw new Error(`${path} is not a key file written by "keygen" (kid, alg, privateJwk, publicJwk)`);
  }
  return key as KeyFile;
}

export function signWith(key: KeyFile, document: object, typ: DocumentType): Promise<string> {
  return signDocument(document, { privateJwk: key.privateJwk, kid: key.kid, alg: key.alg, typ });
}

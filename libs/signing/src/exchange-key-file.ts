import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isBase64UrlOfLength, isPlainObject } from './jwk';

export const EXCHANGE_KEYS_FILE = 'exchange-keys.json';

/** An exchange signing key as stored on disk: a private Ed25519 JWK. */
export interface StoredExchangeKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
  createdAt: string;
}

/** The key file: every key still trusted for verification, and the one that signs. */
export interface ExchangeKeyFile {
  version: 1;
  currentKid: string;
  keys: StoredExchangeKey[];
}

const OWNER_ONLY = 0o600;

export function exchangeKeyFilePath(dataDir: string): string {
  return join(dataDir, EXCHANGE_KEYS_FILE);
}

/** The key file's content, or undefined when there is none yet. A corrupt file is an error, never replaced. */
export async function readExchangeKeyFile(path: string): Promise<ExchangeKeyFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; refusing to replace the exchange's signing keys`);
  }
  const problem = exchangeKeyFileProblem(content);
  if (problem) throw new Error(`${path} is not a valid exchange key file (${problem}); refusing to replace it`);
  await restrictToOwner(path);
  return content as ExchangeKeyFile;
}

/** Writes the file with mode 0600 under a temporary name, then renames it into place. */
export async function writeExchangeKeyFileAtomically(path: string, content: ExchangeKeyFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporaryPath = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temporaryPath, 'wx', OWNER_ONLY);
  try {
    await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporaryPath, path);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
}

function exchangeKeyFileProblem(content: unknown): string | null {
  if (!isPlainObject(content) || content.version !== 1) return 'expected { version: 1, currentKid, keys }';
  if (!Array.isArray(content.keys) || content.keys.length === 0) return 'keys must be a non-empty array';
  const badIndex = content.keys.findIndex((key) => !isStoredExchangeKey(key));
  if (badIndex >= 0) return `keys[${badIndex}] is not a private Ed25519 JWK with kid`;
  const kids = (content.keys as StoredExchangeKey[]).map((key) => key.kid);
  if (new Set(kids).size !== kids.length) return 'kids must be unique';
  if (!kids.includes(content.currentKid as string)) return 'currentKid must name one of the keys';
  return null;
}

function isStoredExchangeKey(key: unknown): key is StoredExchangeKey {
  return (
    isPlainObject(key) &&
    key.kty === 'OKP' &&
    key.crv === 'Ed25519' &&
    isBase64UrlOfLength(key.x, 32) &&
    isBase64UrlOfLength(key.d, 32) &&
    typeof key.kid === 'string' &&
    key.kid.length > 0
  );
}

async function restrictToOwner(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) await chmod(path, OWNER_ONLY);
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'operator-token';

/**
 * The operator's bearer credential: from configuration when given, otherwise generated on first
 * start, kept in the data directory (mode 0600) and announced once.
 */
export class OperatorCredential {
  private constructor(private readonly token: Buffer) {}

  static loadOrCreate(dataDir: string, configured: string | undefined, announce: (token: string) => void): OperatorCredential {
    if (configured) return new OperatorCredential(Buffer.from(configured));
    const path = join(dataDir, FILE);
    if (existsSync(path)) return new OperatorCredential(Buffer.from(readFileSync(path, 'utf8').trim()));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('base64url');
    writeFileSync(path, token, { mode: 0o600, flag: 'wx' });
    announce(token);
    return new OperatorCredential(Buffer.from(token));
  }

  matches(candidate: string): boolean {
    const given = Buffer.from(candidate);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}

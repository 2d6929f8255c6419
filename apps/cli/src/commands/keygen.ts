import { generateKey, isAlgorithm, publicJwks, writeKeyFile } from '../keys';
import { EXIT_OK, parseCommandArgs, printJson, UsageError } from './cli-io';

export const KEYGEN_USAGE = 'keygen [--alg EdDSA|ES256] [--out key.json]';

/** Writes a new private key file (owner-only) and prints the public JWKS to register. */
export async function keygenCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    alg: { type: 'string', default: 'EdDSA' },
    out: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`keygen takes no arguments: ${KEYGEN_USAGE}`);
  if (!isAlgorithm(values.alg)) throw new UsageError(`--alg must be EdDSA or ES256, not ${values.alg}`);
  const key = await generateKey(values.alg);
  const out = values.out ?? `key-${key.kid}.json`;
  try {
    writeKeyFile(out, key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${out} exists; keygen never overwrites a key`);
    throw error;
  }
  process.stderr.write(`private key written to ${out} (mode 0600)\n`);
  printJson(publicJwks(key));
  return EXIT_OK;
}

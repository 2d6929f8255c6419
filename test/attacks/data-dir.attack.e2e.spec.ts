import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestExchange, type TestExchange } from '../support/test-exchange';
import { registerParticipant } from '../support/participants';
import { recordAttack } from './support/attack-table';
import { freePort } from '@exchange/testing';
import { ChildExchange } from './support/child-exchange';

/**
 * The data directories (DATA_DIR, and EXCHANGE_KEYS_DIR where the exchange's private signing keys
 * live) hold the event log, the stored idempotent answers, the notifier's processed messages, the
 * operator's credential and the keys: nobody but their owner may read them. Every file is created
 * owner-only whatever the umask, and wider modes found at start are tightened (with a warning).
 *
 * Not tested here: a mode that cannot be tightened (then the exchange refuses to start, exit 78).
 * These tests run as root, who can chmod anything; the unit test of libs/platform's data-directory
 * check covers that branch with a chmod that fails.
 */

const OWNER_ONLY_BITS = 0o077;

/** Every directory and file under `roots` with its permission bits, relative to `base`. */
function modesUnder(base: string, roots: string[]): { path: string; mode: number }[] {
  const walk = (path: string): { path: string; mode: number }[] => {
    const stat = lstatSync(path);
    const here = { path: relative(base, path) || '.', mode: stat.mode & 0o777 };
    return stat.isDirectory() ? [here, ...readdirSync(path).flatMap((name) => walk(join(path, name)))] : [here];
  };
  return roots.flatMap(walk);
}

const octal = (mode: number) => mode.toString(8).padStart(3, '0');
const widerThanOwner = (entries: { path: string; mode: number }[]) =>
  entries.filter((e) => (e.mode & OWNER_ONLY_BITS) !== 0).map((e) => `${e.path} ${octal(e.mode)}`);

describe('attacks: the data directories are owner-only', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'exchange-modes-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates every directory and file owner-only, even under umask 0', async () => {
    const dataDir = join(root, 'data');
    const keysDir = join(root, 'keys');
    const umask = process.umask(0);
    let exchange: TestExchange | undefined;
    let whileRunning: { path: string; mode: number }[];
    try {
      // No EXCHANGE_OPERATOR_TOKEN: the exchange generates one and keeps it in DATA_DIR/operator-token.
      exchange = await startTestExchange({ dataDir, env: { EXCHANGE_KEYS_DIR: keysDir, EXCHANGE_OPERATOR_TOKEN: '' } });
      const operatorToken = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim();
      const supplier = await registerParticipant({ ...exchange, operatorToken }, 'Private Supplier');
      const part = await supplier.call(
        'POST',
        '/v1/parts',
        { partNumber: 'MODE-1', name: 'Mode', declaredUnit: 'piece' },
        { 'idempotency-key': randomUUID() },
      );
      expect(part.status).toBe(201);
      whileRunning = modesUnder(root, [dataDir, keysDir]);
    } finally {
      process.umask(umask);
      await exchange?.stop();
    }
    const afterStop = modesUnder(root, [dataDir, keysDir]);
    const created = whileRunning.map((e) => e.path);
    const offending = [...new Set([...widerThanOwner(whileRunning), ...widerThanOwner(afterStop)])];
    recordAttack({
      attack: 'another local user reads DATA_DIR and EXCHANGE_KEYS_DIR after writes (exchange started under umask 0)',
      expected: 'no group or other permission bits on any directory or file',
      observed:
        offending.length === 0
          ? 'no group or other permission bits on any directory or file'
          : `readable or writable by others: ${offending.join(', ')}`,
    });
    const expectedFiles = ['events.sqlite', 'events.sqlite-wal', 'events.sqlite-shm', 'idempotency.sqlite', 'notifier.sqlite', 'operator-token'].map(
      (name) => `data/${name}`,
    );
    expect(created).toEqual(expect.arrayContaining(['data', ...expectedFiles, 'keys', 'keys/exchange-keys.json']));
    expect(offending).toEqual([]);
  });

  it('tightens wider modes found at start, and says what it tightened', async () => {
    const dataDir = join(root, 'data');
    const keysDir = join(root, 'keys');
    const first = await startTestExchange({ dataDir, env: { EXCHANGE_KEYS_DIR: keysDir } });
    await first.stop();
    writeFileSync(join(root, 'data/notes.txt'), 'left here by an operator');
    const directories = ['data', 'keys'];
    const loosened = [...directories, 'data/events.sqlite', 'data/notes.txt', 'keys/exchange-keys.json'];
    for (const path of loosened) chmodSync(join(root, path), directories.includes(path) ? 0o755 : 0o644);
    const child = await startChild(dataDir, keysDir);
    const warnings = child.log.split('\n').filter((line) => line.includes('WARN'));
    await child.stop();
    const modes = new Map(modesUnder(root, [dataDir, keysDir]).map((e) => [e.path, e.mode]));
    const named = (path: string) => warnings.some((line) => line.includes(`${join(root, path)} (`));
    const described = loosened.map((path) => `${path} ${octal(modes.get(path) ?? 0)}${named(path) ? ' (named in a warning)' : ''}`);
    const expected = loosened.map((path) => `${path} ${directories.includes(path) ? '700' : '600'} (named in a warning)`);
    recordAttack({
      attack: 'the exchange starts on a 0755 DATA_DIR and EXCHANGE_KEYS_DIR holding 0644 files',
      expected: `tightened: ${expected.join(', ')}`,
      observed: `tightened: ${described.join(', ')}`,
    });
    expect(described).toEqual(expected);
  });
});

/** The exchange as a child process, so that its log shows the warnings. */
async function startChild(dataDir: string, keysDir: string): Promise<ChildExchange> {
  return ChildExchange.start({ dataDir, port: await freePort(), operatorToken: 'data-dir-operator-token-0123', env: { EXCHANGE_KEYS_DIR: keysDir } });
}

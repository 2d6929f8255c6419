import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');
const DRIVERS = ['better-sqlite3', '@eventstore/db-client'];

/** Requires one entry point in a fresh node process and answers which database drivers that loaded. */
function driversLoadedBy(entryPoint: string): string[] {
  const script = `
    require(${JSON.stringify(entryPoint)});
    const loaded = Object.keys(require.cache);
    const drivers = ${JSON.stringify(DRIVERS)}.filter((driver) => loaded.some((path) => path.includes('/node_modules/' + driver + '/')));
    process.stdout.write(JSON.stringify(drivers));
  `;
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

describe('the entry points of @exchange/event-store', () => {
  it('the port loads no database driver', () => {
    expect(driversLoadedBy('@exchange/event-store')).toEqual([]);
  });

  it('each adapter loads its own driver and not the other one', () => {
    expect(driversLoadedBy('@exchange/event-store/sqlite')).toEqual(['better-sqlite3']);
    expect(driversLoadedBy('@exchange/event-store/eventstoredb')).toEqual(['@eventstore/db-client']);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@exchange/testing';

const root = resolve(__dirname, '..', '..');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** `npm start` runs the compiled exchange: the build must succeed and its output must start and answer. */
describe('the compiled exchange (what npm start runs)', () => {
  // Inside the repository (the compiled code finds proto/ above itself), beside no one's dist/.
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const buildDir = mkdtempSync(join(root, '.tmp', 'build-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'exchange-compiled-'));
  afterAll(() => [buildDir, dataDir].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('npm start builds into an emptied dist/ with tsconfig.build.json and runs dist/apps/exchange/src/main.js with the aliases resolved against dist/', () => {
    expect(scripts.build).toMatch(
      /^node -e "require\('node:fs'\)\.rmSync\('dist', \{ recursive: true, force: true \}\)" && tsc -p tsconfig\.build\.json$/,
    );
    expect(scripts.start).toBe('npm run build && TS_NODE_BASEURL=./dist node -r tsconfig-paths/register dist/apps/exchange/src/main.js');
  });

  it('builds, starts and answers /health and the JWKS', async () => {
    const outDir = join(buildDir, 'dist');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir], {
      cwd: root,
      stdio: 'pipe',
    });
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', join(outDir, 'apps/exchange/src/main.js')], {
      cwd: root,
      env: {
        ...process.env,
        TS_NODE_BASEURL: outDir,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        EXCHANGE_OPERATOR_TOKEN: 'compiled-start-operator-token-0123456789',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      let health: Response | undefined;
      for (let attempt = 0; attempt < 150 && !health; attempt++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(stderr).toBe('');
      expect(health?.status).toBe(200);
      const jwks = (await (await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
      expect(jwks.keys).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 120_000);
});

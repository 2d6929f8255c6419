import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourcesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

const importsOf = (path: string) => [...readFileSync(path, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('the ports keep infrastructure out of the pure libraries', () => {
  const INFRASTRUCTURE = /^(@nestjs\/|kafkajs|@eventstore\/|better-sqlite3|protobufjs|express|node:fs|node:net|node:http)/;

  it.each(['libs/domain/src', 'libs/access/src'])('%s imports no framework, database, broker or I/O module', (dir) => {
    const offending = sourcesUnder(join(root, dir)).flatMap((file) =>
      importsOf(file)
        .filter((m) => INFRASTRUCTURE.test(m))
        .map((m) => `${relative(root, file)} imports ${m}`),
    );
    expect(offending).toEqual([]);
  });

  it('only the adapters import the database drivers and kafkajs', () => {
    const offending = ['apps', 'libs'].flatMap((dir) =>
      sourcesUnder(join(root, dir)).flatMap((file) => {
        const path = relative(root, file);
        return importsOf(file)
          .filter(
            (m) =>
              (m.startsWith('@eventstore/') && !path.startsWith('libs/event-store/src/eventstoredb/')) ||
              (m === 'better-sqlite3' && !path.startsWith('libs/event-store/src/sqlite/')) ||
              (m === 'kafkajs' && !path.startsWith('libs/messaging/src/kafka/')),
          )
          .map((m) => `${path} imports ${m}`);
      }),
    );
    expect(offending).toEqual([]);
  });
});

describe('data flows one way: write side → read side', () => {
  const importing = (dir: string, pattern: RegExp) =>
    sourcesUnder(join(root, dir)).flatMap((file) =>
      importsOf(file)
        .filter((m) => pattern.test(m))
        .map((m) => `${relative(root, file)} imports ${m}`),
    );

  it('the read side (libs/projections) imports nothing of the write side', () => {
    expect(importing('libs/projections/src', /^@exchange\/(commands|reactions)(\/|$)/)).toEqual([]);
  });

  it('the command path (libs/commands) reads no read model: a decision rests on its stream and the facts handed to it', () => {
    expect(importing('libs/commands/src', /^@exchange\/(projections|reactions)(\/|$)/)).toEqual([]);
  });
});

import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureDataDirectories } from './data-directory';
import { InvalidConfigurationError } from './env';

const modeOf = (path: string) => (statSync(path).mode & 0o7777).toString(8);

describe('secureDataDirectories', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'data-directory-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing directory 0700', () => {
    secureDataDirectories([join(root, 'a', 'b')]);
    expect(modeOf(join(root, 'a', 'b'))).toBe('700');
  });

  it("takes group and other bits off the directory and everything under it, keeps the owner's, and names each path once", () => {
    const dir = join(root, 'data');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'events.sqlite'), '');
    writeFileSync(join(dir, 'nested', 'tool.sh'), '');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'events.sqlite'), 0o644);
    chmodSync(join(dir, 'nested', 'tool.sh'), 0o775);
    const warnings: string[] = [];
    secureDataDirectories([dir], { warn: (message) => warnings.push(message) });
    expect([dir, join(dir, 'events.sqlite'), join(dir, 'nested'), join(dir, 'nested', 'tool.sh')].map(modeOf)).toEqual(['700', '600', '700', '700']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${join(dir, 'events.sqlite')} (644 → 600)`);
    expect(warnings[0]).toContain(`${dir} (755 → 700)`);
  });

  it('says nothing when everything is owner-only already', () => {
    const warn = jest.fn();
    secureDataDirectories([root], { warn });
    expect(warn).not.toHaveBeenCalled();
  });

  it('does not follow symbolic links out of the directory', () => {
    const outside = join(root, 'outside.txt');
    writeFileSync(outside, '');
    chmodSync(outside, 0o644);
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(outside, join(dir, 'link'));
    secureDataDirectories([dir]);
    expect(modeOf(outside)).toBe('644');
  });

  it('refuses to start when a mode cannot be tightened, naming the path', () => {
    const dir = join(root, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'events.sqlite'), '');
    chmodSync(join(dir, 'events.sqlite'), 0o644);
    const chmod = (path: string) => {
      throw Object.assign(new Error(`EPERM: operation not permitted, chmod '${path}'`), { code: 'EPERM' });
    };
    expect(() => secureDataDirectories([dir], { chmod })).toThrow(InvalidConfigurationError);
    expect(() => secureDataDirectories([dir], { chmod })).toThrow(
      `${join(dir, 'events.sqlite')} is 644, readable or writable by others, and cannot be made owner-only (EPERM)`,
    );
  });

  it('refuses a shared directory such as /tmp rather than changing what others keep there', () => {
    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => secureDataDirectories([shared])).toThrow('is a shared directory (world-writable, sticky)');
    expect(modeOf(shared)).toBe('1777');
  });
});

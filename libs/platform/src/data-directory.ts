import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigurationError } from './env';
import type { PlatformConfig } from './platform-config';

const GROUP_AND_OTHER = 0o077;
const WORLD_WRITABLE_AND_STICKY = 0o1002;

export interface SecureDataDirectoriesOptions {
  /** Told once what was tightened, naming every path. */
  warn?: (message: string) => void;
  /** Replaceable so that a test can make tightening fail (root can chmod anything). */
  chmod?: (path: string, mode: number) => void;
}

/** The directories a deployable keeps its files in: DATA_DIR and EXCHANGE_KEYS_DIR (often the same). */
export const dataDirectoriesOf = (config: Pick<PlatformConfig, 'dataDir' | 'keysDir'>) => [...new Set([config.dataDir, config.keysDir])];

/**
 * Makes the data directories owner-only before anything opens them: creates a missing one 0700,
 * and takes group and other permission bits off each directory and everything under it (the
 * owner's bits stay; symbolic links are not followed), telling `warn` what it changed. Refuses to
 * start (InvalidConfigurationError, exit 78) when a mode cannot be tightened, or when a directory
 * is a shared one such as /tmp (world-writable and sticky), whose files are not the exchange's to change.
 */
export function secureDataDirectories(directories: string[], options: SecureDataDirectoriesOptions = {}): void {
  const chmod = options.chmod ?? chmodSync;
  const tightened: string[] = [];
  const problems: string[] = [];
  for (const directory of directories) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = statSync(directory);
    if (!stat.isDirectory()) problems.push(`${directory} is not a directory`);
    else if ((stat.mode & WORLD_WRITABLE_AND_STICKY) === WORLD_WRITABLE_AND_STICKY) problems.push(sharedDirectory(directory));
    else tightenTree(directory, stat, chmod, tightened, problems);
  }
  if (tightened.length > 0) options.warn?.(`took group and other permissions off what the data directories held: ${tightened.join(', ')}`);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
}

function tightenTree(path: string, stat: Stats, chmod: (path: string, mode: number) => void, tightened: string[], problems: string[]): void {
  const { mode } = stat;
  if ((mode & GROUP_AND_OTHER) !== 0) {
    const owner = mode & 0o7777 & ~GROUP_AND_OTHER;
    try {
      chmod(path, owner);
      tightened.push(`${path} (${octal(mode)} → ${octal(owner)})`);
    } catch (error) {
      problems.push(
        `${path} is ${octal(mode)}, readable or writable by others, and cannot be made owner-only (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  if (!stat.isDirectory()) return;
  for (const name of readdirSync(path)) {
    const entry = join(path, name);
    const entryStat = lstatSync(entry);
    if (!entryStat.isSymbolicLink()) tightenTree(entry, entryStat, chmod, tightened, problems);
  }
}

const sharedDirectory = (directory: string) =>
  `${directory} is a shared directory (world-writable, sticky); give the exchange a directory of its own`;
const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(3, '0');

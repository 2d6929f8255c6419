import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates a database file owner-only (directory 0700, file 0600) if it does not exist yet, before
 * SQLite opens it: SQLite creates the -wal, -shm and -journal files with the database file's mode,
 * so they are owner-only too. Explicit modes, not the umask, decide (the process may share its umask).
 */
export function createOwnerOnlyFile(filePath: string): void {
  mkdirSync(dirname(filePath), { recursive: true, mode: 0o700 });
  closeSync(openSync(filePath, 'a', 0o600));
}

import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isMainThread } from "node:worker_threads";

/** Owner read/write only: the database, its -wal/-shm, token and key files, `.eml` files. */
export const PRIVATE_FILE_MODE = 0o600;
/** Owner only: the data directory and the directories inside it (the file outbox). */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Files this process creates from now on are private (umask 077): SQLite's -wal and -shm, temporary
 * files, anything a library writes. Worker threads cannot change the umask (Node refuses); they
 * share the process's, which the main thread set.
 */
export function restrictUmask(): void {
  if (isMainThread) process.umask(0o077);
}

/** Creates `dir` (and missing parents) and makes `dir` itself 0700, also when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty if missing, and makes it 0600 (an existing file keeps its content). */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Makes an existing file 0600; a missing one is fine (SQLite's -wal/-shm come and go). */
export function tightenFile(file: string): void {
  try {
    if (lstatSync(file).isFile()) chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * chmod, except for a file that went away since it was listed: SQLite removes its `-shm`/`-wal` files when the
 * last connection of another process or thread closes, and a sent `.eml.tmp` is renamed.
 */
function chmodIfPresent(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * Existing installs: the data directory becomes 0700, and Quorum's own files in it 0600 (the admin
 * token file, `*.key` secret files, SQLite files named `*.sqlite*`, and the file outbox: its directory
 * 0700 and its `.eml` files 0600), however they were created before. Other files are left alone (a
 * data directory pointed at a shared folder keeps them as they are); symbolic links are never
 * followed. A missing data directory is not created here: nothing is in it yet.
 */
export function tightenDataDir(dataDir: string, outboxDir?: string): void {
  if (!existsSync(dataDir)) return;
  chmodSync(dataDir, PRIVATE_DIR_MODE);
  const ours = /^(?:admin-token\.txt|.*\.key|.*\.sqlite(?:-wal|-shm|-journal)?)$/;
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile() && ours.test(entry.name)) chmodIfPresent(join(dataDir, entry.name), PRIVATE_FILE_MODE);
  }
  if (outboxDir && existsSync(outboxDir) && lstatSync(outboxDir).isDirectory()) {
    chmodSync(outboxDir, PRIVATE_DIR_MODE);
    for (const entry of readdirSync(outboxDir, { withFileTypes: true })) {
      if (entry.isFile() && /\.eml(?:\.tmp)?$/.test(entry.name)) chmodIfPresent(join(outboxDir, entry.name), PRIVATE_FILE_MODE);
    }
  }
}

/** A SQLite database file and its companions (made 0600 when they exist). */
export function tightenSqliteFiles(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) tightenFile(`${file}${suffix}`);
}

import { hkdfSync, randomBytes } from "node:crypto";
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type { Config, SecretVariable } from "../config";
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenFile } from "./private-files";

export interface SecretSpec {
  /** The environment variable that provides it (declared in config.ts's SECRET_VARIABLES; read there). */
  env: SecretVariable;
  /** Where a generated secret is kept: a file name inside the data directory (or an absolute path). */
  file: string;
  /** Length of the key returned, in bytes. */
  bytes: number;
}

const inMemory = new WeakMap<Config, Map<string, Buffer>>();

/**
 * A server secret (a key of `bytes` bytes), from the first of:
 * 1. the environment variable `env` (any text of 32+ characters; the key is derived from it with
 *    HKDF-SHA256, so every process given the same text gets the same key: required when several
 *    server processes share a PostgreSQL database);
 * 2. the file `file` in the data directory, made 0600 (generated with random bytes on first use; two
 *    processes starting at once agree on one, the second reads what the first wrote);
 * 3. for an in-memory SQLite database only: random bytes kept in this process for this config (the
 *    database is gone when the process ends, and so is everything the secret protected).
 * Synchronous; reads the file each time, so callers keep the key (e.g. per Config in a WeakMap).
 */
export function loadOrCreateSecret(config: Config, spec: SecretSpec): Buffer {
  const given = config.secrets[spec.env];
  if (given !== undefined) return Buffer.from(hkdfSync("sha256", given, "quorum", spec.env, spec.bytes));
  if (config.database.kind === "sqlite" && config.database.file === ":memory:") {
    const mine = inMemory.get(config) ?? inMemory.set(config, new Map()).get(config)!;
    const key = mine.get(spec.file) ?? randomBytes(spec.bytes);
    mine.set(spec.file, key);
    return key;
  }
  const path = isAbsolute(spec.file) ? spec.file : join(config.dataDir, spec.file);
  return existsSync(path) ? readSecret(path, spec) : createSecret(path, spec);
}

function readSecret(path: string, spec: SecretSpec): Buffer {
  tightenFile(path);
  const key = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  if (key.length !== spec.bytes) {
    throw new Error(
      `${path} does not hold a ${spec.bytes}-byte key (base64url). Restore it from a backup, or set ${spec.env}; deleting it invalidates what it protects.`,
    );
  }
  return key;
}

/** Writes a new key next to `path` and links it into place: the link fails if another process got there first. */
function createSecret(path: string, spec: SecretSpec): Buffer {
  ensurePrivateDir(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${randomBytes(spec.bytes).toString("base64url")}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(tmp);
  }
  return readSecret(path, spec);
}

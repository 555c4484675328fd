import { sql } from "kysely";
import { ensureCatalogue } from "./activities/activity-types.repo";
import { tokenKey } from "./auth/token-secret";
import { createUserWithToken, tokenExists } from "./auth/tokens.repo";
import type { Config } from "./config";
import { createDb, type Db } from "./db/create-db";
import { isUniqueViolation } from "./db/errors";
import { migrateToLatest } from "./db/migrate";
import { restrictUmask, tightenDataDir, tightenSqliteFiles } from "./secrets/private-files";

/**
 * Data at rest is the owner's only: files this process creates from now on are 0600 (umask 077), and an
 * existing data directory and database from an older install are tightened (0700 / 0600) now.
 */
export function securePrivateFiles(config: Config): void {
  restrictUmask();
  const outbox = config.email.transport.kind === "file" ? config.email.transport.dir : undefined;
  tightenDataDir(config.dataDir, outbox);
  if (config.database.kind === "sqlite" && config.database.file !== ":memory:") tightenSqliteFiles(config.database.file);
}

/** Secures the data files, opens the configured database, migrates it to the latest schema and ensures the activity catalogue. */
export async function openDatabase(config: Config): Promise<Db> {
  securePrivateFiles(config);
  const db = createDb(config.database);
  await migrateDatabase(db, config);
  await ensureCatalogue(db, new Date().toISOString());
  return db;
}

/** Runs the migrations; on PostgreSQL in the connection's current schema. Returns the migrations applied. */
export async function migrateDatabase(db: Db, config: Config): Promise<string[]> {
  const schema =
    config.database.kind === "postgres"
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
      : undefined;
  return migrateToLatest(db, schema);
}

/** QUORUM_BOOTSTRAP_TOKEN: make sure an admin token with exactly this value exists (for automation). */
export async function ensureBootstrapToken(db: Db, config: Config, token: string): Promise<boolean> {
  const key = tokenKey(config);
  if (await tokenExists(db, key, token)) return false;
  try {
    await createUserWithToken(db, {
      key,
      name: "Bootstrap admin",
      role: "admin",
      tokenName: "bootstrap (QUORUM_BOOTSTRAP_TOKEN)",
      token,
      now: new Date().toISOString(),
    });
  } catch (err) {
    // Several servers starting on one database at once: another one stored the same token between our check
    // and our insert. Its transaction rolled ours back (no second user); the token exists, which is all we need.
    if (isUniqueViolation(err) && (await tokenExists(db, key, token))) return false;
    throw err;
  }
  return true;
}

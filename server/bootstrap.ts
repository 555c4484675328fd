import { sql } from "kysely";
import { ensureCatalogue } from "./activities/activity-types.repo";
import { createUserWithToken, tokenExists } from "./auth/tokens.repo";
import type { Config } from "./config";
import { createDb, type Db } from "./db/create-db";
import { migrateToLatest } from "./db/migrate";

/** Opens the configured database, migrates it to the latest schema and ensures the activity catalogue. */
export async function openDatabase(config: Config): Promise<Db> {
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
export async function ensureBootstrapToken(db: Db, token: string): Promise<boolean> {
  if (await tokenExists(db, token)) return false;
  await createUserWithToken(db, {
    name: "Bootstrap admin",
    role: "admin",
    tokenName: "bootstrap (QUORUM_BOOTSTRAP_TOKEN)",
    token,
    now: new Date().toISOString(),
  });
  return true;
}

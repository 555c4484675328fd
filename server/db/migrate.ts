import { type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Db } from "./create-db";
import * as m0001 from "./migrations/0001_core";
import * as m0002 from "./migrations/0002_lifecycle";
import * as m0003 from "./migrations/0003_email";
import * as m0004 from "./migrations/0004_dashboard";
import * as m0005 from "./migrations/0005_instances";
import * as m0006 from "./migrations/0006_details_version";
import * as m0007 from "./migrations/0007_score_tables";
import * as m0009 from "./migrations/0009_security";
import * as m0010 from "./migrations/0010_connections";
import * as m0012 from "./migrations/0012_panel";
import * as m0015 from "./migrations/0015_sso";
import * as m0016 from "./migrations/0016_jobs";
import * as m0017 from "./migrations/0017_event_sources";
import * as m0018 from "./migrations/0018_lifecycle";
import * as m0019 from "./migrations/0019_pg_fillfactor";
import * as m0020 from "./migrations/0020_details_notify";
import * as m0021 from "./migrations/0021_pg_rollup_keys";

/** Migrations are listed here in order; each file is frozen once released. */
const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      "0001_core": m0001,
      "0002_lifecycle": m0002,
      "0003_email": m0003,
      "0004_dashboard": m0004,
      "0005_instances": m0005,
      "0006_details_version": m0006,
      "0007_score_tables": m0007,
      "0009_security": m0009,
      "0015_sso": m0015,
      "0012_panel": m0012,
      "0010_connections": m0010,
      "0017_event_sources": m0017,
      "0016_jobs": m0016,
      "0018_lifecycle": m0018,
      "0019_pg_fillfactor": m0019,
      "0020_details_notify": m0020,
      "0021_pg_rollup_keys": m0021,
    };
  },
};

/**
 * Brings the schema to the latest version; throws with the failing migration's name. On PostgreSQL
 * pass the schema in use: Kysely looks for its own tables in every schema otherwise.
 */
export async function migrateToLatest(db: Db, migrationTableSchema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  let { error, results } = await migrator.migrateToLatest();
  // Before it migrates anything, Kysely checks for its own tables by introspecting every schema of the
  // database (`pg_get_serial_sequence` over each one's columns). On a PostgreSQL shared with others, a schema
  // dropped during that query fails it with `schema "…" does not exist` (seen when a server started while
  // test suites dropped theirs). Nothing was changed then: look again.
  for (let attempt = 1; attempt <= 10 && error && !results?.length && isConcurrentDrop(error); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** invalid_schema_name / undefined_table / undefined_object: an object that vanished while PostgreSQL listed it. */
function isConcurrentDrop(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "3F000" || code === "42P01" || code === "42704";
}

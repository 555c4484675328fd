import { readFileSync } from "node:fs";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { createConnection, startSync, syncRun } from "../../server/connectors/connections.service";
import { runSyncsUntilIdle } from "../../server/connectors/sync-runner";

/**
 * One sync in its own process (so its peak RSS is its own): `node --import tsx bench/sync/worker.ts
 * <sqlite file> <fake url> <initial|incremental>`. Prints one JSON line.
 */
async function main() {
  const [file, url, phase] = process.argv.slice(2);
  if (!file || !url || (phase !== "initial" && phase !== "incremental"))
    throw new Error("usage: worker.ts <sqlite file> <fake url> <initial|incremental>");
  const config = loadConfig({
    DATABASE_URL: file,
    QUORUM_DATA_DIR: "bench/.data",
    QUORUM_DEMO_DATA: "false",
    QUORUM_LOG: "silent",
    QUORUM_CONNECTOR_KEY: "e".repeat(64),
  });
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  let conn = await db.selectFrom("crm_connections").select("id").executeTakeFirst();
  if (!conn) {
    conn = await createConnection(
      deps,
      {
        crm: "salesforce",
        name: "Bench org",
        loginUrl: url,
        auth: {
          kind: "password",
          clientId: "bench",
          clientSecret: "bench",
          username: "bench@bench.example",
          password: "bench",
          securityToken: "",
        },
        settings: {
          syncIntervalMinutes: 0,
          writeback: { enabled: false, target: "contact_field", field: null, roleMapping: {} },
        },
      },
      null,
    );
  }
  const started = performance.now();
  const { run } = await startSync(deps, conn.id, "incremental", "cli", null);
  await runSyncsUntilIdle(deps, { log: (m) => console.error(m) });
  const ms = performance.now() - started;
  const done = await syncRun(deps, run.id);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  console.log(
    JSON.stringify({
      phase,
      ms: Math.round(ms),
      status: done.status,
      error: done.error,
      progress: done.progress,
      skipped: done.progress.skipped,
      peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : null,
    }),
  );
  await db.destroy();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

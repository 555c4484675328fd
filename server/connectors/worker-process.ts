import { openDatabase } from "../bootstrap";
import { loadConfig } from "../config";
import { startSyncWorker } from "./sync-runner";
import { startWritebackWorker } from "./writeback";

/**
 * The CRM sync worker and the write-back drainer on their own, without the HTTP server:
 * `node --max-old-space-size=192 --import tsx server/connectors/worker-process.ts [--lease-ms N] [--poll-ms N]`
 * (the heap cap is SYNC_WORKER_NODE_FLAGS, which the bench measures with). The crash test kills it with
 * SIGKILL mid-sync and starts another; SIGTERM/SIGINT stop it cleanly (the page in flight commits).
 */
async function main() {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of milliseconds`);
    return v;
  };
  const config = loadConfig();
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  const log = (m: string) => console.error(m);
  const sync = startSyncWorker(deps, { leaseMs: arg("--lease-ms", 120_000), pollMs: arg("--poll-ms", 1000), log });
  const writeback = startWritebackWorker(deps, { pollMs: arg("--poll-ms", 2000), log });
  // The workers' timers are unref'd (they never hold a server open); this process lives for them.
  const alive = setInterval(() => {}, 60_000);
  console.log("sync worker started");
  const stop = async () => {
    clearInterval(alive);
    await sync.stop();
    await writeback.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

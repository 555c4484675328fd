import { openDatabase } from "../bootstrap";
import { loadConfig } from "../config";
import { startOutboxWorker } from "./outbox.worker";
import { createTransport } from "./transports";

/**
 * The outbox worker on its own, without the HTTP server: `tsx server/email/worker-process.ts
 * [--lease-ms N] [--poll-ms N] [--concurrency N]`. Used by the crash test (killed with SIGKILL mid-batch, then restarted)
 * and usable to deliver mail from a separate process. SIGTERM/SIGINT stop it cleanly.
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
  const worker = startOutboxWorker({ db, config, clock: () => new Date() }, createTransport(config.email), {
    leaseMs: arg("--lease-ms", 120_000),
    pollMs: arg("--poll-ms", 200),
    concurrency: arg("--concurrency", 5),
    log: (m) => console.error(m),
  });
  console.log("worker started");
  const stop = async () => {
    await worker.stop();
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

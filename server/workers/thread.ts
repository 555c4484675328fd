import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config";
import { createDb } from "../db/create-db";
import { startTasks } from "./registry";

/**
 * The background worker thread `serve` starts (server/workers/host.ts): its own event loop and its own
 * database connection (a better-sqlite3 handle on the same file, or a pg pool), so a long job, recompute
 * or sync never holds the API's connection or its event loop. The main thread has migrated the
 * database already. Messages: `"stop"` → stops every task (the batch in flight commits), closes the
 * connection and answers `"stopped"`.
 */
const port = parentPort;
if (!port) throw new Error("server/workers/thread.ts runs as a worker thread (serve starts it).");
const { config, owner } = workerData as { config: Config; owner: string };
const db = createDb(config.database);
const deps = { db, config, clock: () => new Date() };
const tasks = startTasks(deps, {
  owner,
  log: (msg, err) => (err === undefined ? console.error(msg) : console.error(msg, err)),
});
port.on("message", (m: unknown) => {
  if (m !== "stop") return;
  void tasks
    .stop()
    .then(() => db.destroy())
    .finally(() => {
      port.postMessage("stopped");
      port.close();
    });
});
port.postMessage("started");

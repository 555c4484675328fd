import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config";
import { createDb, setWriteGate } from "../db/create-db";
import { isHotList, startDetailsPrewarm } from "../groups/details-prewarm";
import { startTasks, tasksFor } from "./registry";
import { backgroundWriteGate } from "./write-gate";

/**
 * The background worker thread `serve` starts (server/workers/host.ts): its own event loop and its own
 * database connection (a better-sqlite3 handle on the same file, or a pg pool), so a long job, recompute
 * or sync never holds the API's connection or its event loop. The main thread has migrated the
 * database already. Messages: `"stop"` → stops every task (the batch in flight commits), closes the
 * connection and answers `"stopped"`; `{ type: "details-hot" }` → the groups whose details requests read
 * (the answer to its `{ type: "details-hot-wanted" }`; the pre-warmer rebuilds those a change moved and posts
 * `{ type: "details-prewarmed" }` back).
 */
// Background work yields the CPU to requests: on Linux a thread has its own nice value (setpriority on its
// thread id), so this thread runs at QUORUM_WORKER_NICE (default 10) while the request thread stays at 0.
try {
  const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, (workerData as { nice: number }).nice);
} catch {
  // Not Linux, or not allowed: the thread runs at the process's priority.
}
const port = parentPort;
if (!port) throw new Error("server/workers/thread.ts runs as a worker thread (serve starts it).");
const { config, owner, gate } = workerData as { config: Config; owner: string; gate: SharedArrayBuffer };
// PostgreSQL: the jobs' SQL runs in database processes that this thread's nice does not reach, so it gets few
// connections (QUORUM_PG_WORKER_POOL_SIZE, default 1): a creation job and a recompute take turns on it (a statement or a
// transaction at a time) instead of keeping two more processes busy beside the requests'. Whatever waits for that connection is
// background work, so it waits as long as a batch may hold it. Pre-warming has a connection of its own, so the
// details of changed groups are rebuilt while a long batch runs.
const BACKGROUND_ACQUIRE_MS = 10 * 60_000;
const db =
  config.database.kind === "postgres"
    ? createDb(
        { ...config.database, poolSize: config.database.workerPoolSize },
        {
          acquireTimeoutMs: BACKGROUND_ACQUIRE_MS,
          role: "worker",
        },
      )
    : createDb(config.database);
setWriteGate(db, backgroundWriteGate(gate));
const deps = { db, config, clock: () => new Date() };
const prewarmDb = config.database.kind === "postgres" ? createDb({ ...config.database, poolSize: 1 }, { role: "prewarm" }) : db;
const tasks = startTasks(
  deps,
  { owner, log: (msg, err) => (err === undefined ? console.error(msg) : console.error(msg, err)) },
  tasksFor("worker"),
);
// Details of the groups requests read, rebuilt here when a change moves them (server/groups/details-prewarm.ts).
const prewarm = startDetailsPrewarm({ ...deps, db: prewarmDb }, (m) => port.postMessage(m), {
  request: () => port.postMessage({ type: "details-hot-wanted" }),
});
port.on("message", (m: unknown) => {
  if (isHotList(m)) {
    prewarm.setHot(m.items);
    return;
  }
  if (m !== "stop") return;
  void prewarm
    .stop()
    .then(() => tasks.stop())
    .then(() => db.destroy())
    .then(() => (prewarmDb === db ? undefined : prewarmDb.destroy()))
    .finally(() => {
      port.postMessage("stopped");
      port.close();
    });
});
port.postMessage("started");

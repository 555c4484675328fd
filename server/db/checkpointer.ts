import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * SQLite WAL checkpoints off the request path.
 *
 * In WAL mode every commit appends its pages to the `-wal` file, and by default the commit that
 * takes the WAL past 1 000 pages also copies the WAL back into the database file and syncs it (a
 * checkpoint), inside the request that happened to commit. An ingest batch of 10 000 activities
 * dirties thousands of pages, so every such request paid a checkpoint: most of its COMMIT time.
 * As SQLite's documentation suggests for busy writers, a second connection on its own thread runs
 * PASSIVE checkpoints instead (they never block readers or writers): every {@link BUSY_MS} ms while
 * commits come in, every {@link IDLE_MS} ms otherwise. Between a writer's commits the checkpoint
 * catches up, so the next commit starts the WAL file from its beginning again. The main connection
 * keeps a high automatic checkpoint ({@link WAL_BACKSTOP_PAGES}) as a backstop, should this thread
 * ever fall behind or stop. At full bench size the disk's write bandwidth is the limit either way
 * (docs/performance.md); for smaller writes a request's COMMIT no longer waits for a checkpoint.
 */
export const WAL_BACKSTOP_PAGES = 10_000;
/** Between rounds while commits come in (each round syncs the WAL and the database file once). */
export const BUSY_MS = 100;
/** Between rounds when the WAL had not changed. */
export const IDLE_MS = 500;

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("busy_timeout = 0"); // never wait for a lock: the next round tries again
  db.pragma("cache_size = -2048");
} catch (e) {
  // The database went away before this thread started (closed and deleted at once): nothing to do.
  parentPort.postMessage({ error: String(e && e.message) });
  process.exit(0);
}
let timer;
let seen = "";
const round = () => {
  let moved = false;
  try {
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    // The WAL changed since the last round: commits are coming in, so come back sooner.
    moved = seen !== r.log + "/" + r.checkpointed;
    seen = r.log + "/" + r.checkpointed;
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    // SQLITE_BUSY and the like: try again next round.
  }
  timer = setTimeout(round, moved ? workerData.busyMs : workerData.idleMs);
};
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
round();
`;

export interface Checkpointer {
  /** The last round's WAL size and pages copied (for tests and diagnostics). */
  readonly last: { log: number; checkpointed: number } | undefined;
  /** Asks the thread to close its connection and end; resolves when it has. */
  stop(): Promise<void>;
}

/** Starts the background checkpointer of a SQLite database file (not for `:memory:`). */
export function startCheckpointer(file: string, { busyMs = BUSY_MS, idleMs = IDLE_MS } = {}): Checkpointer {
  const module = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { file, module, busyMs, idleMs } });
  let last: { log: number; checkpointed: number } | undefined;
  let stopping = false;
  // A failed checkpointer must not take the server down: the backstop checkpoint still runs.
  const failed = (e: unknown) => !stopping && console.error("[quorum] WAL checkpointer stopped:", e);
  worker.on("message", (m: { log: number; checkpointed: number } | { error: string }) => {
    if ("error" in m) failed(m.error);
    else last = m;
  });
  worker.on("error", failed);
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    get last() {
      return last;
    },
    stop() {
      stopping = true;
      worker.postMessage("stop");
      // It closes its connection at the end of the round in progress; a stuck one is cut off.
      const deadline = setTimeout(() => void worker.terminate(), 5000).unref();
      return exited.finally(() => clearTimeout(deadline));
    },
  };
}

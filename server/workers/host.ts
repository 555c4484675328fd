import { Worker } from "node:worker_threads";
import { workerThreadUrl } from "../build/worker-entry";
import { setWriteGate } from "../db/create-db";
import type { Deps } from "../deps";
import { detailsCachesOf } from "../groups/details-cache";
import { hotList, isHotWanted, isPrewarmed, offerPrewarmed } from "../groups/details-prewarm";
import { type RunningTasks, startTasks, type TaskContext, tasksFor } from "./registry";
import { apiWriteGate, newWriteGateBuffer } from "./write-gate";

export type WorkersMode = "thread" | "inline" | "off";

/** `dist/workers/background.js` in the production bundle; the TypeScript source under tsx. */
function backgroundEntry(): URL {
  return workerThreadUrl("workers/background", new URL("./thread.ts", import.meta.url));
}

/** The mode actually used: an in-memory SQLite database cannot be opened from a second thread. */
export function effectiveWorkersMode(deps: Deps, mode: WorkersMode): WorkersMode {
  if (mode === "thread" && deps.config.database.kind === "sqlite" && deps.config.database.file === ":memory:") return "inline";
  return mode;
}

/**
 * Starts the background work (server/workers/registry.ts) the way QUORUM_WORKERS says: `thread` (one
 * worker thread with its own database connection; restarted if it dies), `inline` (on this thread and
 * connection, as before), `off` (nothing: another process runs `quorum worker`). Resolves once the
 * tasks run; stop() waits for the work in flight.
 */
export async function startBackgroundWork(
  deps: Deps,
  mode: WorkersMode,
  ctx: TaskContext,
): Promise<RunningTasks & { mode: WorkersMode }> {
  const used = effectiveWorkersMode(deps, mode);
  if (used === "off") return { mode: used, stop: async () => {} };
  if (used === "inline") return { mode: used, ...startTasks(deps, ctx) };
  // SQLite: the request thread's transactions go first and never block its event loop on the worker's.
  const gate = newWriteGateBuffer();
  setWriteGate(deps.db, apiWriteGate(gate));
  let stopping = false;
  let worker: Worker;
  let restarts = 0;
  let started = false;
  // Group details pre-warming (server/groups/details-prewarm.ts): when its pass is due the worker thread asks
  // which cached details requests read, rebuilds those a change moved, and the bodies it posts go into this cache.
  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      worker = new Worker(backgroundEntry(), {
        workerData: { config: deps.config, owner: ctx.owner, gate, nice: deps.config.workerNice },
      });
      worker.once("message", (m) => {
        if (m !== "started") return;
        started = true;
        resolve();
      });
      worker.on("message", (m: unknown) => {
        if (isPrewarmed(m)) offerPrewarmed(detailsCachesOf(deps.db), m);
        else if (isHotWanted(m) && worker.threadId !== -1) worker.postMessage(hotList(detailsCachesOf(deps.db)));
      });
      worker.once("error", (err) => {
        ctx.log("[quorum] background worker thread failed", err);
        reject(err);
      });
      worker.once("exit", (code) => {
        if (stopping || !started) return;
        // A crash (out of memory, a native error): its claims lapse with their leases; start a fresh thread.
        ctx.log(`[quorum] background worker thread exited (code ${code}); restarting it`);
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(restarts++, 5));
        setTimeout(() => void spawn().catch(() => {}), delay).unref();
      });
    });
  await spawn();
  const serving = startTasks(deps, ctx, tasksFor("serving"));
  return {
    mode: used,
    async stop() {
      await serving.stop();
      stopping = true;
      const w = worker;
      if (w.threadId === -1) return; // already gone
      const exited = new Promise<void>((resolve) => w.once("exit", () => resolve()));
      w.postMessage("stop");
      // The tasks finish the batch in flight; one that hangs is cut off.
      const deadline = setTimeout(() => void w.terminate(), 60_000);
      deadline.unref();
      await exited;
      clearTimeout(deadline);
      setWriteGate(deps.db, null);
    },
  };
}

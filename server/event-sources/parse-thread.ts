import { parentPort } from "node:worker_threads";
import { pack } from "./parse-pool";
import { type PrepareInput, prepareRequest } from "./prepare";

/**
 * The event webhooks' parse worker (started by parse-pool.ts): signature, JSON and message validation of large
 * request bodies, off the thread that runs the commits. Stateless: `{ id, input }` in, `{ id, wire }` out (or
 * `{ id, failed }` when something unexpected threw; the request thread then prepares the request itself).
 */
const port = parentPort;
if (!port) throw new Error("server/event-sources/parse-thread.ts runs as a worker thread (parse-pool.ts starts it).");
port.on("message", ({ id, input }: { id: number; input: PrepareInput }) => {
  try {
    port.postMessage({ id, wire: pack(prepareRequest(input)) });
  } catch (e) {
    port.postMessage({ id, failed: String(e) });
  }
});

import { Worker } from "node:worker_threads";
import { workerThreadUrl } from "../build/worker-entry";
import type { EventMessage, MessageType } from "./messages";
import { type Prepared, type PrepareInput, prepareRequest } from "./prepare";

/**
 * Bodies at least this long (characters) are checked and parsed on the parse worker: a batch of 500 messages is
 * ~125 KB, whose HMAC, JSON parse, validation and metadata cost ~10 µs per message on the thread that also runs
 * every commit. Smaller bodies (single messages, the way CDPs deliver) stay on the request thread, where a round
 * trip to the worker would cost more than the work.
 */
export const PARSE_WORKER_MIN_CHARS = 64 * 1024;

/** A track/page/screen message as it crosses from the worker: [index, type, messageId, userId, anonymousId, occurredAt, event, metadataJson]. */
type Packed = [number, MessageType, string, string | null, string | null, string, string | null, string];
type Wire =
  | Exclude<Prepared, { kind: "ok" }>
  | (Omit<Extract<Prepared, { kind: "ok" }>, "messages"> & { messages: Array<Packed | EventMessage> });

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const EMPTY_CONTEXT = Object.freeze({ page: EMPTY });

/** Worker side: flat tuples clone (and are rebuilt) for a fraction of the cost of the messages' objects. */
export function pack(p: Prepared): Wire {
  if (p.kind !== "ok") return p;
  return {
    ...p,
    messages: p.messages.map((m) =>
      m.metadataJson !== undefined && m.email === null && m.groupId === null
        ? [m.index, m.type, m.messageId, m.userId, m.anonymousId, m.occurredAt, m.event, m.metadataJson]
        : m,
    ),
  };
}

/** Request-thread side of pack: the messages as ingest reads them (properties and context are in metadataJson). */
export function unpack(w: Wire): Prepared {
  if (w.kind !== "ok") return w;
  return {
    ...w,
    messages: w.messages.map((m) =>
      Array.isArray(m)
        ? {
            index: m[0],
            type: m[1],
            messageId: m[2],
            userId: m[3],
            anonymousId: m[4],
            occurredAt: m[5],
            event: m[6],
            email: null,
            traits: EMPTY,
            groupId: null,
            properties: EMPTY,
            context: EMPTY_CONTEXT,
            metadataJson: m[7],
          }
        : m,
    ),
  };
}

function workerUrl(): URL {
  return workerThreadUrl("workers/event-parse", new URL("./parse-thread.ts", import.meta.url));
}

export interface ParsePool {
  /** prepareRequest, on the parse worker for large bodies. */
  prepare(input: PrepareInput): Promise<Prepared>;
  /** How many requests the worker has prepared (tests). */
  readonly offloaded: number;
  close(): Promise<void>;
}

/**
 * One parse worker thread per app, started on the first large body; it holds no state (pure prepareRequest). If
 * the thread cannot start or dies, the requests it held and all later ones are prepared on the request thread,
 * so a failure costs speed, never an answer.
 */
export function parsePool(options: { minChars?: number; log?: (msg: string, err?: unknown) => void } = {}): ParsePool {
  const minChars = options.minChars ?? PARSE_WORKER_MIN_CHARS;
  const log = options.log ?? ((msg, err) => console.error(msg, err ?? ""));
  let worker: Worker | null = null;
  let failed = false;
  let nextId = 0;
  let offloaded = 0;
  const pending = new Map<number, { input: PrepareInput; resolve: (p: Prepared) => void }>();

  const giveUp = (err: unknown) => {
    if (failed) return;
    failed = true;
    worker = null;
    log("[quorum] event parse worker stopped; parsing on the request thread", err);
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(prepareRequest(p.input));
    }
  };

  const start = () => {
    const w = new Worker(workerUrl());
    w.unref();
    w.on("message", (m: { id: number; wire?: Wire; failed?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.wire) {
        offloaded++;
        p.resolve(unpack(m.wire));
      } else p.resolve(prepareRequest(p.input)); // the worker threw: let the request thread give the answer
    });
    w.once("error", giveUp);
    w.once("exit", (code) => worker === w && giveUp(new Error(`exit code ${code}`)));
    return w;
  };

  return {
    async prepare(input) {
      if (failed || input.raw.length < minChars) return prepareRequest(input);
      worker ??= start();
      const id = nextId++;
      return new Promise<Prepared>((resolve) => {
        pending.set(id, { input, resolve });
        worker!.postMessage({ id, input });
      });
    },
    get offloaded() {
      return offloaded;
    },
    async close() {
      const w = worker;
      worker = null;
      failed = true;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve(prepareRequest(p.input));
      }
      if (w) await w.terminate();
    },
  };
}

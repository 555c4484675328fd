import type { Deps } from "../deps";
import { commitMessages, type EventIngestResult, type RequestMessages } from "./ingest.service";

interface Waiting {
  request: RequestMessages;
  resolve: (r: EventIngestResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: CDPs send one message per request at high rates, and one transaction per request would spend
 * most of its time committing. Requests wait up to `commitMs` (QUORUM_EVENTS_COMMIT_MS) or until `commitMax`
 * messages (QUORUM_EVENTS_COMMIT_MAX) are queued, then all of them are committed in one transaction; each
 * request is answered only after that commit (an accepted event is stored). One commit runs at a time; what
 * arrives meanwhile is the next commit. When a commit fails, its requests are retried one by one, so one
 * request cannot fail the others.
 */
export function groupCommitter(
  deps: Deps,
  options: { commitMs: number; commitMax: number },
  commit: (deps: Deps, requests: readonly RequestMessages[]) => Promise<EventIngestResult[]> = commitMessages,
) {
  const queue: Waiting[] = [];
  let queued = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;

  const schedule = () => {
    if (running || timer || queue.length === 0) return;
    if (queued >= options.commitMax || options.commitMs === 0) timer = setTimeout(flush, 0);
    else timer = setTimeout(flush, options.commitMs);
  };

  async function run(batch: Waiting[]) {
    try {
      const results = await commit(
        deps,
        batch.map((w) => w.request),
      );
      for (const [i, w] of batch.entries()) w.resolve(results[i]!);
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) await run([w]);
    }
  }

  function flush() {
    timer = null;
    if (running || queue.length === 0) return;
    const batch: Waiting[] = [];
    let n = 0;
    while (queue.length && (batch.length === 0 || n + queue[0]!.request.messages.length <= options.commitMax)) {
      const w = queue.shift()!;
      n += w.request.messages.length;
      batch.push(w);
    }
    queued -= n;
    running = run(batch).finally(() => {
      running = null;
      // Whatever queued meanwhile has already waited a commit's time: go now.
      if (queue.length) timer = setTimeout(flush, 0);
    });
  }

  return {
    submit(request: RequestMessages): Promise<EventIngestResult> {
      return new Promise((resolve, reject) => {
        queue.push({ request, resolve, reject });
        queued += request.messages.length;
        if (queued >= options.commitMax && timer && !running) {
          clearTimeout(timer);
          timer = null;
        }
        schedule();
      });
    },
    /** Commits what is queued and waits for it (server shutdown). */
    async drain(): Promise<void> {
      while (queue.length || running) {
        if (timer) {
          clearTimeout(timer);
          timer = null;
        }
        if (!running) flush();
        await running;
      }
    },
  };
}
export type GroupCommitter = ReturnType<typeof groupCommitter>;

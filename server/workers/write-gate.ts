import type { WriteGate } from "../db/create-db";

/**
 * SQLite has one writer at a time, and better-sqlite3 waits for the write lock synchronously
 * (busy_timeout): a request that begins a transaction while the background thread holds the lock
 * blocks the whole event loop — every request — until the background transaction commits, and a
 * background thread committing back to back can starve it. Between the two threads of one process
 * this gate decides instead, in shared memory, without blocking an event loop:
 *
 * - the API thread announces itself (`waiting` + 1), waits *asynchronously* (Atomics.waitAsync) while
 *   the background thread is inside a transaction, then begins (the lock is free: no busy wait);
 * - the background thread begins a transaction only while no API writer waits, so the API's small
 *   writes go first and wait at most one background transaction (kept short: batches of bounded size).
 *
 * Other processes on the same file (a CLI import, `quorum worker`) still meet busy_timeout.
 */
/** Atomics.waitAsync (V8, Node ≥ 16), not yet in TypeScript's ES2022 library. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

const HOLDING = 0; // 1 while the background thread is inside a transaction
const WAITING = 1; // API transactions waiting for or holding the lock

export function newWriteGateBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(8);
}

/** The request thread's side: goes first, never blocks its event loop on the background thread. */
export function apiWriteGate(buffer: SharedArrayBuffer): WriteGate {
  const a = new Int32Array(buffer);
  return {
    async acquire() {
      Atomics.add(a, WAITING, 1);
      while (Atomics.load(a, HOLDING) === 1) {
        const w = waitAsync(a, HOLDING, 1, 1000);
        if (w.async) await w.value;
      }
    },
    // Free unless the background thread is inside a transaction. When it is, the connection waits for the
    // gate (acquire) without holding its mutex (server/db/create-db.ts): the request thread's reads go on.
    tryAcquire() {
      Atomics.add(a, WAITING, 1);
      if (Atomics.load(a, HOLDING) === 0) return true;
      Atomics.sub(a, WAITING, 1);
      return false;
    },
    release() {
      Atomics.sub(a, WAITING, 1);
    },
  };
}

/** The background thread's side: yields to waiting API writers before each transaction. */
export function backgroundWriteGate(buffer: SharedArrayBuffer): WriteGate {
  const a = new Int32Array(buffer);
  const pause = () => new Promise((r) => setTimeout(r, 1));
  return {
    async acquire() {
      for (;;) {
        while (Atomics.load(a, WAITING) > 0) await pause();
        Atomics.store(a, HOLDING, 1);
        // An API writer may have announced itself meanwhile: it goes first.
        if (Atomics.load(a, WAITING) === 0) return;
        Atomics.store(a, HOLDING, 0);
        Atomics.notify(a, HOLDING);
      }
    },
    release() {
      Atomics.store(a, HOLDING, 0);
      Atomics.notify(a, HOLDING);
    },
  };
}

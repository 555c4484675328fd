import type { Config } from "../config";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { claimDue, markAttemptFailed, markSent } from "./outbox.repo";
import { isPermanentFailure, type MailTransport } from "./transports";

export interface OutboxWorkerOptions {
  /** How often an idle worker looks for due messages, in ms (a send request also wakes it at once). */
  pollMs?: number;
  /** Messages claimed per round trip. */
  batchSize?: number;
  /** Messages in flight at once (the SMTP pool opens as many connections). */
  concurrency?: number;
  /** How long a claim holds, in ms; a worker that dies loses its claims after this long. Must exceed a send's timeout. */
  leaseMs?: number;
  /** First retry delay in ms; doubles with every failed attempt up to `backoffMaxMs`. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  log?: (msg: string) => void;
  /** `false`: no background loop; the caller drives `runOnce()` (tests). */
  autostart?: boolean;
}

export interface OutboxWorker {
  /** One claim-and-deliver round; returns how many messages it tried. */
  runOnce(): Promise<number>;
  /** Look for due messages now instead of at the next poll. */
  wake(): void;
  /** Finishes the message in flight, releases unstarted claims, and stops. */
  stop(): Promise<void>;
}

const wakers = new Set<() => void>();
/** Called after a send request commits, so an idle worker in this process starts at once. */
export function notifyOutbox(): void {
  for (const w of wakers) w();
}

/** Delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped. */
export function backoffMs(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * The background deliverer. Each round claims due outbox rows atomically with a lease, sends them one
 * by one and marks each sent right after the transport accepted it. A crash leaves the claimed rows
 * leased; once the lease runs out another worker (or this one restarted) sends them again with the
 * same Message-ID. Failures are retried with exponential backoff up to `maxAttempts`; a 5xx answer
 * fails the message at once.
 */
export function startOutboxWorker(
  deps: { db: Db; config: Config; clock: () => Date },
  transport: MailTransport,
  options: OutboxWorkerOptions = {},
): OutboxWorker {
  const {
    pollMs = 1000,
    batchSize = 20,
    concurrency = 5,
    leaseMs = 120_000,
    backoffBaseMs = 5_000,
    backoffMaxMs = 3_600_000,
  } = options;
  const log = options.log ?? (() => {});
  const owner = newId("wkr");
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;

  async function deliver(row: Awaited<ReturnType<typeof claimDue>>[number]): Promise<void> {
    try {
      await transport.send(row);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = isPermanentFailure(err) || row.attempts >= deps.config.email.maxAttempts;
      const retryAt = giveUp
        ? null
        : new Date(deps.clock().getTime() + backoffMs(row.attempts, backoffBaseMs, backoffMaxMs)).toISOString();
      await markAttemptFailed(deps.db, row, owner, message, retryAt);
      log(
        `[quorum] email ${row.id} to ${row.to_address}: attempt ${row.attempts} failed (${message})${giveUp ? "; gave up" : ""}`,
      );
      return;
    }
    // No await between the transport's acceptance and this write: the duplicate window is one local commit.
    await markSent(deps.db, row, deps.clock(), deps.config.timeZone);
  }

  async function runOnce(): Promise<number> {
    const now = deps.clock();
    const rows = await claimDue(deps.db, owner, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), batchSize);
    let next = 0;
    const lane = async () => {
      while (next < rows.length && !stopping) await deliver(rows[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    if (next < rows.length) await release(rows.slice(next).map((r) => r.id));
    return rows.length;
  }

  async function release(ids: string[]) {
    if (ids.length === 0) return;
    await deps.db
      .updateTable("email_outbox")
      .set((eb) => ({ lease_owner: null, lease_until: null, attempts: eb("attempts", "-", 1) }))
      .where("id", "in", ids)
      .where("lease_owner", "=", owner)
      .where("status", "=", "queued")
      .execute();
  }

  const loop = (async () => {
    while (!stopping && options.autostart !== false) {
      let worked = 0;
      try {
        worked = await runOnce();
      } catch (err) {
        log(`[quorum] outbox worker: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (worked > 0 || stopping) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, pollMs);
      });
      wakeUp = null;
      if (timer) clearTimeout(timer);
    }
  })();

  const wake = () => wakeUp?.();
  wakers.add(wake);
  return {
    runOnce,
    wake,
    async stop() {
      stopping = true;
      wakers.delete(wake);
      wake();
      await loop;
      transport.close();
    },
  };
}

/**
 * How a CRM failure affects a sync, whatever the SDK: the clients translate their SDK's errors into
 * these so the runner decides in one place (retry, pause, needs sign-in, fail).
 */
export type ConnectorErrorKind =
  /** The grant was revoked or the credentials are wrong: the connection needs a new sign-in. */
  | "auth"
  /** 429 / REQUEST_LIMIT_EXCEEDED: wait `retryAfterMs` (when short) or pause the run until later. */
  | "rate_limited"
  /** 5xx, network: retry with capped backoff. */
  | "transient"
  /** Anything else (bad query, missing permission): fail the run with the CRM's message. */
  | "permanent";

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly vendorCode: string | null = null,
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this pauses the run instead of waiting in the worker. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy = (): RetryPolicy => ({
  attempts: 5,
  baseMs: 1000,
  maxMs: 30_000,
  maxWaitMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
});

/**
 * Runs one CRM call with the team's policy: 429 waits Retry-After (or backoff), 5xx and network
 * failures back off exponentially (capped), up to `attempts`; auth and permanent failures, and
 * rate limits longer than `maxWaitMs`, go straight to the caller.
 */
export async function withRetries<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConnectorError)) throw err;
      const retryable = err.kind === "transient" || err.kind === "rate_limited";
      if (!retryable || attempt >= policy.attempts) throw err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const wait = err.kind === "rate_limited" && err.retryAfterMs !== null ? err.retryAfterMs : backoff;
      if (wait > policy.maxWaitMs) throw err;
      await policy.sleep(wait);
    }
  }
}

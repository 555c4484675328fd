import { Agent, request } from "node:http";

/**
 * An open-loop load generator at a fixed rate: request k is due at `k / rate` seconds after the start,
 * whatever the earlier answers did, and goes to `bases[k % bases.length]` (the load spread evenly over
 * the instances, in time as well as in count).
 *
 * Why not autocannon's `overallRate`: autocannon limits a rate by letting each connection send its
 * per-second quota back-to-back as fast as answers come, then pausing until the next second
 * (lib/httpClient.js, `reqsMadeThisSecond`). "1 000 req/s" over 10 connections is then a burst at full
 * concurrency for the first part of each second and silence for the rest, and its p99 is the latency of a
 * saturated server, not of one taking a steady 1 000 req/s.
 *
 * (`bench/isolation/run.ts` has its own open-loop loop of the same kind, stopped by a job's end rather than a
 * count and mixing two endpoints.)
 *
 * Two latencies per request, both exact (every sample kept and sorted, no histogram buckets):
 * - `fromSend`: from writing the request to the end of the answer (what autocannon reports);
 * - `fromDue`: from the moment it was due to the end of the answer, so time a request waited for a free
 *   connection or for this generator's own timer counts too (the "coordinated omission" correction, as
 *   wrk2 makes it). The stricter of the two.
 */
export interface PacedOptions {
  bases: string[];
  /** Requests per second over all bases. */
  rate: number;
  seconds: number;
  /** Path of request k (called once per request, in order). */
  path: (k: number) => string;
  headers: Record<string, string>;
  /** Keep-alive sockets per base (more only if answers are slower than 1 / rate). */
  socketsPerBase?: number;
}

export interface Latencies {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}
export interface PacedResult {
  requests: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  fromSend: Latencies;
  fromDue: Latencies;
  /** `fromDue` per base (instance), in the order of `bases`. */
  perBase: Latencies[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
function latencies(samples: number[]): Latencies {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => round2(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: round2(sorted[sorted.length - 1] ?? Number.NaN) };
}

export async function paced(opts: PacedOptions): Promise<PacedResult> {
  const total = Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const agents = opts.bases.map(() => new Agent({ keepAlive: true, maxSockets: opts.socketsPerBase ?? 8 }));
  const targets = opts.bases.map((b) => new URL(b));
  const fromSend: number[] = [];
  const fromDue: number[] = [];
  const perBase: number[][] = opts.bases.map(() => []);
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let sent = 0;
  const t0 = performance.now() + 5;
  return await new Promise<PacedResult>((resolve) => {
    const finish = () => {
      const elapsed = (performance.now() - t0) / 1000;
      for (const agent of agents) agent.destroy();
      resolve({
        requests: done,
        perSecond: Math.round(done / elapsed),
        non2xx,
        errors,
        fromSend: latencies(fromSend),
        fromDue: latencies(fromDue),
        perBase: perBase.map(latencies),
      });
    };
    const send = (k: number) => {
      const due = t0 + k * interval;
      const i = k % targets.length;
      const target = targets[i]!;
      let start = 0;
      const req = request(
        {
          agent: agents[i],
          host: target.hostname,
          port: target.port,
          path: opts.path(k),
          method: "GET",
          headers: opts.headers,
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            const end = performance.now();
            if (res.statusCode! < 200 || res.statusCode! > 299) non2xx++;
            fromSend.push(end - start);
            fromDue.push(end - due);
            perBase[i]!.push(end - due);
            if (++done + errors === total) finish();
          });
        },
      );
      // The socket may be queued in the agent; "sent" is when it is assigned one and written.
      req.on("socket", () => {
        start = performance.now();
      });
      req.on("error", () => {
        if (done + ++errors === total) finish();
      });
      req.end();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
}

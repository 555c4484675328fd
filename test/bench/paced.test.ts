import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { paced } from "../../bench/server/paced";

// The load generator behind the "p99 at a fixed 1 000 req/s" figure (bench/server/paced.ts). A closed-loop
// generator (autocannon's rate limit) waits for answers before sending more, so a slow server slows the
// load and hides its own queueing; these check the generator keeps to its schedule and charges the wait.
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
/** A real HTTP server on loopback answering each request after `delayMs`, counting the paths it saw. */
async function server(delayMs: number, seen: string[]): Promise<string> {
  const s = createServer((req, res) => {
    seen.push(req.url!);
    setTimeout(() => res.end("ok"), delayMs);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("paced load generator", () => {
  it("sends every request, round-robin over the bases, each path once", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const bases = [await server(0, a), await server(0, b)];
    const r = await paced({ bases, rate: 400, seconds: 0.1, headers: {}, path: (k) => `/r/${k}` });
    expect(r.requests).toBe(40);
    expect(r.errors + r.non2xx).toBe(0);
    // Several sockets per base: arrival order may interleave, so compare as sets.
    const sorted = (xs: string[]) => [...xs].sort();
    expect(sorted(a)).toEqual(sorted(Array.from({ length: 20 }, (_, i) => `/r/${2 * i}`)));
    expect(sorted(b)).toEqual(sorted(Array.from({ length: 20 }, (_, i) => `/r/${2 * i + 1}`)));
  });

  it("counts the time a request waited behind a slow answer (open loop), not only its own answer", async () => {
    // One socket, 30 ms per answer, 50 requests due within 0.25 s: the last cannot finish before 50 × 30 ms
    // = 1.5 s, i.e. over 1.2 s after it was due, while each one's own answer takes ~30 ms.
    const bases = [await server(30, [])];
    const r = await paced({ bases, rate: 200, seconds: 0.25, headers: {}, path: () => "/", socketsPerBase: 1 });
    expect(r.requests).toBe(50);
    expect(r.fromDue.max).toBeGreaterThan(1200);
    expect(r.fromSend.p50).toBeGreaterThanOrEqual(25);
    expect(r.fromSend.p99).toBeLessThan(1000);
    expect(r.perBase[0]!.max).toBe(r.fromDue.max);
  });

  it("counts non-2xx answers", async () => {
    const s = createServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const r = await paced({ bases: [base], rate: 100, seconds: 0.1, headers: {}, path: () => "/" });
    expect(r.non2xx).toBe(10);
  });
});

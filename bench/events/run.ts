import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { signBody } from "../../server/event-sources/signature";
import { datasetAt, domainOf, eventMessage, identifyMessage } from "./dataset";

/**
 * `npm run bench:events [-- --scale 1 --seconds 15 --connections 64 --batch 500]`: the event webhook under
 * autocannon against `npm start`'s server (own process, SQLite, group commit with QUORUM_EVENTS_COMMIT_MS).
 * 1. single-message requests (one signed track/page per request, the way CDPs deliver): goal ≥ 3 000 req/s, p99 ≤ 50 ms;
 * 2. batch requests (`{"type":"batch"}` of --batch messages): goal ≥ 50 000 events/s.
 * Then it checks, in the database, that every accepted event is stored exactly once and counted in the rollup.
 * Writes bench/.data/events-report.json.
 */
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    seconds: { type: "string", default: "15" },
    connections: { type: "string", default: "64" },
    batch: { type: "string", default: "500" },
  },
});
const scale = Number(values.scale);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const batchSize = Number(values.batch);
const dir = join("bench", ".data", "events");
rmSync(dir, { recursive: true, force: true });
const TOKEN = "qrm_bench_events_admin_token_000001";
const d = datasetAt(scale);
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir=bench/.data/prof"] : []),
    "--import",
    "tsx",
    "bench/events/server.ts",
    dir,
    TOKEN,
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  },
);
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (c) => {
    out += c;
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) resolve(JSON.parse(line).port);
  });
  child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
/** The server process's CPU time (user + system) in seconds: requests per CPU-second stay comparable on a busy machine. */
const cpuOf = (stat: string) => {
  const f = readFileSync(stat, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const serverCpu = () => cpuOf(`/proc/${child.pid}/stat`);
/** The server's main thread alone (its request and commit thread; the parse worker and checkpointer are others). */
const mainCpu = () => cpuOf(`/proc/${child.pid}/task/${child.pid}/stat`);
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};

console.log(`Events bench: ${d.accounts} accounts, ${d.people} people; load average ${load()}`);
for (let a = 0; a < d.accounts; a += 50)
  await Promise.all(
    Array.from({ length: Math.min(50, d.accounts - a) }, (_, i) =>
      api("POST", "/api/accounts", { name: `Bench account ${a + i}`, domain: domainOf(a + i) }),
    ),
  );
const source = (await api("POST", "/api/event-sources", { name: "Bench CDP" })) as { id: string; secret: string };
const ingest = `/hooks/events/${source.id}`;
const signedPost = async (body: string) => {
  const res = await fetch(`${base}${ingest}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": signBody(source.secret, body, Math.floor(Date.now() / 1000)) },
    body,
  });
  if (!res.ok) throw new Error(`ingest: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ identified: number }>;
};
const at = () => new Date(Date.now() - 60_000).toISOString();
for (let p = 0; p < d.people; p += 500) {
  const batch = Array.from({ length: Math.min(500, d.people - p) }, (_, i) => identifyMessage(d, p + i, at()));
  const r = await signedPost(JSON.stringify({ type: "batch", batch }));
  if (r.identified !== batch.length) throw new Error(`identify: ${JSON.stringify(r).slice(0, 500)}`);
}
console.log(`identified ${d.people} people through identify calls`);

/** Accepted messages per phase, from the answers (2xx bodies say `accepted`). */
const counted = { single: 0, batch: 0 };
let n = 0;
const run = `r${Date.now().toString(36)}`;

function cannon(kind: "single" | "batch", conns: number) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: conns,
        duration: seconds,
        requests: [
          {
            method: "POST",
            path: ingest,
            setupRequest: (req: autocannon.Request) => {
              const ts = at();
              const body =
                kind === "single"
                  ? JSON.stringify(eventMessage(d, run, n++, ts))
                  : JSON.stringify({
                      type: "batch",
                      batch: Array.from({ length: batchSize }, () => eventMessage(d, run, n++, ts)),
                    });
              return {
                ...req,
                body,
                headers: {
                  "content-type": "application/json",
                  "x-signature": signBody(source.secret, body, Math.floor(Date.now() / 1000)),
                },
              };
            },
            onResponse: (status: number, body: string) => {
              if (status === 200) counted[kind] += JSON.parse(body).accepted;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    void instance;
  });
}

console.log(`single-message requests: ${connections} connections, ${seconds} s …`);
let cpu0 = serverCpu();
let main0 = mainCpu();
const single = await cannon("single", connections);
const singleCpu = serverCpu() - cpu0;
const singleMain = mainCpu() - main0;
const singleRps = single.requests.average;
console.log(
  `  ${single.requests.total} requests, ${singleRps.toFixed(0)} req/s, latency p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms, non-2xx ${single.non2xx}, errors ${single.errors}, timeouts ${single.timeouts}; server CPU ${singleCpu.toFixed(1)} s (${(single.requests.total / singleCpu).toFixed(0)} requests per CPU-second), main thread ${singleMain.toFixed(1)} s`,
);
console.log(`batch requests of ${batchSize}: 8 connections, ${seconds} s …`);
cpu0 = serverCpu();
main0 = mainCpu();
const batch = await cannon("batch", 8);
const batchCpu = serverCpu() - cpu0;
const batchMain = mainCpu() - main0;
const eventsPerSecond = (batch.requests.total * batchSize) / seconds;
console.log(
  `  ${batch.requests.total} requests, ${eventsPerSecond.toFixed(0)} events/s, latency p50 ${batch.latency.p50} ms, p99 ${batch.latency.p99} ms, non-2xx ${batch.non2xx}, errors ${batch.errors}; server CPU ${batchCpu.toFixed(1)} s (${((batch.requests.total * batchSize) / batchCpu).toFixed(0)} events per CPU-second), main thread ${batchMain.toFixed(1)} s (${((1e6 * batchMain) / (batch.requests.total * batchSize)).toFixed(1)} µs per event)`,
);

child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
const db = new Database(join(dir, "quorum.sqlite"), { readonly: true });
const stored = Number(
  (db.prepare(`select count(*) as n from activities where external_id like ?`).get(`evt:${source.id}:${run}-%`) as { n: number })
    .n,
);
const rollup = Number((db.prepare("select coalesce(sum(count), 0) as n from activity_daily").get() as { n: number }).n);
const activities = Number((db.prepare("select count(*) as n from activities").get() as { n: number }).n);
const held = Number((db.prepare("select count(*) as n from event_held").get() as { n: number }).n);
db.close();
const accepted = counted.single + counted.batch;
const ok = {
  singleRps: singleRps >= 3000,
  singleP99: single.latency.p99 <= 50,
  batchEvents: eventsPerSecond >= 50_000,
  storedOnce: stored >= accepted && stored <= n,
  rollup: rollup === activities,
  noErrors: single.non2xx + single.errors + batch.non2xx + batch.errors === 0 && held === 0,
};
console.log(
  `check: ${accepted} events answered as accepted, ${stored} stored of ${n} sent (requests in flight when autocannon stopped are stored but not counted; ids are unique, so none twice)${ok.storedOnce ? "" : " MISMATCH"}, rollup total ${rollup} = ${activities} activities${rollup === activities ? "" : " MISMATCH"}, ${held} held`,
);
console.log(
  `goals: single ≥ 3 000 req/s ${ok.singleRps ? "met" : "MISSED"}, p99 ≤ 50 ms ${ok.singleP99 ? "met" : "MISSED"}, batch ≥ 50 000 events/s ${ok.batchEvents ? "met" : "MISSED"}; load average ${load()}`,
);
writeFileSync(
  join("bench", ".data", "events-report.json"),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      dataset: d,
      seconds,
      connections,
      batchSize,
      commitMs: process.env.QUORUM_EVENTS_COMMIT_MS ?? "4 (default)",
      single: {
        cpuSeconds: singleCpu,
        mainThreadCpuSeconds: singleMain,
        requests: single.requests.total,
        rps: singleRps,
        p50: single.latency.p50,
        p99: single.latency.p99,
        non2xx: single.non2xx,
      },
      batch: {
        cpuSeconds: batchCpu,
        mainThreadCpuSeconds: batchMain,
        requests: batch.requests.total,
        eventsPerSecond,
        p99: batch.latency.p99,
        non2xx: batch.non2xx,
      },
      accepted,
      stored,
      rollup,
      activities,
      ok,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = Object.values(ok).every(Boolean) ? 0 : 1;

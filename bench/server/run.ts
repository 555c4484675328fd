import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { bundleServer } from "../../server/build/bundle-server";
import { copyData } from "../../server/copy/copy-data";
import { scaled } from "./dataset";
import { paced } from "./paced";
import { ensureSchema, pgGroupByPhase, pgGroupIds, pgRawInsertPhase, pgVacuumAnalyze } from "./pg";
import { activityBatches, feedIngest, groupByPhase, rawInsertPhase } from "./phases";

/**
 * The server benchmark: `npm run bench:server` (full size) or `npm run bench:server -- --scale 0.1`.
 * Builds 10 000 accounts, 30 000 groups, 200 000 people and 5 000 000 activities over 45 days, then
 * measures in one run: ingest through the service vs a raw prepared insert; a full recompute vs one
 * GROUP BY pass; the group-details endpoint vs the /health route under autocannon from this (second)
 * process; and the peak RSS of each server-side process. Writes bench/.data/report.json.
 *
 * `-- --database-url postgres://…` runs the measured phases on PostgreSQL: the data set is built in
 * SQLite as usual (set-up, not measured) and moved with `copy-data`; ingest, recompute and the HTTP
 * server then use PostgreSQL, and the baselines are PostgreSQL's (see pg.ts). Writes report.pg.json.
 *
 * `-- --instances N` runs N server processes on the database for the HTTP phase, one autocannon per
 * process, 10 connections in all (default 3 on PostgreSQL, 1 on SQLite); `-- --raw-without-fk` also
 * measures PostgreSQL's raw load without the foreign keys.
 *
 * `-- --workers off` starts the HTTP servers without their background worker thread (HTTP-only servers beside
 * `quorum worker` processes, as docs/deploy.md describes for several instances); `thread` (default) is `npm start`'s.
 *
 * `-- --server tsx` runs the HTTP servers from the sources through tsx instead of the production bundle (the default,
 * built into bench/.data/server-dist first: what `npm start` runs).
 *
 * `-- --http-only` measures the HTTP phase again on the data set an earlier run left (report.http.json);
 * `-- --rounds N` sets how many alternating hello-world / details rounds it takes the median of (3);
 * `-- --paced-seconds N` the length of the steady 1 000 req/s phase (20; paced.ts, open loop, evenly spaced).
 */
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    seconds: { type: "string", default: "10" },
    "database-url": { type: "string" },
    rounds: { type: "string", default: "3" },
    /** Length of the steady 1 000 req/s phase (paced.ts). */
    "paced-seconds": { type: "string", default: "20" },
    "http-only": { type: "boolean", default: false },
    instances: { type: "string" },
    "raw-without-fk": { type: "boolean", default: false },
    /** QUORUM_WORKERS of the HTTP servers: `thread` (what `npm start` does) or `off` (HTTP-only servers, docs/deploy.md). */
    workers: { type: "string", default: "thread" },
    /** How the HTTP servers run: `bundle` (the production build, what `npm start` runs) or `tsx` (the sources). */
    server: { type: "string", default: "bundle" },
  },
});
const pgUrl = values["database-url"];
if (pgUrl && !/^postgres(ql)?:\/\//.test(pgUrl)) throw new Error("--database-url must be a postgres:// URL");
const scale = Number(values.scale);
const seconds = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const httpOnly = values["http-only"];
/** Server processes sharing the database in the HTTP phase: 3 on PostgreSQL (issue 17), 1 on SQLite. */
const INSTANCES = Number(values.instances ?? (pgUrl ? 3 : 1));
if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > 10) throw new Error("--instances must be 1–10");
if (values.workers !== "thread" && values.workers !== "off") throw new Error("--workers must be thread or off");
if (values.server !== "bundle" && values.server !== "tsx") throw new Error("--server must be bundle or tsx");
const dir = join(process.cwd(), "bench/.data");
mkdirSync(dir, { recursive: true });
const dbFile = join(dir, "bench.sqlite");
const peopleFile = join(dir, "people.json");
const end = new Date();
const tsx = ["--import", "tsx"];

type WorkerResult = Record<string, number> & { perSecond: number; ms: number; rows: number; peakRssMb: number };
function worker(args: string[], feed?: (child: ChildProcess) => void): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...tsx, "bench/server/worker.ts", ...args], {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    feed?.(child);
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`worker ${args[0]} exited ${code}`)),
    );
  });
}

const log = (s: string) => process.stderr.write(`${s}\n`);
const s = scaled(scale);
log(
  `Scale ${scale}: ${s.accounts} accounts, ${s.accounts * 3} groups, ${s.accounts * s.peoplePerAccount} people, ${s.activities} activities over ${s.days} days`,
);

// The database the measured phases use: the SQLite file, or PostgreSQL with the same data set copied in.
const target = pgUrl ?? dbFile;
async function dataPhases() {
  log("building the data set …");
  const dataset = await worker(["dataset", dbFile, String(scale), peopleFile]);
  log(`  ${JSON.stringify(dataset)}`);
  if (pgUrl) {
    log("copying the data set to PostgreSQL (copy-data) …");
    await ensureSchema(pgUrl);
    const copied = await copyData(dbFile, pgUrl, { force: true });
    log(`  ${copied.tables.reduce((n, t) => n + t.rows, 0)} rows in ${copied.milliseconds} ms`);
    // The previous run's rows, deleted by copy-data, out of the heap and indexes, and statistics, as autovacuum
    // would leave a settled database before a team's ingest (the raw load below writes into a fresh table).
    log("VACUUM ANALYZE (set-up, not measured) …");
    await pgVacuumAnalyze(target);
  }
  log("ingest through the service …");
  const people = JSON.parse(readFileSync(peopleFile, "utf8"));
  const ingest = await worker(["ingest", target, end.toISOString()], (child) =>
    feedIngest(child, activityBatches(people, s, end)),
  );
  log(`  ${JSON.stringify(ingest)}`);
  log("raw prepared insert of the same rows …");
  const raw = pgUrl
    ? await pgRawInsertPhase(pgUrl, people, s, end)
    : await rawInsertPhase(join(dir, "raw.sqlite"), people, s, end);
  log(`  ${JSON.stringify(raw)}`);
  // PostgreSQL only, on request: the same load into a table without the foreign keys (what they cost).
  const rawNoFk = pgUrl && values["raw-without-fk"] ? await pgRawInsertPhase(pgUrl, people, s, end, false) : undefined;
  if (rawNoFk) log(`  without foreign keys: ${JSON.stringify(rawNoFk)}`);
  log("one GROUP BY pass over the activities …");
  const groupBy = pgUrl ? await pgGroupByPhase(pgUrl) : groupByPhase(dbFile);
  log(`  ${JSON.stringify(groupBy)}`);
  log("full recompute …");
  const recompute = await worker(["recompute", target, end.toISOString()]);
  log(`  ${JSON.stringify(recompute)}`);
  return { dataset, ingest, raw, rawNoFk, groupBy, recompute };
}
if (httpOnly && !existsSync(dbFile)) throw new Error(`--http-only needs the data set of an earlier run in ${dbFile}`);
// --http-only: measure the HTTP phase again on the data set (and database) an earlier run left.
const data = httpOnly ? null : await dataPhases();

// HTTP: the real server in its own process; this process is the load generator.
const port = 18_787;
const token = "bench_token_0123456789abcdefghij";
const groupIds = pgUrl
  ? await pgGroupIds(pgUrl, 2000)
  : (() => {
      const sqlite = new SQLite(dbFile, { readonly: true });
      const ids = (
        sqlite.prepare("select id from buying_groups order by random() limit 2000").all() as Array<{ id: string }>
      ).map((r) => r.id);
      sqlite.close();
      return ids;
    })();
// N server processes on the one database (PostgreSQL: 3 by default, the load spread over them; SQLite: 1).
// Every process shares the token secret; the first one migrates and creates the bench token, then the others start.
const tokenSecret = "bench-token-secret-0123456789abcdef0123456789";
// What `npm start` runs: the production bundle (`node dist/server.js serve`, built here into bench/.data/server-dist),
// not the sources through tsx, whose loader thread and transforms add tens of MB to each process (`--server tsx`).
const serverArgs =
  values.server === "tsx"
    ? [...tsx, "server/cli/main.ts", "serve"]
    : await (async () => {
        const out = join(dir, "server-dist");
        await bundleServer(out);
        return [join(out, "server.js"), "serve"];
      })();
const startServer = (i: number): ChildProcess =>
  spawn(process.execPath, serverArgs, {
    env: {
      ...process.env,
      DATABASE_URL: target,
      QUORUM_PORT: String(port + i),
      QUORUM_BOOTSTRAP_TOKEN: token,
      QUORUM_TOKEN_SECRET: tokenSecret,
      QUORUM_DEMO_DATA: "false",
      QUORUM_LOG: "silent",
      QUORUM_DATA_DIR: dir,
      QUORUM_WORKERS: values.workers,
    },
    stdio: "inherit",
  });
async function waitHealthy(base: string) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      if (i > 600) throw new Error(`server ${base} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
const bases = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${port + i}`);
const servers: ChildProcess[] = [startServer(0)];
// A failed run (a server that did not start, an autocannon error) must not leave servers holding the ports.
process.once("exit", () => {
  for (const server of servers) if (server.exitCode === null) server.kill("SIGTERM");
});
await waitHealthy(bases[0]!);
for (let i = 1; i < INSTANCES; i++) servers.push(startServer(i));
for (const base of bases) await waitHealthy(base);
log(`${INSTANCES} server instance(s) on ${bases.join(", ")}`);

let n = 0;
const details = (counter = { n: 0 }, shared = true) => ({
  method: "GET" as const,
  setupRequest: (req: autocannon.Request) => ({
    ...req,
    path: `/api/groups/${groupIds[(shared ? n++ : counter.n++) % groupIds.length]}`,
  }),
});
// What a browser (the extension's fetch) sends; the details route answers it with its cached gzip.
const browser = { "accept-encoding": "gzip, deflate, br, zstd" };
const headers = { authorization: `Bearer ${token}`, ...browser };
const plainHeaders = { authorization: `Bearer ${token}`, "accept-encoding": "identity" };

interface Combined {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  throughput: { average: number };
  non2xx: number;
  errors: number;
}
/** Splits `total` into `parts` integers that add up to it (10 connections over 3 instances: 4, 3, 3). */
const split = (total: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
/**
 * One autocannon per instance, all at once, 10 connections in all (and `overallRate` split the same
 * way). Rates add up; latency percentiles cannot be merged from percentiles, so the combined p50/p99 is
 * the highest instance's (pessimistic).
 */
async function cannon(
  opts: autocannon.Options & { perInstance?: (i: number) => Partial<autocannon.Options> },
): Promise<Combined> {
  const connections = split(10, INSTANCES);
  const rates = opts.overallRate ? split(opts.overallRate, INSTANCES) : null;
  const results = await Promise.all(
    bases.map((base, i) => {
      const { perInstance, ...rest } = opts;
      const url = rest.url ? rest.url.replace(bases[0]!, base) : base;
      return autocannon({
        duration: seconds,
        ...rest,
        url,
        connections: connections[i]!,
        ...(rates && { overallRate: rates[i]! }),
        ...perInstance?.(i),
      });
    }),
  );
  return {
    requests: {
      average: results.reduce((sum, r) => sum + r.requests.average, 0),
      total: results.reduce((sum, r) => sum + r.requests.total, 0),
    },
    latency: { p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)) },
    throughput: { average: results.reduce((sum, r) => sum + r.throughput.average, 0) },
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}
const base = bases[0]!;
// Cold: each instance gets each of the groups once, so every request builds its details (and fills that
// instance's cache).
log(`autocannon: cold, each of ${groupIds.length} groups once per instance …`);
const cold = await cannon({
  url: base,
  headers,
  perInstance: () => {
    const counter = { n: 0 };
    return { requests: [details(counter, false)], amount: groupIds.length };
  },
});
log("autocannon: warm-up …");
await cannon({ url: base, headers, requests: [details()], duration: 5 });
await cannon({ url: base, headers: plainHeaders, requests: [details()], duration: 2 });
await cannon({ url: `${base}/health`, headers: browser, duration: 2 });
// The machine's speed drifts within seconds (2 shared cores, a load generator beside the server):
// alternate the routes for a few rounds and take the median of each.
const rounds: Array<{ hello: Combined; max: Combined; plain: Combined }> = [];
for (let round = 1; round <= ROUNDS; round++) {
  log(`autocannon round ${round}/${ROUNDS}: /health (hello world), group details (gzip), group details (identity) …`);
  const hello = await cannon({ url: `${base}/health`, headers: browser });
  const max = await cannon({ url: base, headers, requests: [details()] });
  const plain = await cannon({ url: base, headers: plainHeaders, requests: [details()] });
  rounds.push({ hello, max, plain });
}
// The goal's fixed 1 000 req/s: evenly paced, open loop, spread over the instances (paced.ts says why not
// autocannon's rate limit, which sends each second's quota as a burst; that figure is kept beside it).
log("autocannon: group details at overallRate 1 000 (each second's quota as a burst) …");
const fixed = await cannon({ url: base, headers, requests: [details()], overallRate: 1000 });
const pacedRun = (secs: number) =>
  paced({
    bases,
    rate: 1000,
    seconds: secs,
    headers,
    path: (k) => `/api/groups/${groupIds[k % groupIds.length]}`,
  });
log("paced: group details at a steady 1 000 req/s (warm-up 2 s) …");
await pacedRun(2);
const steady = await pacedRun(Number(values["paced-seconds"]));
const serverRss = servers.map((server) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
});
for (const server of servers) server.kill("SIGTERM");

const r2 = (x: number) => Math.round(x * 100) / 100;
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 100) / 100;
}
const report = {
  date: end.toISOString(),
  database: pgUrl ? "postgresql" : "sqlite",
  node: process.version,
  scale: s,
  ...(data && {
    dataset: {
      accounts: data.dataset.accounts,
      groups: data.dataset.groups,
      people: data.dataset.people,
      members: data.dataset.members,
      activities: data.ingest.rows,
    },
    ingest: {
      servicePerSecond: data.ingest.perSecond,
      rawPerSecond: data.raw.perSecond,
      ratio: r2(data.ingest.perSecond / data.raw.perSecond),
      ...(data.rawNoFk && {
        rawWithoutForeignKeysPerSecond: data.rawNoFk.perSecond,
        ratioWithoutForeignKeys: r2(data.ingest.perSecond / data.rawNoFk.perSecond),
      }),
      goal: "≥ 0.5",
      phasesMs: (data.ingest as unknown as { phasesMs?: Record<string, number> }).phasesMs,
    },
    recompute: {
      ms: Math.round(data.recompute.ms),
      groupByMs: Math.round(data.groupBy.ms),
      ratio: r2(data.recompute.ms / data.groupBy.ms),
      goal: "≤ 2",
    },
  }),
  http: {
    instances: INSTANCES,
    helloPerSecond: median(rounds.map((r) => r.hello.requests.average)),
    detailsPerSecond: median(rounds.map((r) => r.max.requests.average)),
    ratio: r2(median(rounds.map((r) => r.max.requests.average / r.hello.requests.average))),
    detailsP50Ms: median(rounds.map((r) => r.max.latency.p50)),
    detailsP99Ms: median(rounds.map((r) => r.max.latency.p99)),
    detailsBytes: Math.round(median(rounds.map((r) => r.max.throughput.average / r.max.requests.average))),
    identity: {
      perSecond: median(rounds.map((r) => r.plain.requests.average)),
      ratio: r2(median(rounds.map((r) => r.plain.requests.average / r.hello.requests.average))),
      p99Ms: median(rounds.map((r) => r.plain.latency.p99)),
      bytes: Math.round(median(rounds.map((r) => r.plain.throughput.average / r.plain.requests.average))),
    },
    rounds: rounds.map((r) => ({
      hello: Math.round(r.hello.requests.average),
      details: Math.round(r.max.requests.average),
      ratio: r2(r.max.requests.average / r.hello.requests.average),
      identity: Math.round(r.plain.requests.average),
      identityRatio: r2(r.plain.requests.average / r.hello.requests.average),
    })),
    cold: {
      requests: cold.requests.total,
      perSecond: Math.round(cold.requests.average),
      p50Ms: cold.latency.p50,
      p99Ms: cold.latency.p99,
      non2xx: cold.non2xx,
    },
    at1000: {
      how: "paced: one request every 1 ms, round-robin over the instances, open loop (bench/server/paced.ts)",
      seconds: Number(values["paced-seconds"]),
      perSecond: steady.perSecond,
      requests: steady.requests,
      p50Ms: steady.fromSend.p50,
      p99Ms: steady.fromSend.p99,
      fromSend: steady.fromSend,
      fromDue: steady.fromDue,
      perInstanceFromDue: steady.perBase,
      non2xx: steady.non2xx,
      errors: steady.errors,
    },
    at1000Bursts: {
      how: "autocannon overallRate 1000: each connection's per-second quota sent back-to-back, then a pause",
      perSecond: Math.round(fixed.requests.average),
      p50Ms: fixed.latency.p50,
      p99Ms: fixed.latency.p99,
      non2xx: fixed.non2xx,
      errors: fixed.errors,
    },
    goal: "ratio ≥ 0.3 and p99 ≤ 10 ms at a steady 1 000 req/s (at1000: fromSend, and fromDue the stricter)",
    latencyNote: INSTANCES > 1 ? "p50/p99: the highest of the instances' (one autocannon per instance)" : undefined,
  },
  peakRssMb: {
    ingest: data?.ingest.peakRssMb,
    recompute: data?.recompute.peakRssMb,
    httpServer: serverRss.length === 1 ? serverRss[0] : serverRss,
    goal: "≤ 300",
  },
};
const reportFile = `report${pgUrl ? ".pg" : ""}${httpOnly ? ".http" : ""}.json`;
writeFileSync(join(dir, reportFile), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
process.exit(0);

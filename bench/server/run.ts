import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { copyData } from "../../server/copy/copy-data";
import { scaled } from "./dataset";
import { ensureSchema, pgGroupByPhase, pgGroupIds, pgRawInsertPhase } from "./pg";
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
 */
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    seconds: { type: "string", default: "10" },
    "database-url": { type: "string" },
  },
});
const pgUrl = values["database-url"];
if (pgUrl && !/^postgres(ql)?:\/\//.test(pgUrl)) throw new Error("--database-url must be a postgres:// URL");
const scale = Number(values.scale);
const seconds = Number(values.seconds);
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

log("building the data set …");
const dataset = await worker(["dataset", dbFile, String(scale), peopleFile]);
log(`  ${JSON.stringify(dataset)}`);
// The database the measured phases use: the SQLite file, or PostgreSQL with the same data set copied in.
const target = pgUrl ?? dbFile;
if (pgUrl) {
  log("copying the data set to PostgreSQL (copy-data) …");
  await ensureSchema(pgUrl);
  const copied = await copyData(dbFile, pgUrl, { force: true });
  log(`  ${copied.tables.reduce((n, t) => n + t.rows, 0)} rows in ${copied.milliseconds} ms`);
}
log("ingest through the service …");
const people = JSON.parse(readFileSync(peopleFile, "utf8"));
const ingest = await worker(["ingest", target, end.toISOString()], (child) => feedIngest(child, activityBatches(people, s, end)));
log(`  ${JSON.stringify(ingest)}`);
log("raw prepared insert of the same rows …");
const raw = pgUrl ? await pgRawInsertPhase(pgUrl, people, s, end) : await rawInsertPhase(join(dir, "raw.sqlite"), people, s, end);
log(`  ${JSON.stringify(raw)}`);
log("one GROUP BY pass over the activities …");
const groupBy = pgUrl ? await pgGroupByPhase(pgUrl) : groupByPhase(dbFile);
log(`  ${JSON.stringify(groupBy)}`);
log("full recompute …");
const recompute = await worker(["recompute", target, end.toISOString()]);
log(`  ${JSON.stringify(recompute)}`);

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
const server: ChildProcess = spawn(process.execPath, [...tsx, "server/cli/main.ts", "serve"], {
  env: {
    ...process.env,
    DATABASE_URL: target,
    QUORUM_PORT: String(port),
    QUORUM_BOOTSTRAP_TOKEN: token,
    QUORUM_DEMO_DATA: "false",
    QUORUM_LOG: "silent",
    QUORUM_DATA_DIR: dir,
  },
  stdio: "inherit",
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {
    if (i > 300) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}
let n = 0;
const details = () => ({
  method: "GET" as const,
  setupRequest: (req: autocannon.Request) => ({ ...req, path: `/api/groups/${groupIds[n++ % groupIds.length]}` }),
});
const headers = { authorization: `Bearer ${token}` };
const cannon = (opts: autocannon.Options) => autocannon({ connections: 10, duration: seconds, ...opts });
log("autocannon: warm-up …");
await cannon({ url: base, headers, requests: [details()], duration: 3 });
log("autocannon: /health (hello world) …");
const hello = await cannon({ url: `${base}/health` });
log("autocannon: group details, max throughput …");
const max = await cannon({ url: base, headers, requests: [details()] });
log("autocannon: group details at 1 000 req/s …");
const fixed = await cannon({ url: base, headers, requests: [details()], overallRate: 1000 });
const serverRss = (() => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
})();
server.kill("SIGTERM");

const r2 = (x: number) => Math.round(x * 100) / 100;
const report = {
  date: end.toISOString(),
  database: pgUrl ? "postgresql" : "sqlite",
  node: process.version,
  scale: s,
  dataset: {
    accounts: dataset.accounts,
    groups: dataset.groups,
    people: dataset.people,
    members: dataset.members,
    activities: ingest.rows,
  },
  ingest: {
    servicePerSecond: ingest.perSecond,
    rawPerSecond: raw.perSecond,
    ratio: r2(ingest.perSecond / raw.perSecond),
    goal: "≥ 0.5",
    phasesMs: (ingest as unknown as { phasesMs?: Record<string, number> }).phasesMs,
  },
  recompute: {
    ms: Math.round(recompute.ms),
    groupByMs: Math.round(groupBy.ms),
    ratio: r2(recompute.ms / groupBy.ms),
    goal: "≤ 2",
  },
  http: {
    helloPerSecond: Math.round(hello.requests.average),
    detailsPerSecond: Math.round(max.requests.average),
    ratio: r2(max.requests.average / hello.requests.average),
    detailsP50Ms: max.latency.p50,
    detailsP99Ms: max.latency.p99,
    at1000: {
      perSecond: Math.round(fixed.requests.average),
      p50Ms: fixed.latency.p50,
      p99Ms: fixed.latency.p99,
      non2xx: fixed.non2xx,
      errors: fixed.errors,
    },
    goal: "ratio ≥ 0.3 and p99 ≤ 10 ms at 1 000 req/s",
  },
  peakRssMb: { ingest: ingest.peakRssMb, recompute: recompute.peakRssMb, httpServer: serverRss, goal: "≤ 300" },
};
writeFileSync(join(dir, pgUrl ? "report.pg.json" : "report.json"), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
process.exit(0);

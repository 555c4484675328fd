import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { buildDataset, type IsolationDataset } from "./dataset";

/**
 * Long jobs never stall the API (issue 16): `npm run bench:isolation [-- --scale 0.1] [--database-url postgres://…]`.
 *
 * Builds the data (bench/isolation/dataset.ts: 100 000 accounts × 3 people, 100 000 existing groups with members and
 * rollup at full size), starts the real server (`serve`, a separate process, QUORUM_WORKERS=thread unless
 * `--workers inline|off`), fires GET /health and GET /api/groups/:id (a random existing group) in turns at a fixed
 * 200 requests per second in all (open loop: a request's latency counts from its scheduled time, so a stalled server
 * is not hidden by fewer requests), first for a few seconds alone, then while a creation job over every account (one
 * new group each) and a full recompute (POST /api/scores/recompute) run, until both finish or `--seconds` pass.
 * Prints p50/p99 per endpoint and phase, the jobs' progress, and PASS/FAIL against the goals
 * (/health p99 ≤ 50 ms, group details p99 ≤ 25 ms, no failed request); exits 1 on FAIL.
 */
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    people: { type: "string", default: "3" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "900" },
    baseline: { type: "string", default: "5" },
    groups: { type: "string", default: "500" },
    workers: { type: "string", default: "thread" },
    "database-url": { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const SCALE = Number(values.scale);
const ACCOUNTS = Math.max(100, Math.round(100_000 * SCALE));
const PEOPLE = Number(values.people);
const RATE = Number(values.rate);
const MAX_SECONDS = Number(values.seconds);
const BASELINE_SECONDS = Number(values.baseline);
const WORKERS = values.workers as "thread" | "inline" | "off";
const PG_URL = values["database-url"];
const GOALS = { health: 50, group: 25 };
const HOT_GROUPS = Number(values.groups);
const TOKEN = `bench_isolation_${randomBytes(12).toString("hex")}`;
const log = (s: string) => process.stderr.write(`${s}\n`);

const dir = join(process.cwd(), "bench/.data/isolation");
mkdirSync(dir, { recursive: true });

/** SQLite: the generated file is kept per size and copied for each run. PostgreSQL: a fresh schema per run. */
async function prepareDatabase(): Promise<{ env: Record<string, string>; data: IsolationDataset; cleanup: () => Promise<void> }> {
  const baseEnv = {
    QUORUM_DATA_DIR: join(dir, "run"),
    QUORUM_LOG: "silent",
    QUORUM_DEMO_DATA: "false",
    QUORUM_TOKEN_SECRET: "bench-isolation-token-secret-0123456789abcdef",
  };
  rmSync(baseEnv.QUORUM_DATA_DIR, { recursive: true, force: true });
  const build = async (env: Record<string, string>) => {
    const config = loadConfig(env);
    const db = await openDatabase(config);
    log(`building ${ACCOUNTS} accounts × ${PEOPLE} people, ${ACCOUNTS} existing groups …`);
    const started = performance.now();
    const data = await buildDataset(
      { db, config, clock: () => new Date() },
      { accounts: ACCOUNTS, peoplePerAccount: PEOPLE, benchToken: TOKEN, log },
    );
    log(`  built in ${Math.round((performance.now() - started) / 1000)} s`);
    await db.destroy();
    return data;
  };
  if (PG_URL) {
    const schema = `bench_iso_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.searchParams.set("options", `-c search_path=${schema}`);
    const env = { ...baseEnv, DATABASE_URL: u.toString() };
    const data = await build(env);
    // What autovacuum's analyze does after a bulk load (this machine's cluster runs with autovacuum off):
    // without statistics the planner reads whole tables for every cold group-details request.
    const stats = new pg.Client({ connectionString: u.toString() });
    await stats.connect();
    const tables = await stats.query<{ t: string }>("select quote_ident(tablename) as t from pg_tables where schemaname = $1", [
      schema,
    ]);
    await stats.query(`analyze ${tables.rows.map((r) => r.t).join(", ")}`);
    await stats.end();
    return {
      env,
      data,
      cleanup: async () => {
        if (values.keep) return;
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  }
  // The generated database is reused across runs of one size (its token is stored with it).
  const template = join(dir, `template-${ACCOUNTS}x${PEOPLE}.sqlite`);
  const meta = `${template}.json`;
  let data: IsolationDataset & { token?: string };
  if (!existsSync(template) || !existsSync(meta)) {
    rmSync(template, { force: true });
    data = await build({ ...baseEnv, DATABASE_URL: template });
    // Everything into the file itself (the WAL may outlive the connection by a moment): the copy is the whole database.
    const SQLite = (await import("better-sqlite3")).default;
    await new Promise((r) => setTimeout(r, 1000));
    const raw = new SQLite(template);
    raw.pragma("wal_checkpoint(TRUNCATE)");
    raw.pragma("journal_mode = DELETE");
    raw.close();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(meta, JSON.stringify({ ...data, token: TOKEN }));
  } else {
    const { readFileSync } = await import("node:fs");
    data = JSON.parse(readFileSync(meta, "utf8"));
    log(`reusing ${template}`);
  }
  mkdirSync(baseEnv.QUORUM_DATA_DIR, { recursive: true, mode: 0o700 });
  const file = join(baseEnv.QUORUM_DATA_DIR, "quorum.sqlite");
  copyFileSync(template, file);
  // Scores as the midnight roll-over leaves them (computed today), so a read does not have to refresh them.
  const config = loadConfig({ ...baseEnv, DATABASE_URL: file });
  const db = await openDatabase(config);
  await db.updateTable("buying_groups").set({ scores_computed_at: new Date().toISOString() }).execute();
  await db.destroy();
  tokenOverride = data.token ?? TOKEN;
  return { env: { ...baseEnv, DATABASE_URL: file }, data, cleanup: async () => {} };
}
let tokenOverride: string | null = null;

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", "serve"], {
    env: { ...process.env, ...env, QUORUM_LOG: "info", QUORUM_PORT: "0", QUORUM_WORKERS: WORKERS },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr!.on("data", (d) => process.stderr.write(`  [server] ${d}`));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /running on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve({ child, base: m[1]! });
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
}

// Idle sockets are dropped before the server's 5 s keep-alive timeout would close them under a request. One pool
// of sockets per endpoint, so slow answers of one never queue the other's requests in this client.
const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 3000 };
const agents = { health: new http.Agent(agentOptions), group: new http.Agent(agentOptions), other: new http.Agent(agentOptions) };

const failures = new Map<string, number>();
const failed = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);

function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  useAgent: http.Agent = agents.other,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent: useAgent,
        headers: {
          authorization: `Bearer ${tokenOverride ?? TOKEN}`,
          "accept-encoding": "gzip",
          ...(data ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("latin1") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

interface Sample {
  endpoint: "health" | "group";
  ms: number;
  ok: boolean;
}

/** Fires requests at a fixed rate until `until()` says stop; latency from each request's scheduled time. */
async function load(base: string, groupIds: string[], until: () => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  const interval = 1000 / RATE;
  const start = performance.now();
  let i = 0;
  while (!until()) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const endpoint = i % 2 === 0 ? "health" : "group";
    const path = endpoint === "health" ? "/health" : `/api/groups/${groupIds[Math.floor(Math.random() * groupIds.length)]}`;
    const p = request(base, "GET", path, undefined, agents[endpoint]).then(
      (res) => {
        if (res.status !== 200) failed(`${endpoint} ${res.status} ${res.body.slice(0, 120)}`);
        samples.push({ endpoint, ms: performance.now() - scheduled, ok: res.status === 200 });
      },
      (err: Error) => {
        failed(`${endpoint} ${err.message}`);
        samples.push({ endpoint, ms: performance.now() - scheduled, ok: false });
      },
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
    i++;
  }
  await Promise.all(pending);
  return samples;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

function summary(samples: Sample[], endpoint: Sample["endpoint"]) {
  const mine = samples.filter((s) => s.endpoint === endpoint);
  const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: mine.length,
    failed: mine.filter((s) => !s.ok).length,
    p50: Math.round(pct(ms, 50) * 10) / 10,
    p99: Math.round(pct(ms, 99) * 10) / 10,
    max: Math.round((ms.at(-1) ?? 0) * 10) / 10,
  };
}

const { env, data, cleanup } = await prepareDatabase();
log(`starting the server (QUORUM_WORKERS=${WORKERS}) …`);
const { child, base } = await startServer(env);
let exitCode = 0;
try {
  // The groups reps have open: a random set of existing groups, each read again and again (their details are
  // cached until a change, such as the recompute, moves them). Read once first, then measure the server alone.
  const hot = [...data.groupIds].sort(() => Math.random() - 0.5).slice(0, HOT_GROUPS);
  for (const id of hot) await request(base, "GET", `/api/groups/${id}`);
  log(`baseline: ${BASELINE_SECONDS} s at ${RATE} req/s …`);
  const baselineEnd = performance.now() + BASELINE_SECONDS * 1000;
  const baseline = await load(base, hot, () => performance.now() > baselineEnd);

  const job = await request(base, "POST", `/api/solution-interests/${data.newInterestId}/jobs`, {
    kind: "creation",
    audience: {},
  });
  if (job.status !== 202) throw new Error(`creation job: ${job.status} ${job.body}`);
  const jobId = JSON.parse(job.body).id as string;
  const rec = await request(base, "POST", "/api/scores/recompute");
  if (rec.status !== 202) throw new Error(`recompute: ${rec.status} ${rec.body}`);
  const recomputeId = JSON.parse(rec.body).id as string;
  log(`creation job ${jobId} (${ACCOUNTS} accounts) and recompute ${recomputeId} queued; measuring …`);

  type Progress = {
    status: string;
    progress: { done: number; total: number; groupsCreated?: number };
    result?: { milliseconds: number } | null;
  };
  let jobState = null as Progress | null;
  let recState = null as Progress | null;
  let finished = false;
  const loadStart = performance.now();
  const deadline = loadStart + MAX_SECONDS * 1000;
  const poller = (async () => {
    while (!finished) {
      await new Promise((r) => setTimeout(r, 1000));
      let j: Progress;
      let r: Progress;
      try {
        j = JSON.parse((await request(base, "GET", `/api/jobs/${jobId}`)).body);
        r = JSON.parse((await request(base, "GET", `/api/scores/recompute/${recomputeId}`)).body);
      } catch {
        continue; // polled again in a second
      }
      jobState = j;
      recState = r;
      const secs = Math.round((performance.now() - loadStart) / 1000);
      if (secs % 10 === 0)
        log(
          `  ${secs} s: creation ${j.status} ${j.progress.done}/${j.progress.total}, ` +
            `recompute ${r.status} ${r.progress.done}/${r.progress.total}`,
        );
      if (j.status !== "running" && j.status !== "queued" && r.status !== "running" && r.status !== "queued") finished = true;
    }
  })();
  const during = await load(base, hot, () => finished || performance.now() > deadline);
  finished = true;
  await poller;
  const seconds = Math.round((performance.now() - loadStart) / 100) / 10;

  const result = {
    database: PG_URL ? "postgresql" : "sqlite",
    workers: WORKERS,
    accounts: ACCOUNTS,
    peoplePerAccount: PEOPLE,
    existingGroups: data.groupIds.length,
    groupsRead: hot.length,
    rate: RATE,
    baseline: { health: summary(baseline, "health"), group: summary(baseline, "group") },
    during: { seconds, health: summary(during, "health"), group: summary(during, "group") },
    creationJob: {
      status: jobState?.status,
      done: jobState?.progress.done,
      total: jobState?.progress.total,
      groupsCreated: jobState?.progress.groupsCreated,
    },
    recompute: {
      status: recState?.status,
      done: recState?.progress.done,
      total: recState?.progress.total,
      ms: recState?.result?.milliseconds,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  for (const [why, n] of failures) console.log(`failed ×${n}: ${why}`);
  const checks = [
    [`GET /health p99 ${result.during.health.p99} ms ≤ ${GOALS.health} ms`, result.during.health.p99 <= GOALS.health],
    [`GET /api/groups/:id p99 ${result.during.group.p99} ms ≤ ${GOALS.group} ms`, result.during.group.p99 <= GOALS.group],
    [
      `no failed request (${result.during.health.failed + result.during.group.failed})`,
      result.during.health.failed + result.during.group.failed === 0,
    ],
  ] as const;
  for (const [what, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"}  ${what}`);
  if (result.recompute.status !== "done" || result.creationJob.status !== "done")
    console.log(
      `note: stopped after ${MAX_SECONDS} s with the creation job ${result.creationJob.status} and the recompute ${result.recompute.status}`,
    );
  if (checks.some(([, ok]) => !ok)) exitCode = 1;
  // Leave nothing running: cancel a creation job still going.
  if (jobState?.status === "running" || jobState?.status === "queued") await request(base, "POST", `/api/jobs/${jobId}/cancel`);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
  for (const a of Object.values(agents)) a.destroy();
  await cleanup();
}
process.exit(exitCode);

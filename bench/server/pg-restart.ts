import { execFile, spawn } from "node:child_process";
import { parseArgs, promisify } from "node:util";
import { pgGroupIds } from "./pg";

/**
 * A real PostgreSQL restart under load (issue 17): `npx tsx bench/server/pg-restart.ts --database-url
 * 'postgres://…?options=-c%20search_path%3Dbench_pgperf'` on the data set a `bench:server --database-url`
 * run left. Starts one server process, sends `GET /api/groups/:id` at a fixed rate (200 req/s) for 30 s
 * and restarts the local cluster 8 s in (`pg_ctlcluster --skip-systemctl-redirect 15 main restart`:
 * it breaks every session of every user of that cluster; run it on a machine of your own). Prints each
 * second's answers by status, whether every 503 had Retry-After and a JSON error, and whether the same
 * process answered 200 again after the restart.
 */
const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "30" },
    "restart-at": { type: "string", default: "8" },
  },
});
const url = values["database-url"];
if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new Error("--database-url postgres://… is required");
const port = 18_797;
const token = "bench_token_0123456789abcdefghij";
const groupIds = await pgGroupIds(url, 500);
const server = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", "serve"], {
  env: {
    ...process.env,
    DATABASE_URL: url,
    QUORUM_PORT: String(port),
    QUORUM_BOOTSTRAP_TOKEN: token,
    QUORUM_TOKEN_SECRET: "bench-token-secret-0123456789abcdef0123456789",
    QUORUM_DEMO_DATA: "false",
    QUORUM_LOG: "silent",
    QUORUM_DATA_DIR: "bench/.data",
  },
  stdio: "inherit",
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {
    if (i > 600) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
}
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const restartAt = Number(values["restart-at"]);
const perSecond: Array<Record<string, number>> = Array.from({ length: seconds + 10 }, () => ({}));
let bad503 = 0;
let restartedAtMs = 0;
let first200After = Number.NaN;
const t0 = performance.now();
const inflight: Promise<void>[] = [];
let n = 0;
const timer = setInterval(() => {
  const elapsed = performance.now() - t0;
  if (elapsed >= seconds * 1000) return;
  for (let k = 0; k < rate / 50; k++) {
    const id = groupIds[n++ % groupIds.length]!;
    inflight.push(
      (async () => {
        let key: string;
        try {
          const res = await fetch(`${base}/api/groups/${id}`, { headers: { authorization: `Bearer ${token}` } });
          const body = await res.text();
          key = String(res.status);
          if (res.status === 503) {
            const ok = res.headers.get("retry-after") === "5" && JSON.parse(body).error?.code === "database_unavailable";
            if (!ok) bad503++;
          }
          if (res.status === 200 && restartedAtMs && Number.isNaN(first200After)) {
            const at = performance.now();
            if (at > restartedAtMs) first200After = at - restartedAtMs;
          }
        } catch (e) {
          key = `error ${(e as Error).message}`;
        }
        const sec = Math.floor((performance.now() - t0) / 1000);
        const bucket = perSecond[sec]!;
        bucket[key] = (bucket[key] ?? 0) + 1;
      })(),
    );
  }
}, 20);
await new Promise((r) => setTimeout(r, restartAt * 1000));
process.stderr.write(`restarting PostgreSQL at ${new Date().toISOString()} …\n`);
const before = performance.now();
// Asynchronously: the load keeps going while PostgreSQL stops and starts.
await promisify(execFile)("pg_ctlcluster", ["--skip-systemctl-redirect", "15", "main", "restart"]);
restartedAtMs = performance.now();
process.stderr.write(`restart took ${Math.round(restartedAtMs - before)} ms\n`);
await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - (performance.now() - t0))));
clearInterval(timer);
await Promise.all(inflight);
const alive = server.exitCode === null;
const after = await fetch(`${base}/api/groups/${groupIds[0]}`, { headers: { authorization: `Bearer ${token}` } });
server.kill("SIGTERM");
const totals: Record<string, number> = {};
for (const b of perSecond) for (const [k, v] of Object.entries(b)) totals[k] = (totals[k] ?? 0) + v;
console.log(
  JSON.stringify(
    {
      rate,
      seconds,
      restartSecond: restartAt,
      restartMs: Math.round(restartedAtMs - before),
      totals,
      perSecond: perSecond.slice(0, seconds + 1),
      all503HadRetryAfterAndJson: bad503 === 0,
      first200AfterRestartMs: Math.round(first200After),
      serverProcessAlive: alive,
      requestAfterRun: after.status,
    },
    null,
    2,
  ),
);
process.exit(0);

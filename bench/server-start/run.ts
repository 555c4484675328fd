/**
 * `npm run bench:start`: how long `node dist/server.js serve` takes from process start to answering GET /health.
 *
 * Builds the server bundle (skip with --no-build), then starts it RUNS times (default 10; QUORUM_BENCH_RUNS) on a fresh
 * SQLite data directory: the first start creates and migrates the database and the admin token, the others start on it
 * as a restart does. Each run records the wall time to the first 200 from /health and the CPU time the process used
 * until then (user + system, from /proc: less sensitive to other load on the machine than wall time). --tsx adds the
 * same runs through `tsx server/cli/main.ts serve` for comparison. Goal: warm start under 1 s (issue 18).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleServer } from "../../server/build/bundle-server";

const ROOT = resolve(import.meta.dirname, "../..");
const RUNS = Number(process.env.QUORUM_BENCH_RUNS ?? 10);
const GOAL_MS = 1000;
const TICKS_PER_SECOND = 100; // Linux USER_HZ

interface Sample {
  wallMs: number;
  cpuMs: number | null;
}

function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function startOnce(command: string[], dataDir: string): Promise<Sample> {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(command[0]!, command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, QUORUM_DATA_DIR: dataDir, QUORUM_DEMO_DATA: "false", QUORUM_PORT: "0", QUORUM_HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let sample: Sample | null = null;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no answer within 60 s:\n${out}`));
    }, 60_000);
    child.stderr.on("data", (d) => (out += d));
    child.stdout.on("data", async (d) => {
      out += d;
      const url = /running on (http:\/\/[\d.:]+)/.exec(out)?.[1];
      if (!url || sample) return;
      sample = { wallMs: 0, cpuMs: null };
      const res = await fetch(`${url}/health`);
      sample.wallMs = performance.now() - started;
      sample.cpuMs = cpuMsOf(child.pid!);
      if (res.status !== 200) reject(new Error(`/health answered ${res.status}`));
      child.kill("SIGTERM");
    });
    child.on("exit", () => {
      clearTimeout(timer);
      if (sample) resolveRun(sample);
      else reject(new Error(`the server stopped before it answered:\n${out}`));
    });
  });
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (n: number) => `${Math.round(n)} ms`;

async function series(label: string, command: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "quorum-bench-start-"));
  try {
    const first = await startOnce(command, dir);
    const warm: Sample[] = [];
    for (let i = 1; i < RUNS; i++) warm.push(await startOnce(command, dir));
    const wall = warm.map((s) => s.wallMs);
    const cpu = warm.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]));
    console.log(`${label}`);
    console.log(`  first start (creates and migrates the database): ${fmt(first.wallMs)} wall, ${first.cpuMs ?? "?"} ms CPU`);
    console.log(
      `  restart x${warm.length}: wall median ${fmt(pct(wall, 50))}, p95 ${fmt(pct(wall, 95))}; CPU median ${cpu.length ? fmt(pct(cpu, 50)) : "?"}`,
    );
    return pct(wall, 50);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!process.argv.includes("--no-build")) {
    const t = performance.now();
    await bundleServer();
    console.log(`bundled dist/ in ${fmt(performance.now() - t)}`);
  }
  const before = loadavg()[0]!.toFixed(2);
  const median = await series("node dist/server.js serve", [process.execPath, "dist/server.js", "serve"]);
  if (process.argv.includes("--tsx"))
    await series("tsx server/cli/main.ts serve", [join(ROOT, "node_modules/.bin/tsx"), "server/cli/main.ts", "serve"]);
  console.log(`load average (1 min) before ${before}, after ${loadavg()[0]!.toFixed(2)}; ${RUNS} runs`);
  console.log(`goal: restart under ${GOAL_MS} ms wall: ${median < GOAL_MS ? "met" : "NOT met"} (median ${fmt(median)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

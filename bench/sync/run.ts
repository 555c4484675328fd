import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SYNC_WORKER_NODE_FLAGS } from "../../server/connectors/sync-runner";
import { startSalesforceFake } from "../../test/fakes/salesforce/server";
import { changeRecords, countsAt, installDataset } from "./dataset";

/**
 * `npm run bench:sync [-- --scale 0.1]`: the initial sync of a generated Salesforce org through jsforce
 * against the loopback fake (10 000 accounts, 200 000 contacts, 20 000 opportunities, 1 000 000
 * activities at scale 1) into a fresh SQLite database, then an incremental run after 1 000 changes.
 * Goals: initial ≤ 10 min with peak RSS ≤ 300 MB (the sync process), incremental ≤ 10 s. Reports API
 * calls per 1 000 records. The fake runs in this process; each sync in its own (bench/sync/worker.ts).
 */
const { values } = parseArgs({ options: { scale: { type: "string", default: "1" } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
const dir = join("bench", ".data");
mkdirSync(dir, { recursive: true });
const file = join(dir, "sync-bench.sqlite");
for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

const now = new Date();
const counts = countsAt(scale);
const sf = await startSalesforceFake();
sf.addUser("bench@bench.example", "bench", { clientId: "bench", clientSecret: "bench" });
installDataset(sf, counts, now);
const total =
  50 + counts.accounts + counts.contacts + counts.opportunities + counts.tasks + counts.events + counts.campaignMembers;

interface WorkerResult {
  phase: string;
  ms: number;
  status: string;
  error: string | null;
  progress: { fetched: number; written: number; deleted: number; skipped: number; apiCalls: number };
  skipped: number;
  peakRssMb: number;
}

function runWorker(phase: "initial" | "incremental"): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...SYNC_WORKER_NODE_FLAGS,
        // SYNC_BENCH_PROF=<dir>: a CPU profile of each sync process (open in Chrome DevTools).
        ...(process.env.SYNC_BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.SYNC_BENCH_PROF}`] : []),
        "--import",
        "tsx",
        "bench/sync/worker.ts",
        file,
        sf.url,
        phase,
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`worker ${phase} exited ${code}`)),
    );
  });
}

const load = () => execFileSync("cat", ["/proc/loadavg"]).toString().split(" ").slice(0, 3).join(" ");
console.log(`Sync bench at scale ${scale}: ${total.toLocaleString("en")} records; load average ${load()}`);
const callsBefore = sf.calls;
const initial = await runWorker("initial");
const initialCalls = sf.calls - callsBefore;
console.log(
  `initial: ${initial.status} in ${(initial.ms / 1000).toFixed(1)} s, ${initial.progress.fetched} records read, ${initial.progress.written} written, ${initial.skipped} skipped, peak RSS ${initial.peakRssMb} MB, ${initialCalls} HTTP requests (${((1000 * initialCalls) / initial.progress.fetched).toFixed(2)} per 1 000 records)`,
);
const changed = changeRecords(sf, counts, new Date());
const before = sf.calls;
const incremental = await runWorker("incremental");
const incCalls = sf.calls - before;
console.log(
  `incremental (${changed} changed): ${incremental.status} in ${(incremental.ms / 1000).toFixed(1)} s, ${incremental.progress.fetched} records read, peak RSS ${incremental.peakRssMb} MB, ${incCalls} HTTP requests`,
);
const report = {
  at: now.toISOString(),
  scale,
  counts,
  total,
  load: load(),
  initial: { ...initial, httpRequests: initialCalls },
  incremental: { ...incremental, changed, httpRequests: incCalls },
};
writeFileSync(join(dir, "sync-report.json"), `${JSON.stringify(report, null, 2)}\n`);
const ok = initial.status === "done" && incremental.status === "done";
console.log(
  `goals at full scale: initial ≤ 600 s ${initial.ms <= 600_000 ? "✓" : "✗"}, peak RSS ≤ 300 MB ${initial.peakRssMb <= 300 ? "✓" : "✗"}, incremental ≤ 10 s ${incremental.ms <= 10_000 ? "✓" : "✗"}`,
);
await sf.close();
process.exit(ok ? 0 : 1);

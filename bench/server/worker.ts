import { writeFileSync } from "node:fs";
import { buildDataset, scaled } from "./dataset";
import { ingestServer, peakRssMb, recomputePhase } from "./phases";

/**
 * One bench phase in its own process, so each phase's peak RSS is its own:
 *   worker.ts dataset <db> <scale> <people.json>
 *   worker.ts ingest <db> <endIso>        (batches come over IPC; see ingestServer)
 *   worker.ts recompute <db> <endIso>
 * Prints one JSON line.
 */
const [phase, file, ...rest] = process.argv.slice(2);
if (!phase || !file) throw new Error("usage: worker.ts <dataset|ingest|recompute> <db> …");
let result: unknown;
if (phase === "dataset") {
  const [scale, peopleFile] = rest;
  const t = performance.now();
  const r = await buildDataset(file, scaled(Number(scale)));
  writeFileSync(peopleFile!, JSON.stringify(r.people));
  result = { accounts: r.accounts, people: r.people.length, groups: r.groups, members: r.members, ms: performance.now() - t };
} else if (phase === "ingest") {
  // Batches arrive over IPC from the load generator, so this process holds only what the server would.
  result = await ingestServer(file, new Date(rest[0]!));
} else if (phase === "recompute") {
  result = await recomputePhase(file, new Date(rest[0]!));
} else throw new Error(`unknown phase ${phase}`);
console.log(JSON.stringify({ ...(result as object), peakRssMb: peakRssMb() }));

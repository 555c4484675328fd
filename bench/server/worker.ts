import { readFileSync, writeFileSync } from "node:fs";
import { buildDataset, scaled } from "./dataset";
import { ingestPhase, peakRssMb, recomputePhase } from "./phases";

/**
 * One bench phase in its own process, so each phase's peak RSS is its own:
 *   worker.ts dataset <db> <scale> <people.json>
 *   worker.ts ingest <db> <scale> <people.json> <endIso>
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
  const [scale, peopleFile, end] = rest;
  const people = JSON.parse(readFileSync(peopleFile!, "utf8"));
  result = await ingestPhase(file, people, scaled(Number(scale)), new Date(end!));
} else if (phase === "recompute") {
  result = await recomputePhase(file, new Date(rest[0]!));
} else throw new Error(`unknown phase ${phase}`);
console.log(JSON.stringify({ ...(result as object), peakRssMb: peakRssMb() }));

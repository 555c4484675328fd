import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const self = new Map();
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
let total = 0;
const key = (cf) => `${cf.functionName || "(anon)"} ${cf.url.replace(/.*node_modules\//, "nm/").replace(/.*\/work\/main\//, "")}:${cf.lineNumber}`;
for (const n of p.nodes) {
  const t = dt.get(n.id) ?? 0;
  total += t;
  self.set(key(n.callFrame), (self.get(key(n.callFrame)) ?? 0) + t);
}
// inclusive time per function (counted once per stack)
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const incl = new Map();
for (const n of p.nodes) {
  const t = dt.get(n.id) ?? 0;
  if (!t) continue;
  const seen = new Set();
  for (let id = n.id; id !== undefined; id = parent.get(id)) {
    const k = key(byId.get(id).callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + t);
  }
}
const N = Number(process.argv[3] ?? 40);
console.log("--- self");
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log((t / 1000).toFixed(0).padStart(7), "ms", k);
console.log("--- inclusive (server/ only)");
for (const [k, t] of [...incl].filter(([k]) => k.includes(" server/") || k.includes(" shared/")).sort((a, b) => b[1] - a[1]).slice(0, N)) console.log((t / 1000).toFixed(0).padStart(7), "ms", k);
console.log("total", (total / 1000).toFixed(0), "ms");

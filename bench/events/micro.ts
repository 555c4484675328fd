import { ingestPhaseMs } from "../../server/activities/activities.service";
import { createApp } from "../../server/app";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { signBody } from "../../server/event-sources/signature";
import { createSource } from "../../server/event-sources/sources.repo";
import { datasetAt, eventMessage, identifyMessage } from "./dataset";

/** In-process look at the ingest endpoint's cost per request (no network): `tsx bench/events/micro.ts [file]`. */
const config = loadConfig({
  DATABASE_URL: process.argv[2] ?? ":memory:",
  QUORUM_LOG: "silent",
  QUORUM_DEMO_DATA: "false",
  QUORUM_EVENTS_COMMIT_MS: "2",
  QUORUM_DATA_DIR: "bench/.data/micro",
});
const db = await openDatabase(config);
const deps = { db, config, clock: () => new Date() };
const app = createApp(deps);
const d = datasetAt(0.1);
const src = await createSource(db, config, "m", new Date().toISOString());
const at = new Date(Date.now() - 60000).toISOString();
const post = async (body: string) => {
  const res = await app.request(`/hooks/events/${src.id}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": signBody(src.secret, body, Math.floor(Date.now() / 1000)) },
    body,
  });
  if (res.status !== 200) throw new Error(await res.text());
  return res.json();
};
await post(JSON.stringify({ batch: Array.from({ length: d.people }, (_, p) => identifyMessage(d, p, at)) }));
let n = 0;
for (const [label, conc, size] of [
  ["single x64", 64, 1],
  ["batch 500 x4", 4, 500],
] as const) {
  const rounds = size === 1 ? 60 : 10;
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++)
    await Promise.all(
      Array.from({ length: conc }, () =>
        post(
          size === 1
            ? JSON.stringify(eventMessage(d, "m", n++, at))
            : JSON.stringify({ type: "batch", batch: Array.from({ length: size }, () => eventMessage(d, "m", n++, at)) }),
        ),
      ),
    );
  const ms = performance.now() - t;
  console.log(
    `  ingest phases (ms): ${JSON.stringify(Object.fromEntries(Object.entries(ingestPhaseMs).map(([k, v]) => [k, Math.round(v)])))}`,
  );
  for (const k of Object.keys(ingestPhaseMs)) ingestPhaseMs[k as keyof typeof ingestPhaseMs] = 0;
  const c = process.cpuUsage(cpu);
  const reqs = rounds * conc;
  console.log(
    `${label}: ${reqs} requests, ${(reqs * size).toLocaleString("en")} events in ${ms.toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU → ${((1000 * reqs) / ms).toFixed(0)} req/s, ${((1000 * reqs * size) / ms).toFixed(0)} events/s`,
  );
}

import { ingestPhaseMs } from "../../server/activities/activities.service";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { commitMessages } from "../../server/event-sources/ingest.service";
import { type EventMessage, parseMessage } from "../../server/event-sources/messages";
import { createSource } from "../../server/event-sources/sources.repo";
import { datasetAt, eventMessage, identifyMessage } from "./dataset";

const config = loadConfig({ DATABASE_URL: ":memory:", QUORUM_LOG: "silent", QUORUM_DEMO_DATA: "false" });
const db = await openDatabase(config);
const deps = { db, config, clock: () => new Date() };
const d = datasetAt(0.1);
const src = await createSource(db, config, "m", new Date().toISOString());
const at = new Date(Date.now() - 60000).toISOString();
const ids: EventMessage[] = [];
for (let p = 0; p < d.people; p++) {
  const r = parseMessage(identifyMessage(d, p, at), p, at, "");
  if (r.ok) ids.push(r.message);
}
await commitMessages(deps, [{ sourceId: src.id, messages: ids }]);
let n = 0;
for (const size of [500, 10]) {
  let tParse = 0,
    tCommit = 0,
    events = 0;
  for (let k = 0; k < 40; k++) {
    const raws = Array.from({ length: size }, () => JSON.stringify(eventMessage(d, "m", n++, at)));
    let t = performance.now();
    const msgs = raws.map((r, i) => {
      const x = parseMessage(JSON.parse(r), i, at, "", true);
      if (!x.ok) throw new Error(JSON.stringify(x));
      return x.message;
    });
    tParse += performance.now() - t;
    t = performance.now();
    await commitMessages(deps, [{ sourceId: src.id, messages: msgs }]);
    tCommit += performance.now() - t;
    events += size;
  }
  console.log(JSON.stringify(ingestPhaseMs));
  for (const k of Object.keys(ingestPhaseMs)) (ingestPhaseMs as any)[k] = 0;
  console.log(
    `size ${size}: parse ${((1000 * tParse) / events).toFixed(1)} µs/event, commit ${((1000 * tCommit) / events).toFixed(1)} µs/event, commit ${(tCommit / 40).toFixed(1)} ms each`,
  );
}

import autocannon from "autocannon";
import { readFileSync } from "node:fs";
const ids = readFileSync("/tmp/prof/ids.txt", "utf8").trim().split("\n");
const path = process.argv[2];
let i = 0;
const r = await autocannon({
  url: "http://127.0.0.1:18900",
  connections: 10,
  duration: Number(process.argv[3] ?? 10),
  headers: { authorization: "Bearer prof_token_0123456789abcdefgh", "accept-encoding": "gzip" },
  requests: [{ setupRequest: (req) => ({ ...req, path: path === "details" ? `/api/groups/${ids[i++ % ids.length]}` : "/health" }) }],
});
console.log(path, Math.round(r.requests.average), "req/s p99", r.latency.p99, "non2xx", r.non2xx);

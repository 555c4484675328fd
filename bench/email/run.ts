import { parseArgs } from "node:util";
import { startOutboxWorker } from "../../server/email/outbox.worker";
import { createTransport } from "../../server/email/transports";
import { approvedEmail, groupWithMembers } from "../../test/helpers/email-setup";
import { startSmtpSink } from "../../test/helpers/smtp-sink";
import { createTestContext } from "../../test/helpers/test-app";

/**
 * The email benchmark: `npm run bench:email` (`-- --rounds N`). Each round sends one approved email to
 * a 50-member group through the API (idempotency record, rendering, 50 outbox rows, audit in one
 * transaction) and waits until a local SMTP server (smtp-server on an ephemeral port, no delay) has
 * accepted all 50 from the background worker over nodemailer. Budget: 50 recipients in ≤ 2 s.
 */
const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Number(values.rounds);

const sink = await startSmtpSink();
const t = await createTestContext({ now: new Date(), env: { QUORUM_SMTP_URL: `${sink.url}?security=none` } });
const worker = startOutboxWorker(t.deps, createTransport(t.deps.config.email), { pollMs: 5_000 });
const email = await approvedEmail(t);
const results: Array<{ queueMs: number; totalMs: number }> = [];
for (let r = 0; r < rounds; r++) {
  const g = await groupWithMembers(t, 50);
  const before = sink.messages.length;
  const start = performance.now();
  const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
    emailId: email.id,
    personIds: g.people.map((p) => p.id),
    idempotencyKey: `bench-${r}-${Date.now()}`,
  });
  const queueMs = performance.now() - start;
  if (res.status !== 202 || res.body.queued.length !== 50) throw new Error(`send: ${JSON.stringify(res.body)}`);
  await sink.waitFor(before + 50, 30_000);
  results.push({ queueMs, totalMs: performance.now() - start });
}
await worker.stop();
await t.close();
await sink.close();

const sorted = results.map((r) => r.totalMs).sort((a, b) => a - b);
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
for (const [i, r] of results.entries())
  console.log(`round ${i + 1}: queued 50 in ${fmt(r.queueMs)}, all 50 accepted by SMTP after ${fmt(r.totalMs)}`);
const median = sorted[Math.floor(sorted.length / 2)]!;
const worst = sorted[sorted.length - 1]!;
console.log(
  `50 recipients, ${rounds} rounds: median ${fmt(median)}, worst ${fmt(worst)} (budget 2000 ms) ${worst <= 2000 ? "OK" : "OVER BUDGET"}`,
);
if (worst > 2000) process.exitCode = 1;

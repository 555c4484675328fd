import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvedEmail, groupWithMembers, outboxRows } from "../../helpers/email-setup";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// A real worker process, killed with SIGKILL in the middle of a 50-recipient batch and restarted:
// every recipient ends up with exactly one message at the SMTP server.
// Slow enough per message that 5 concurrent sends leave quiet moments between acceptances.
const DELAY_MS = 200;
/** A kill needs this much quiet on both sides of it (the worker commits well within it after a 250). */
const MARGIN_MS = 30;
let t: TestContext;
let sink: SmtpSink;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "quorum-crash-"));
  sink = await startSmtpSink({ delayMs: DELAY_MS });
  t = await createTestContext({
    now: new Date(), // the worker process runs on the real clock
    env: { DATABASE_URL: join(dir, "quorum.sqlite"), QUORUM_DATA_DIR: dir, QUORUM_SMTP_URL: `${sink.url}?security=none` },
  });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await t.close();
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "server/email/worker-process.ts", "--lease-ms", "1500", "--poll-ms", "100"],
    {
      env: {
        ...process.env,
        DATABASE_URL: join(dir, "quorum.sqlite"),
        QUORUM_DATA_DIR: dir,
        QUORUM_SMTP_URL: `${sink.url}?security=none`,
        QUORUM_LOG: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  return child;
}

const exited = (c: ChildProcess) =>
  new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once("exit", () => resolve())));

describe("outbox worker crash", () => {
  it("loses and duplicates nothing when the worker is killed with kill -9 mid-batch and restarted", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 50);
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: "crash-test-1",
    });
    expect(res.body.queued).toHaveLength(50);

    const first = startWorker();
    await sink.waitFor(15, 15_000);
    // Kill mid-send: while messages are in flight, away from any acceptance (see the report on the
    // window between an SMTP 250 and the commit that marks the row sent).
    while (!sink.quietFor(MARGIN_MS)) await new Promise((r) => setTimeout(r, 1));
    first.kill("SIGKILL");
    await exited(first);
    expect(first.signalCode).toBe("SIGKILL");
    const atKill = sink.messages.length;
    expect(atKill).toBeGreaterThanOrEqual(15);
    expect(atKill).toBeLessThan(50);
    // Every message the server accepted was marked sent before the kill.
    expect((await outboxRows(t)).filter((r) => r.status === "sent")).toHaveLength(atKill);
    const stranded = (await outboxRows(t)).filter((r) => r.status === "queued" && r.lease_owner !== null);
    expect(stranded.length).toBeGreaterThan(0); // claimed by the dead worker, not delivered

    const second = startWorker();
    const deadline = Date.now() + 20_000;
    while ((await outboxRows(t)).some((r) => r.status !== "sent")) {
      if (Date.now() > deadline) throw new Error("the restarted worker did not deliver everything in 20 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    second.kill("SIGTERM");
    await exited(second);

    const perRecipient = new Map<string, number>();
    for (const m of sink.messages) for (const to of m.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    expect([...perRecipient.keys()].sort()).toEqual(g.people.map((p) => p.email).sort());
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    expect(sink.messages).toHaveLength(50);
    const rows = await outboxRows(t);
    expect(new Set(sink.messages.map((m) => m.headers.get("message-id")))).toEqual(new Set(rows.map((r) => r.message_id)));
    // The rows the dead worker had claimed were delivered on a second attempt, with their original Message-ID.
    for (const s of stranded) expect(rows.find((r) => r.id === s.id)!.attempts).toBe(2);
  }, 60_000);
});

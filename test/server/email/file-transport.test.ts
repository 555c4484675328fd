import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOutboxWorker } from "../../../server/email/outbox.worker";
import { createTransport } from "../../../server/email/transports";
import { approvedEmail, groupWithMembers } from "../../helpers/email-setup";
import { parseHeaders } from "../../helpers/smtp-sink";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The embedded default: one readable .eml per message under <data dir>/outbox, listed on /outbox.
let t: TestContext;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "quorum-outbox-"));
  t = await createTestContext({ env: { QUORUM_DATA_DIR: dataDir } });
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("file transport", () => {
  it("writes one readable .eml per message and lists them on the outbox page", async () => {
    expect(t.deps.config.email.transport).toEqual({ kind: "file", dir: join(dataDir, "outbox") });
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 2);
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: "file-transport-1",
    });
    expect(res.body.queued).toHaveLength(2);
    const worker = startOutboxWorker(t.deps, createTransport(t.deps.config.email), { autostart: false });
    while ((await worker.runOnce()) > 0) {}
    await worker.stop();

    const files = readdirSync(join(dataDir, "outbox")).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^\d{8}T\d{6}Z-msg_[\w-]+\.eml$/.test(f))).toBe(true);
    for (const q of res.body.queued) {
      const file = files.find((f) => f.includes(q.outboxId))!;
      const { headers, body } = parseHeaders(readFileSync(join(dataDir, "outbox", file), "utf8"));
      expect(headers.get("to")).toBe(q.to);
      expect(headers.get("message-id")).toBe(q.messageId);
      expect(headers.get("list-unsubscribe")).toMatch(/^<http:\/\/127\.0\.0\.1:8787\/unsubscribe\//);
      const i = g.people.findIndex((p) => p.id === q.personId);
      expect(body).toContain(`Hi Member${i},`);
    }

    const page = await t.app.request("/outbox");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("2 messages");
    for (const f of files) expect(html).toContain(`href="/outbox/${f}"`);
    expect(html).toContain(`Member0, about ${g.solutionInterest}`);
    const one = await t.app.request(`/outbox/${files[0]}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect((await t.app.request("/outbox/..%2Fquorum.sqlite")).status).toBe(404);
  });

  it("does not serve the outbox page when the server listens beyond loopback", async () => {
    const open = await createTestContext({ env: { QUORUM_DATA_DIR: dataDir, QUORUM_HOST: "0.0.0.0" } });
    try {
      expect((await open.app.request("/outbox")).status).toBe(404);
    } finally {
      await open.close();
    }
  });
});

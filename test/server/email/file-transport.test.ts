import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOutboxWorker } from "../../../server/email/outbox.worker";
import { createTransport } from "../../../server/email/transports";
import { approvedEmail, groupWithMembers } from "../../helpers/email-setup";
import { parseHeaders } from "../../helpers/smtp-sink";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The embedded default: one readable .eml per message under <data dir>/outbox, read by admins at /api/outbox.
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
  it("writes one private .eml per message; admins list and read them at /api/outbox", async () => {
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

    // Private at rest: the outbox directory is the owner's only, each message 0600.
    expect(statSync(join(dataDir, "outbox")).mode & 0o777).toBe(0o700);
    for (const f of files) expect(statSync(join(dataDir, "outbox", f)).mode & 0o777).toBe(0o600);

    // Admins read the outbox through the API (the admin console's Emails → Outbox), newest first.
    const list = await t.call("GET", "/api/outbox");
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ transport: "file", total: 2 });
    expect(list.body.items.map((i: any) => i.file)).toEqual([...files].reverse());
    expect(list.body.items.map((i: any) => i.subject)).toContain(`Member0, about ${g.solutionInterest}`);
    const one = await t.app.request(`/api/outbox/${files[0]}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(one.status).toBe(200);
    expect(await one.text()).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect((await t.call("GET", "/api/outbox/..%2Fquorum.sqlite")).status).toBe(400);
    expect((await t.call("GET", "/api/outbox/20990101T000000Z-msg_none.eml")).status).toBe(404);
  });

  it("keeps the outbox from anyone without an admin token, and from other Host names", async () => {
    const files = readdirSync(join(dataDir, "outbox"));
    expect(files.length).toBeGreaterThan(0);
    // The old open pages are gone.
    expect((await t.app.request("/outbox")).status).toBe(404);
    expect((await t.app.request(`/outbox/${files[0]}`)).status).toBe(404);
    // No token, or a marketer's or a sales token: nothing.
    expect((await t.call("GET", "/api/outbox", undefined, null)).status).toBe(401);
    for (const role of ["marketer", "sales"] as const) {
      const res = await t.call("GET", `/api/outbox/${files[0]}`, undefined, t.tokens[role]);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain("Unsubscribe");
    }
    // DNS rebinding: a page on evil.example whose name points at 127.0.0.1, even with a stolen admin token.
    const rebound = await t.app.request("http://evil.example:8787/api/outbox", {
      headers: { authorization: `Bearer ${t.tokens.admin}` },
    });
    expect(rebound.status).toBe(400);
    expect(((await rebound.json()) as any).error.details.issues).toEqual([
      { field: "Host", message: "is not a name of this server (see QUORUM_ALLOWED_HOSTS)" },
    ]);
  });
});

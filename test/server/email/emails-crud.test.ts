import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvedEmail, GREETING_EMAIL, groupWithMembers } from "../../helpers/email-setup";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Workspaces and emails: who may write, draft → approved, editing rules, token checks, preview.
let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("workspaces and emails", () => {
  it("marketers create and approve emails; approval keeps who and when; sales see approved emails only", async () => {
    const ws = await t.call("POST", "/api/workspaces", { name: "Field marketing" }, t.tokens.marketer);
    expect(ws.status).toBe(201);
    expect((await t.call("POST", "/api/workspaces", { name: "Field marketing" })).status).toBe(409);
    expect((await t.call("POST", "/api/workspaces", { name: "Sales own" }, t.tokens.sales)).status).toBe(403);

    const draft = await t.call("POST", "/api/emails", { workspaceId: ws.body.id, ...GREETING_EMAIL }, t.tokens.marketer);
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: "draft", approvedBy: null, approvedAt: null });
    expect((await t.call("POST", "/api/emails", { workspaceId: ws.body.id, ...GREETING_EMAIL }, t.tokens.sales)).status).toBe(
      403,
    );

    const other = await t.call("POST", "/api/emails", { workspaceId: ws.body.id, ...GREETING_EMAIL, name: "Second" });
    const approved = await t.call("POST", `/api/emails/${other.body.id}/approve`, undefined, t.tokens.marketer);
    expect(approved.status).toBe(200);
    const me = await t.call("GET", "/api/me", undefined, t.tokens.marketer);
    expect(approved.body).toMatchObject({ status: "approved", approvedBy: me.body.id, approvedAt: t.clock.now.toISOString() });
    expect((await t.call("POST", `/api/emails/${other.body.id}/approve`, undefined, t.tokens.sales)).status).toBe(403);

    const asSales = await t.call("GET", `/api/emails?workspaceId=${ws.body.id}`, undefined, t.tokens.sales);
    expect(asSales.body.items.map((e: { name: string }) => e.name)).toEqual(["Second"]);
    const asMarketer = await t.call("GET", `/api/emails?workspaceId=${ws.body.id}`, undefined, t.tokens.marketer);
    expect(asMarketer.body.items.map((e: { name: string }) => e.name)).toEqual(["Intro", "Second"]);
    expect((await t.call("GET", `/api/emails/${draft.body.id}`, undefined, t.tokens.sales)).status).toBe(404);
    const list = await t.call("GET", "/api/workspaces", undefined, t.tokens.sales);
    expect(list.body.items.find((w: { id: string }) => w.id === ws.body.id)).toMatchObject({ emailCount: 1, approvedCount: 1 });
  });

  it("changing the content of an approved email returns it to draft; a rename keeps the approval", async () => {
    const email = await approvedEmail(t);
    const renamed = await t.call("PATCH", `/api/emails/${email.id}`, { name: "Renamed" });
    expect(renamed.body).toMatchObject({ name: "Renamed", status: "approved" });
    const edited = await t.call("PATCH", `/api/emails/${email.id}`, { subject: "New subject" });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ subject: "New subject", status: "draft", approvedBy: null, approvedAt: null });
  });

  it.each([
    [{ htmlBody: "<p>{{person.shoeSize}}</p>" }, "htmlBody", /unknown token \{\{person\.shoeSize\}\}/],
    [{ subject: "Hi {{person.firstName" }, "subject", /malformed token/],
    [{ textBody: "" }, "textBody", /must not be empty/],
    [{ workspaceId: "wsp_nope" }, "workspaceId", /not a workspace/],
  ])("refuses a bad email with a 400 naming the field (%o)", async (patch, field, message) => {
    const ws = (await t.call("GET", "/api/workspaces")).body.items[0];
    const res = await t.call("POST", "/api/emails", { workspaceId: ws.id, ...GREETING_EMAIL, ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
  });

  it("previews an email for a member with tokens filled, fallbacks used and HTML escaped", async () => {
    const email = await approvedEmail(t, { htmlBody: "<p>{{person.firstName}} at {{account.name}}: {{person.department}}</p>" });
    const g = await groupWithMembers(t, 1, () => ({ firstName: "Zoë <b>", jobTitle: null }));
    const p = g.people[0]!;
    const res = await t.call("POST", `/api/emails/${email.id}/preview`, { groupId: g.groupId, personId: p.id }, t.tokens.sales);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      to: p.email,
      subject: `Zoë <b>, about ${g.solutionInterest}`,
      html: `<p>Zoë &lt;b&gt; at ${g.accountName}: </p>`,
      text: `Hi Zoë <b>,\n${g.accountName} and your team.\nsales tester`,
      missing: ["person.department"],
    });
    const stranger = await t.call("POST", `/api/emails/${email.id}/preview`, { groupId: g.groupId, personId: "per_nope" });
    expect(stranger.status).toBe(404);
  });
});

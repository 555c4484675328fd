import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activities, groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

describe("generated summaries in four languages", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it.each([
    ["en", "1 member, 33% complete, engagement 0.", "Missing: Decision maker, Practitioner."],
    ["nl", "1 lid, 33% compleet, betrokkenheid 0.", "Ontbreekt: Decision maker, Practitioner."],
    ["sv", "1 medlem, 33 % komplett, engagemang 0.", "Saknas: Decision maker, Practitioner."],
    ["fr", "1 membre, exhaustivité 33 %, engagement 0.", "Manquant : Decision maker, Practitioner."],
  ])("group, account and member summaries in %s", async (lang, start, missing) => {
    const { group, account } = await groupSetup(t);
    const p = await person(t, account.id, "Ann");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: p.id, roleKey: "influencer" }] });
    const res = await t.call("GET", `/api/groups/${group.id}/summaries?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.body.group.source).toBe("deterministic");
    expect(res.body.group.text.startsWith(start)).toBe(true);
    expect(res.body.group.text).toContain(missing);
    expect(res.body.account.text).toContain(account.name);
    const m = await t.call("GET", `/api/groups/${group.id}/members/${p.id}/summary?lang=${lang}`);
    expect(m.body.member.text).toContain("Ann Tester");
    expect(m.body.member.text).not.toBe("");
  });

  it("says how engagement moved over 7 days and names the last interesting moment", async () => {
    const today = t.clock.now;
    t.clock.now = new Date(today.getTime() - 8 * 86_400_000);
    const { group, account } = await groupSetup(t);
    const p = await person(t, account.id, "Ann");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: p.id, roleKey: "decision-maker" }] });
    await t.call("POST", "/api/activities", { activities: activities(p.id, "visit-webpage", 2, t.clock.now) });
    t.clock.now = today;
    const q = await person(t, account.id, "Quinn");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: q.id, roleKey: "influencer" }] });
    await t.call("POST", "/api/activities", {
      activities: [...activities(p.id, "visit-webpage", 10, today), ...activities(p.id, "interesting-moment", 1, today)],
    });
    // 7 days ago: 2 × (100/240) → 1; today: 13 × (100/240) → 5.
    const en = await t.call("GET", `/api/groups/${group.id}/summaries`);
    expect(en.body.group.text).toContain("Engagement +4 over 7 days.");
    // 7 days ago only the decision maker (1 of 3 roles, 33); today also an influencer (67).
    expect(en.body.group.text).toContain("Completeness +34 points over 7 days.");
    expect(en.body.group.text).toContain(`Last interesting moment: ${today.toISOString().slice(0, 10)} (Ann Tester).`);
    const fr = await t.call("GET", `/api/groups/${group.id}/summaries?lang=fr`);
    expect(fr.body.group.text).toContain("Engagement +4 sur 7 jours.");
    expect(fr.body.group.text).toContain("Exhaustivité +34 points sur 7 jours.");
  });

  it("rejects an unsupported language", async () => {
    const { group } = await groupSetup(t);
    const res = await t.call("GET", `/api/groups/${group.id}/summaries?lang=de`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("lang");
  });
});

describe("LLM summaries through an OpenAI-compatible endpoint", () => {
  let server: Server;
  let url: string;
  const requests: any[] = [];
  let delayMs = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        requests.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
        setTimeout(() => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ choices: [{ message: { content: "A model-written summary." } }] }));
        }, delayMs);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const ctx = (timeout: string) =>
    createTestContext({
      env: { QUORUM_LLM_URL: url, QUORUM_LLM_API_KEY: "sk-test", QUORUM_LLM_TIMEOUT_MS: timeout, QUORUM_LLM_MODEL: "tiny" },
    });

  it("answers at once with the deterministic text, then serves the model's text for the same facts", async () => {
    delayMs = 0;
    const t = await ctx("2000");
    const { group } = await groupSetup(t);
    const first = await t.call("GET", `/api/groups/${group.id}/summaries?lang=sv`);
    expect(first.body.group.source).toBe("deterministic");
    for (let i = 0; i < 100 && requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    const second = await t.call("GET", `/api/groups/${group.id}/summaries?lang=sv`);
    expect(second.body.group).toEqual({ text: "A model-written summary.", source: "llm" });
    const call = requests.find((r) => r.body.messages[1].content === first.body.group.text);
    expect(call).toMatchObject({ path: "/v1/chat/completions", auth: "Bearer sk-test", body: { model: "tiny" } });
    expect(call.body.messages[0].content).toContain("Swedish");
    await t.close();
  });

  it("keeps the deterministic text when the model is slower than the timeout", async () => {
    delayMs = 1000;
    const t = await ctx("100");
    const { group } = await groupSetup(t);
    const started = Date.now();
    const first = await t.call("GET", `/api/groups/${group.id}/summaries`);
    expect(Date.now() - started).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 250));
    const second = await t.call("GET", `/api/groups/${group.id}/summaries`);
    expect(second.body.group).toEqual({ text: first.body.group.text, source: "deterministic" });
    await t.close();
  });
});

describe("next role, stale members, duplicates and the audit timeline", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  const ROLES = [
    {
      key: "dm",
      name: "Decision maker",
      weighting: "vital",
      membersRequired: 2,
      conditions: { field: "seniority", op: "equals", value: "VP" },
    },
    { key: "user", name: "User", weighting: "normal" },
    { key: "legal", name: "Legal", weighting: "minor", countsTowardCompleteness: false },
  ];

  it("ranks the roles to fill by the completeness they add, with matching contacts first", async () => {
    const { group, account } = await groupSetup(t, ROLES);
    const vp1 = await person(t, account.id, "Vic", { seniority: "VP" });
    const low = await person(t, account.id, "Lowe", { seniority: "VP" });
    const other = await person(t, account.id, "Oscar");
    await t.call("POST", `/api/groups/${group.id}/members`, { members: [{ personId: vp1.id, roleKey: "dm" }] });
    await t.call("POST", "/api/activities", { activities: activities(other.id, "visit-webpage", 3, t.clock.now) });
    const res = await t.call("GET", `/api/groups/${group.id}/next-role`);
    expect(res.body.completeness).toBe(25);
    expect(res.body.roles.map((r: any) => [r.roleKey, r.completenessGain])).toEqual([
      ["user", 50],
      ["dm", 25],
    ]);
    const dm = res.body.roles[1];
    expect(dm.contacts.map((c: any) => [c.personId, c.matchesRule])).toEqual([
      [low.id, true],
      [other.id, false],
    ]);
    // No rule for "user": contacts by person score.
    expect(res.body.roles[0].contacts[0].personId).toBe(other.id);
  });

  it("flags stale members and likely duplicates", async () => {
    const { group, account } = await groupSetup(t);
    const active = await person(t, account.id, "Ann");
    const idle = await person(t, account.id, "Ian");
    const gone = await person(t, account.id, "Gus", { status: "left_company" });
    const dup1 = await person(t, account.id, "José", { lastName: "Núñez", email: "jn1@example.com" });
    const dup2 = await person(t, account.id, "jose", { lastName: "NUNEZ", email: "jn2@example.com" });
    await t.call("POST", "/api/activities", {
      activities: [
        ...activities(active.id, "visit-webpage", 1, t.clock.now),
        ...activities(gone.id, "visit-webpage", 1, t.clock.now),
        ...activities(dup1.id, "visit-webpage", 1, t.clock.now),
        ...activities(dup2.id, "visit-webpage", 1, t.clock.now),
      ],
    });
    // Members for longer than the window (a member added this month is never flagged for inactivity).
    const today = t.clock.now;
    t.clock.now = new Date(today.getTime() - 40 * 86_400_000);
    await t.call("POST", `/api/groups/${group.id}/members`, {
      members: [active, idle, gone, dup1, dup2].map((p) => ({ personId: p.id, roleKey: "practitioner" })),
    });
    t.clock.now = today;
    const stale = await t.call("GET", `/api/groups/${group.id}/stale-members`);
    expect(stale.body.items.map((s: any) => [s.personId, s.reasons])).toEqual(
      expect.arrayContaining([
        [idle.id, ["no_activity_in_window"]],
        [gone.id, ["left_company"]],
      ]),
    );
    expect(stale.body.items).toHaveLength(2);
    const dups = await t.call("GET", `/api/groups/${group.id}/duplicates`);
    expect(dups.body.items).toEqual([
      { reason: "same_name", key: "jose nunez", personIds: expect.arrayContaining([dup1.id, dup2.id]) },
    ]);
  });

  it("keeps an audit timeline per group with who, what, when and source, paged", async () => {
    const { group, account } = await groupSetup(t);
    const p = await person(t, account.id, "Ann");
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await t.call(
      "POST",
      `/api/groups/${group.id}/members`,
      { members: [{ personId: p.id, roleKey: "influencer" }] },
      t.tokens.sales,
    );
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await t.call("POST", `/api/groups/${group.id}/members/remove`, { personIds: [p.id] });
    const page1 = await t.call("GET", `/api/groups/${group.id}/timeline?limit=2`);
    expect(page1.body.items.map((e: any) => [e.action, e.source, e.actor?.name])).toEqual([
      ["member.removed", "manual", "admin tester"],
      ["member.added", "manual", "sales tester"],
    ]);
    const page2 = await t.call("GET", `/api/groups/${group.id}/timeline?limit=2&before=${page1.body.next}`);
    expect(page2.body.items.map((e: any) => e.action)).toEqual(["group.created"]);
    expect(page2.body.next).toBeNull();
  });
});

import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { createApp } from "../../../server/app";
import { type DetailsFeedOptions, startDetailsFeed } from "../../../server/groups/details-feed";
import { runBackgroundJobsUntilIdle } from "../../../server/scores/recompute-jobs";
import { activities, groupSetup, person, SEED_ROLES } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// GET /api/groups/:id is served from a per-process cache keyed by the group's details version. Every
// case below reads the details (filling the cache), changes something the details show, and reads
// again: the second read must show the change. Changes go through the API where it has a route, and
// straight to the database otherwise (what an import, a job or another server process does).
//
// On PostgreSQL the same cases run again with the details feed (server/groups/details-feed.ts: cached bodies
// served without a version read while no change notification named them). Changes made through the API are
// fenced and show on the very next read, on this app and on another one; changes made straight to the
// database (no server's API) are promised within the feed's lease, so those cases wait `leaseMs` first.
const feedModes: Array<[string, DetailsFeedOptions | undefined]> = process.env.QUORUM_TEST_DATABASE_URL
  ? [
      ["version read per request", undefined],
      ["details feed", { heartbeatMs: 20, leaseMs: 100 }],
    ]
  : [["version read per request", undefined]];

describe.each(feedModes)("group details cache (%s): every change shows on the next read", (_mode, feedOptions) => {
  let t: TestContext;
  let groupId: string;
  let accountId: string;
  let ann: string;
  let bob: string;
  let setup: Awaited<ReturnType<typeof groupSetup>>;
  const details = async (app = t.app) => {
    const res = await app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    return (await res.json()) as any;
  };
  /** Feed mode: a change made outside the API reaches the cache within the lease (the documented bound). */
  const outsideApi = () => (t.feed ? new Promise((resolve) => setTimeout(resolve, t.feed!.leaseMs * 1.1 + 5)) : undefined);
  /**
   * Reads twice (the second read is a cache hit), runs the change, returns the details before and after.
   * `direct`: the change does not go through the API (a job, an import, another process).
   */
  const around = async (change: () => Promise<unknown>, direct = false) => {
    await details();
    const before = await details();
    await change();
    if (direct) await outsideApi();
    return { before, after: await details() };
  };
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const res = await p;
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };

  beforeEach(async () => {
    t = await createTestContext({ now: new Date("2026-11-23T12:00:00.000Z"), detailsFeed: feedOptions });
    setup = await groupSetup(t);
    groupId = setup.group.id;
    accountId = setup.account.id;
    ann = (await person(t, accountId, "Ann", { jobTitle: "CFO" })).id;
    bob = (await person(t, accountId, "Bob", { jobTitle: "Engineer" })).id;
    await ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: ann, roleKey: "decision-maker" }] }));
  });
  afterEach(() => t.close());

  it("serves repeated reads from the cache with the same body as the first", async () => {
    const first = await details();
    const res = await t.app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(await res.json()).toEqual(first);
    expect(first.members.map((m: any) => m.personId)).toEqual([ann]);
  });

  it("membership: add, role change, remove (manual) and journey assign", async () => {
    let r = await around(() =>
      ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] })),
    );
    expect(r.before.members).toHaveLength(1);
    expect(r.after.members.map((m: any) => m.personId).sort()).toEqual([ann, bob].sort());
    expect(r.after.group.memberCount).toBe(2);

    r = await around(() =>
      ok(t.call("PATCH", `/api/groups/${groupId}/members`, { changes: [{ personId: bob, roleKey: "influencer" }] })),
    );
    expect(r.after.members.find((m: any) => m.personId === bob).roleKey).toBe("influencer");
    expect(r.after.roles.find((x: any) => x.key === "influencer").assigned).toBe(1);
    expect(r.after.roles.find((x: any) => x.key === "practitioner").assigned).toBe(0);

    r = await around(() => ok(t.call("POST", `/api/groups/${groupId}/members/remove`, { personIds: [bob] })));
    expect(r.after.members.map((m: any) => m.personId)).toEqual([ann]);

    const journey = await ok(t.call("POST", "/api/journeys", { name: "Nurture" }));
    const cleo = (await person(t, accountId, "Cleo")).id;
    r = await around(() =>
      ok(
        t.call("POST", `/api/journeys/${journey.id}/actions`, {
          action: "assign",
          groupId,
          personIds: [cleo],
          roleKey: "practitioner",
        }),
      ),
    );
    expect(r.after.members.find((m: any) => m.personId === cleo)?.source).toBe("journey");
  });

  it("activity ingest moves member scores and engagement (incremental path)", async () => {
    const r = await around(() =>
      ok(
        t.call("POST", "/api/activities", { activities: activities(ann, "visit-webpage", 5, new Date("2026-11-23T09:00:00Z")) }),
      ),
    );
    expect(r.before.members[0].score).toBe(0);
    expect(r.after.members[0].score).toBeGreaterThan(0);
    expect(r.after.group.engagement).toBeGreaterThan(r.before.group.engagement);
  });

  it("score recompute of the group and of everything", async () => {
    t.clock.now = new Date("2026-11-23T13:00:00.000Z");
    let r = await around(() => ok(t.call("POST", `/api/groups/${groupId}/scores/recompute`)));
    expect(r.after.group.scoresComputedAt).toBe("2026-11-23T13:00:00.000Z");
    t.clock.now = new Date("2026-11-23T14:00:00.000Z");
    // The full recompute is queued (202) and run by a background worker.
    r = await around(async () => {
      const job = await ok(t.call("POST", "/api/scores/recompute"));
      expect(job.status).toBe("queued");
      await runBackgroundJobsUntilIdle(t.deps);
      await outsideApi();
    });
    expect(r.after.group.scoresComputedAt).toBe("2026-11-23T14:00:00.000Z");
  });

  it("a member's new activities show in every group the member is in", async () => {
    const si = await ok(
      t.call("POST", "/api/solution-interests", { name: "Second interest", roleTemplateId: setup.template.id }),
    );
    const other = await ok(t.call("POST", "/api/groups", { accountId, solutionInterestId: si.id }));
    await ok(t.call("POST", `/api/groups/${other.id}/members`, { members: [{ personId: ann, roleKey: "influencer" }] }));
    const otherDetails = async () =>
      (await (
        await t.app.request(`/api/groups/${other.id}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } })
      ).json()) as any;
    await otherDetails();
    const otherBefore = await otherDetails();
    const r = await around(() =>
      ok(
        t.call("POST", "/api/activities", { activities: activities(ann, "visit-webpage", 3, new Date("2026-11-23T09:00:00Z")) }),
      ),
    );
    const otherAfter = await otherDetails();
    expect(r.before.members[0].score).toBe(0);
    expect(otherBefore.members[0].score).toBe(0);
    expect(r.after.members[0].score).toBe(3);
    expect(otherAfter.members[0].score).toBe(3);
    expect(otherAfter.group.engagement).toBeGreaterThan(otherBefore.group.engagement);
  });

  it("stage changes", async () => {
    const model = await ok(
      t.call("POST", "/api/stage-models", {
        name: "Stages",
        stages: [
          { name: "Aware", kind: "entry" },
          { name: "Engaged", kind: "in_progress" },
        ],
        transitions: [{ from: "Aware", to: "Engaged" }],
        rules: [],
      }),
    );
    await ok(t.call("POST", `/api/stage-models/${model.id}/publish`));
    const si = await ok(
      t.call("POST", "/api/solution-interests", { name: "Staged", roleTemplateId: setup.template.id, stageModelId: model.id }),
    );
    const g = await ok(t.call("POST", "/api/groups", { accountId, solutionInterestId: si.id }));
    groupId = g.id;
    const engaged = model.stages.find((s: any) => s.name === "Engaged").id;
    const r = await around(() => ok(t.call("POST", `/api/groups/${groupId}/stage`, { stageId: engaged })));
    expect(r.before.group.stage.name).toBe("Aware");
    expect(r.after.group.stage.name).toBe("Engaged");
    const renamed = await around(
      () => t.deps.db.updateTable("stages").set({ name: "Hot" }).where("id", "=", engaged).execute(),
      true,
    );
    expect(renamed.after.group.stage.name).toBe("Hot");
  });

  it("account: CRM links, people count, journeys (enter, rename, delete)", async () => {
    let r = await around(() => ok(t.call("POST", `/api/accounts/${accountId}/links`, { crm: "hubspot", recordId: "12345" })));
    expect(r.after.account.crmLinks.length).toBe(r.before.account.crmLinks.length + 1);

    r = await around(() => person(t, accountId, "Cleo"));
    expect(r.after.account.peopleCount).toBe(r.before.account.peopleCount + 1);

    const journey = await ok(t.call("POST", "/api/journeys", { name: "Onboarding" }));
    r = await around(() => ok(t.call("POST", `/api/journeys/${journey.id}/accounts`, { accountIds: [accountId] })));
    expect(r.after.account.journeys.map((j: any) => j.name)).toEqual(["Onboarding"]);
    r = await around(() => ok(t.call("PUT", `/api/journeys/${journey.id}`, { name: "Onboarding 2" })));
    expect(r.after.account.journeys.map((j: any) => j.name)).toEqual(["Onboarding 2"]);
    r = await around(() => ok(t.call("DELETE", `/api/journeys/${journey.id}`)));
    expect(r.after.account.journeys).toEqual([]);
  });

  it("solution interest rename and a new template version", async () => {
    let r = await around(() =>
      ok(
        t.call("PUT", `/api/solution-interests/${setup.solutionInterest.id}`, {
          name: "Renamed interest",
          roleTemplateId: setup.template.id,
        }),
      ),
    );
    expect(r.after.group.solutionInterestName).toBe("Renamed interest");

    const roles = SEED_ROLES.map((role) => (role.key === "decision-maker" ? { ...role, name: "Economic buyer" } : role));
    const draft = await ok(t.call("PUT", `/api/role-templates/${setup.template.id}`, { name: "Test template", roles }));
    r = await around(() => ok(t.call("POST", `/api/role-templates/${draft.id}/publish`)));
    expect(r.after.roles.find((x: any) => x.key === "decision-maker").name).toBe("Economic buyer");
    expect(r.after.members[0].roleName).toBe("Economic buyer");
    expect(r.after.group.roleTemplate.version).toBe(r.before.group.roleTemplate.version + 1);
  });

  it("intent signals of a member and of the account", async () => {
    let r = await around(() =>
      ok(
        t.call("POST", "/api/intent/signals", {
          signals: [
            {
              externalId: "s1",
              personId: ann,
              type: "keyword",
              topic: "zero trust",
              strength: 90,
              occurredAt: "2026-11-23T08:00:00Z",
            },
          ],
        }),
      ),
    );
    expect(r.before.intent.topics).toEqual([]);
    expect(r.after.intent.topics.map((x: any) => x.topic)).toEqual(["zero trust"]);
    r = await around(() =>
      ok(
        t.call("POST", "/api/intent/signals", {
          signals: [
            { externalId: "s2", accountId, type: "product", topic: "firewall", strength: 90, occurredAt: "2026-11-23T08:00:00Z" },
          ],
        }),
      ),
    );
    expect(r.after.intent.topics.map((x: any) => x.topic).sort()).toEqual(["firewall", "zero trust"]);
  });

  it("changes written straight to the database (imports, jobs, other processes)", async () => {
    const { db } = t.deps;
    let r = await around(
      () => db.updateTable("people").set({ job_title: "CEO", last_name: "Smith" }).where("id", "=", ann).execute(),
      true,
    );
    expect(r.after.members[0].jobTitle).toBe("CEO");
    expect(r.after.members[0].name).toBe("Ann Smith");
    r = await around(() => db.updateTable("accounts").set({ name: "Initech" }).where("id", "=", accountId).execute(), true);
    expect(r.after.account.name).toBe("Initech");
    expect(r.after.group.accountName).toBe("Initech");
    r = await around(
      () => db.updateTable("buying_groups").set({ summary: "A reworded summary." }).where("id", "=", groupId).execute(),
      true,
    );
    expect(r.after.group.summary).toBe("A reworded summary.");
    r = await around(() => db.updateTable("people").set({ account_id: null }).where("id", "=", bob).execute(), true);
    expect(r.after.account.peopleCount).toBe(r.before.account.peopleCount - 1);
    r = await around(() => db.deleteFrom("people").where("id", "=", ann).execute(), true);
    expect(r.after.members).toEqual([]);
  });

  it("a change made through another server instance on the same database shows here at once", async () => {
    // Its own cache (and feed), like another process.
    const otherFeed =
      t.feed && (await startDetailsFeed(t.feed.database, { heartbeatMs: t.feed.heartbeatMs, leaseMs: t.feed.leaseMs }));
    const other = createApp(t.deps, { detailsFeed: otherFeed });
    onTestFinished(() => otherFeed?.close());
    // Feed mode: both servers have heard each other's heartbeats, so each write waits for the other's answer.
    if (otherFeed) await new Promise((resolve) => setTimeout(resolve, otherFeed.leaseMs));
    await details();
    await details(other);
    const res = await other.request(`/api/groups/${groupId}/members`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ members: [{ personId: bob, roleKey: "practitioner" }] }),
    });
    expect(res.status).toBe(200);
    expect((await details()).members).toHaveLength(2);
    expect((await details(other)).members).toHaveLength(2);
  });

  it("time alone: intent decays by whole days, and a new day refreshes scores from the window", async () => {
    await ok(
      t.call("POST", "/api/intent/signals", {
        signals: [
          { externalId: "s1", personId: ann, type: "keyword", topic: "sase", strength: 100, occurredAt: "2026-11-23T06:00:00Z" },
        ],
      }),
    );
    await ok(
      t.call("POST", "/api/activities", { activities: activities(ann, "visit-webpage", 4, new Date("2026-10-25T09:00:00Z")) }),
    );
    const before = await details();
    expect(before.members[0].score).toBeGreaterThan(0);
    // 2026-11-24T06:00Z: the signal is one whole day old, so it weighs 29/30; same calendar day (UTC) until midnight.
    t.clock.now = new Date("2026-11-23T23:59:00.000Z");
    expect((await details()).intent.topics[0].score).toBe(before.intent.topics[0].score);
    t.clock.now = new Date("2026-11-24T07:00:00.000Z");
    const later = await details();
    expect(later.intent.topics[0].score).toBeLessThan(before.intent.topics[0].score);
    // 2026-10-25 left the 30-day window on 2026-11-24: the member's score and engagement drop.
    expect(later.members[0].score).toBe(0);
    expect(later.group.engagement).toBe(0);
  });

  it("gzips the details for callers that accept it (browsers do), with the same JSON and Vary", async () => {
    const read = async (acceptEncoding?: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${t.tokens.admin}` };
      if (acceptEncoding !== undefined) headers["accept-encoding"] = acceptEncoding;
      const res = await t.app.request(`/api/groups/${groupId}`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("vary")?.toLowerCase()).toContain("accept-encoding");
      const bytes = Buffer.from(await res.arrayBuffer());
      const encoding = res.headers.get("content-encoding");
      return {
        encoding,
        json: JSON.parse((encoding === "gzip" ? gunzipSync(bytes) : bytes).toString("utf8")),
        size: bytes.length,
      };
    };
    const plain = await read();
    expect(plain.encoding).toBeNull();
    for (const header of ["gzip, deflate, br, zstd", "br;q=1, gzip;q=0.5", "*", "x-gzip"]) {
      const gz = await read(header);
      expect(gz.encoding, header).toBe("gzip");
      expect(gz.json).toEqual(plain.json);
    }
    for (const header of ["identity", "gzip;q=0, br", "*;q=0", "br"]) expect((await read(header)).encoding, header).toBeNull();
    // A change shows in both encodings (the cached gzip belongs to the version it was made from).
    await ok(t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: bob, roleKey: "practitioner" }] }));
    const after = await read("gzip");
    expect(after.encoding).toBe("gzip");
    expect(after.json.members.map((m: any) => m.personId).sort()).toEqual([ann, bob].sort());
    expect((await read()).json).toEqual(after.json);
  });

  it("still checks the token on every request, cached or not", async () => {
    await details();
    const none = await t.app.request(`/api/groups/${groupId}`);
    expect(none.status).toBe(401);
    const wrong = await t.app.request(`/api/groups/${groupId}`, { headers: { authorization: "Bearer nope_nope_nope" } });
    expect(wrong.status).toBe(401);
    expect((await t.call("GET", `/api/groups/${groupId}`, undefined, t.tokens.sales)).status).toBe(200);
    expect((await t.call("GET", "/api/groups/grp_missing")).status).toBe(404);
  });
});

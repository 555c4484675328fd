import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Ingest is idempotent on externalId; bad rows are rejected with their index and reason while the good
// rows of the same batch are stored.
const NOW = new Date("2026-11-23T12:00:00.000Z");
const HOUR_AGO = "2026-11-23T11:00:00.000Z";
let t: TestContext;
let groupId: string;
let accountId: string;

beforeAll(async () => {
  t = await createTestContext({ now: NOW });
  const setup = await groupSetup(t);
  groupId = setup.group.id;
  accountId = setup.account.id;
});
afterAll(() => t.close());

async function member(firstName: string) {
  const p = await person(t, accountId, firstName);
  const res = await t.call("POST", `/api/groups/${groupId}/members`, {
    members: [{ personId: p.id, roleKey: "decision-maker" }],
  });
  expect(res.status).toBe(200);
  return p;
}

const rowsFor = async (externalIds: string[]) =>
  t.deps.db.selectFrom("activities").select(["external_id"]).where("external_id", "in", externalIds).execute();
const personScore = async (id: string) => (await t.call("GET", `/api/people/${id}`)).body.score as number;
const group = async () =>
  (await t.call("GET", `/api/groups/${groupId}`)).body.group as { engagement: number; engagementRaw: number };
const visit = (externalId: string, personId: string, occurredAt = HOUR_AGO) => ({
  externalId,
  personId,
  type: "visit-webpage",
  occurredAt,
});

describe("idempotent ingest", () => {
  it("the same activities ingested twice are stored once and score once", async () => {
    const p = await member("Ida");
    const batch = ["dup-1", "dup-2", "dup-3"].map((id) => visit(id, p.id));
    const first = await t.call("POST", "/api/activities", { activities: batch });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 3, duplicate: 0, rejected: [] });
    expect(await personScore(p.id)).toBe(3);
    const engagementAfterFirst = await group();

    const second = await t.call("POST", "/api/activities", { activities: batch });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ accepted: 0, duplicate: 3, rejected: [] });
    expect(await rowsFor(["dup-1", "dup-2", "dup-3"])).toHaveLength(3);
    expect(await personScore(p.id)).toBe(3);
    expect(await group()).toMatchObject({
      engagement: engagementAfterFirst.engagement,
      engagementRaw: engagementAfterFirst.engagementRaw,
    });
    const explained = await t.call("GET", `/api/groups/${groupId}/scores`);
    const mine = explained.body.engagement.members.find((m: { personId: string }) => m.personId === p.id);
    expect(mine.score).toBe(3);
  });

  it("a duplicate sent later with different fields changes nothing", async () => {
    const p = await member("Otto");
    await t.call("POST", "/api/activities", { activities: [visit("same-id", p.id)] });
    const again = await t.call("POST", "/api/activities", {
      activities: [{ externalId: "same-id", personId: p.id, type: "attend-event", occurredAt: "2026-11-23T10:00:00.000Z" }],
    });
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 1 });
    const stored = await t.deps.db
      .selectFrom("activities")
      .select(["type_id", "occurred_at"])
      .where("external_id", "=", "same-id")
      .execute();
    expect(stored).toEqual([{ type_id: "visit-webpage", occurred_at: new Date(HOUR_AGO).toISOString() }]);
    expect(await personScore(p.id)).toBe(1);
  });

  it("a duplicate inside one batch counts once", async () => {
    const p = await member("Bea");
    const res = await t.call("POST", "/api/activities", {
      activities: [visit("in-batch-1", p.id), visit("in-batch-1", p.id), visit("in-batch-2", p.id), visit("in-batch-1", p.id)],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicate: 2, rejected: [] });
    expect(await rowsFor(["in-batch-1", "in-batch-2"])).toHaveLength(2);
    expect(await personScore(p.id)).toBe(2);
  });
});

describe("rejected rows", () => {
  it("are reported with index and reason while the good rows of the batch are stored", async () => {
    const p = await member("Rex");
    const res = await t.call("POST", "/api/activities", {
      activities: [
        visit("good-0", p.id),
        { externalId: "bad-type", personId: p.id, type: "Telepathy", occurredAt: HOUR_AGO },
        { externalId: "good-2", personEmail: p.email, type: "Visit Webpage", occurredAt: HOUR_AGO },
        { externalId: "bad-email", personEmail: "nobody@nowhere.example.com", type: "visit-webpage", occurredAt: HOUR_AGO },
        { externalId: "bad-future", personId: p.id, type: "visit-webpage", occurredAt: "2026-11-24T12:00:00.000Z" },
        { personId: p.id, type: "visit-webpage", occurredAt: HOUR_AGO },
        { externalId: "bad-person", personId: "per_doesNotExist", type: "visit-webpage", occurredAt: HOUR_AGO },
        { externalId: "bad-time", personId: p.id, type: "visit-webpage", occurredAt: "yesterday" },
        visit("good-8", p.id),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.duplicate).toBe(0);
    const rejected = res.body.rejected as Array<{ index: number; externalId: string | null; reason: string }>;
    expect(rejected.map((r) => [r.index, r.externalId])).toEqual([
      [1, "bad-type"],
      [3, "bad-email"],
      [4, "bad-future"],
      [5, null],
      [6, "bad-person"],
      [7, "bad-time"],
    ]);
    const reason = (i: number) => rejected.find((r) => r.index === i)?.reason;
    expect(reason(1)).toMatch(/type 'Telepathy'/);
    expect(reason(3)).toMatch(/nobody@nowhere\.example\.com/);
    expect(reason(4)).toMatch(/future/);
    expect(reason(5)).toMatch(/externalId/);
    expect(reason(6)).toMatch(/per_doesNotExist/);
    expect(reason(7)).toMatch(/occurredAt/);
    expect((await rowsFor(["good-0", "good-2", "good-8"])).map((r) => r.external_id).sort()).toEqual([
      "good-0",
      "good-2",
      "good-8",
    ]);
    expect(await rowsFor(["bad-type", "bad-email", "bad-future", "bad-person", "bad-time"])).toEqual([]);
    expect(await personScore(p.id)).toBe(3);
  });

  // PostgreSQL takes person ids on trust and lets the activities' foreign key find an unknown one; the batch
  // is then checked again with the ids looked up. Counts must come out as if checked up front.
  it("an unknown person beside a repeat of an earlier activity and an in-batch repeat: each counted once", async () => {
    const p = await member("Uma");
    await t.call("POST", "/api/activities", { activities: [visit("uma-earlier", p.id)] });
    const res = await t.call("POST", "/api/activities", {
      activities: [
        visit("uma-earlier", p.id),
        visit("uma-new", p.id),
        visit("uma-ghost", "per_ghost_of_uma"),
        visit("uma-new", p.id),
        visit("uma-new-2", p.id),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicate: 2 });
    expect(res.body.rejected).toEqual([
      { index: 2, externalId: "uma-ghost", reason: "personId 'per_ghost_of_uma' is not a known person" },
    ]);
    expect((await rowsFor(["uma-earlier", "uma-new", "uma-new-2", "uma-ghost"])).map((r) => r.external_id).sort()).toEqual([
      "uma-earlier",
      "uma-new",
      "uma-new-2",
    ]);
    expect(await personScore(p.id)).toBe(3);
  });

  it("a rejected row does not burn its externalId: fixed and resent, it is accepted", async () => {
    const p = await member("Fix");
    const bad = await t.call("POST", "/api/activities", {
      activities: [{ externalId: "fix-me", personId: p.id, type: "no-such-type", occurredAt: HOUR_AGO }],
    });
    expect(bad.body).toMatchObject({ accepted: 0, duplicate: 0 });
    const good = await t.call("POST", "/api/activities", { activities: [visit("fix-me", p.id)] });
    expect(good.body).toMatchObject({ accepted: 1, duplicate: 0, rejected: [] });
    expect(await personScore(p.id)).toBe(1);
  });

  it("sales may not ingest activities", async () => {
    const p = await member("Sal");
    const res = await t.call("POST", "/api/activities", { activities: [visit("sales-try", p.id)] }, t.tokens.sales);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(await rowsFor(["sales-try"])).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Bulk member actions take at most 50 members; more is refused with a clear message and nothing changes.
// One bad item fails the whole request (all-or-nothing).
let t: TestContext;
let templateId: string;
let accountId: string;
let people: string[] = [];
let seq = 0;

beforeAll(async () => {
  t = await createTestContext();
  templateId = (await liveTemplate(t)).id;
  accountId = (await account(t)).id;
  people = [];
  for (let i = 0; i < 51; i++) people.push((await person(t, accountId, `Bulk${i}`)).id);
  await t.deps.db
    .insertInto("journeys")
    .values({ id: "jrn_bulk", name: "Bulk journey", status: "active", created_at: t.clock.now.toISOString() })
    .execute();
});
afterAll(() => t.close());

/** A new group on the shared account (one solution interest per group). */
async function newGroup(): Promise<string> {
  seq++;
  const si = await t.call("POST", "/api/solution-interests", { name: `Bulk interest ${seq}`, roleTemplateId: templateId });
  const group = await t.call("POST", "/api/groups", { accountId, solutionInterestId: si.body.id });
  expect(group.status).toBe(201);
  return group.body.id;
}

/** What a user sees: every member row (removed ones too) and the group's shown scores. */
async function snapshot(groupId: string) {
  const members = await t.call("GET", `/api/groups/${groupId}/members?includeRemoved=true`);
  const details = await t.call("GET", `/api/groups/${groupId}`);
  return {
    members: members.body.items.map((m: Record<string, unknown>) => [m.personId, m.roleKey, m.status, m.lastChangeSource]).sort(),
    memberCount: details.body.group.memberCount,
    completeness: details.body.group.completeness,
    updatedAt: details.body.group.updatedAt,
  };
}

interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details: { issues: Array<{ field: string; message: string }> } | null } };
}

function expectTooMany(res: ErrorResponse, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe("validation_failed");
  expect(res.body.error.message).toContain(field);
  expect(res.body.error.message).toMatch(/at most 50/);
  expect(res.body.error.details?.issues).toEqual([
    expect.objectContaining({ field, message: expect.stringMatching(/at most 50/) }),
  ]);
}

describe("at most 50 members per bulk call", () => {
  it("assigning 51 members is refused and nothing changes", async () => {
    const groupId = await newGroup();
    await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId: people[0], roleKey: "decision-maker" }] });
    const before = await snapshot(groupId);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const res = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.map((personId) => ({ personId, roleKey: "influencer" })),
    });
    expectTooMany(res, "members");
    expect(await snapshot(groupId)).toEqual(before);
    expect(before).toMatchObject({ memberCount: 1, completeness: 33 });
  });

  it("assigning exactly 50 members works", async () => {
    const groupId = await newGroup();
    const res = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.slice(0, 50).map((personId, i) => ({ personId, roleKey: i < 2 ? "decision-maker" : "influencer" })),
    });
    expect(res.status).toBe(200);
    expect(res.body.applied).toHaveLength(50);
    expect(res.body.completeness).toBe(67);
    expect((await snapshot(groupId)).memberCount).toBe(50);
  });

  it("removing 51 members is refused and all 50 members stay", async () => {
    const groupId = await newGroup();
    await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.slice(0, 50).map((personId) => ({ personId, roleKey: "practitioner" })),
    });
    const before = await snapshot(groupId);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const res = await t.call("POST", `/api/groups/${groupId}/members/remove`, { personIds: people });
    expectTooMany(res, "personIds");
    expect(await snapshot(groupId)).toEqual(before);
    expect(before).toMatchObject({ memberCount: 50, completeness: 33 });
  });

  it("changing the role of 51 members is refused and no role changes", async () => {
    const groupId = await newGroup();
    await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.slice(0, 50).map((personId) => ({ personId, roleKey: "practitioner" })),
    });
    const before = await snapshot(groupId);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const res = await t.call("PATCH", `/api/groups/${groupId}/members`, {
      changes: people.map((personId) => ({ personId, roleKey: "decision-maker" })),
    });
    expectTooMany(res, "changes");
    expect(await snapshot(groupId)).toEqual(before);
  });

  it("a journey action on 51 people is refused and nothing changes", async () => {
    const groupId = await newGroup();
    const before = await snapshot(groupId);
    const res = await t.call("POST", "/api/journeys/jrn_bulk/actions", {
      action: "assign",
      groupId,
      personIds: people,
      roleKey: "influencer",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toContain("personIds");
    expect(res.body.error.message).toMatch(/at most 50/);
    expect(await snapshot(groupId)).toEqual(before);
  });
});

describe("one bad item fails the whole bulk call", () => {
  it("an unknown role key at index 3 → 400 naming members.3.roleKey, none of the others applied", async () => {
    const groupId = await newGroup();
    const before = await snapshot(groupId);
    const members = people.slice(0, 6).map((personId) => ({ personId, roleKey: "influencer" }));
    members[3] = { personId: people[3]!, roleKey: "no-such-role" };
    const res = await t.call("POST", `/api/groups/${groupId}/members`, { members });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toContain("members.3.roleKey");
    expect(res.body.error.message).toMatch(/nothing was changed/i);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "members.3.roleKey" })]);
    expect(await snapshot(groupId)).toEqual(before);
    expect(before.memberCount).toBe(0);
  });

  it("an unknown role key at index 3 of a role change → changes.3.roleKey, no role changed", async () => {
    const groupId = await newGroup();
    await t.call("POST", `/api/groups/${groupId}/members`, {
      members: people.slice(0, 6).map((personId) => ({ personId, roleKey: "influencer" })),
    });
    const before = await snapshot(groupId);
    const changes = people.slice(0, 6).map((personId) => ({ personId, roleKey: "decision-maker" }));
    changes[3] = { personId: people[3]!, roleKey: "no-such-role" };
    const res = await t.call("PATCH", `/api/groups/${groupId}/members`, { changes });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "changes.3.roleKey" })]);
    expect(await snapshot(groupId)).toEqual(before);
  });

  it("a person of another account at index 2 → members.2.personId, nothing applied", async () => {
    const groupId = await newGroup();
    const stranger = (await person(t, (await account(t)).id, "Stranger")).id;
    const before = await snapshot(groupId);
    const members = people.slice(0, 4).map((personId) => ({ personId, roleKey: "influencer" }));
    members[2] = { personId: stranger, roleKey: "influencer" };
    const res = await t.call("POST", `/api/groups/${groupId}/members`, { members });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "members.2.personId" })]);
    expect(await snapshot(groupId)).toEqual(before);
  });

  it("the same person twice in one call → 400 naming the second entry, nothing applied", async () => {
    const groupId = await newGroup();
    const before = await snapshot(groupId);
    const res = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: [
        { personId: people[0], roleKey: "influencer" },
        { personId: people[0], roleKey: "decision-maker" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "members.1" })]);
    expect(await snapshot(groupId)).toEqual(before);
  });

  it("a journey action listing the same person twice is not a server error and adds the person once", async () => {
    const groupId = await newGroup();
    const res = await t.call("POST", "/api/journeys/jrn_bulk/actions", {
      action: "assign",
      groupId,
      personIds: [people[0], people[1], people[0]],
      roleKey: "influencer",
    });
    expect(res.status, JSON.stringify(res.body)).not.toBe(500);
    if (res.status === 400) {
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "personIds.2" })]);
      expect((await snapshot(groupId)).memberCount).toBe(0);
    } else {
      expect(res.status).toBe(200);
      const members = (await snapshot(groupId)).members.map((m: unknown[]) => m[0]);
      expect(members.sort()).toEqual([people[0], people[1]].sort());
    }
  });
});

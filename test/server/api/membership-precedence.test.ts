import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMembershipChanges } from "../../../server/members/membership.service";
import type { MemberChangeResult } from "../../../shared/api/members";
import { MEMBER_SOURCES, type MemberSource, sourceRank } from "../../../shared/domain/sources";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Precedence manual > journey > system: a change from a lower source than the source of the last change
// for that person and group is skipped and reported (with heldBy); equal or higher rank applies.
type Action = "add" | "remove" | "role_change";
const ACTIONS: Action[] = ["add", "remove", "role_change"];
const JOURNEY_ID = "jrn_precedence";

interface StoredMember {
  personId: string;
  roleKey: string;
  status: "active" | "removed";
  source: MemberSource;
  lastChangeSource: MemberSource;
}

let t: TestContext;
let solutionInterestSeq = 0;
let templateId: string;

beforeAll(async () => {
  t = await createTestContext();
  templateId = (await liveTemplate(t)).id;
  await t.deps.db
    .insertInto("journeys")
    .values({ id: JOURNEY_ID, name: "Nurture", status: "active", created_at: t.clock.now.toISOString() })
    .execute();
});
afterAll(() => t.close());

/** A fresh group (own account and solution interest) with one contact. */
async function freshGroup() {
  solutionInterestSeq++;
  const si = await t.call("POST", "/api/solution-interests", {
    name: `Interest ${solutionInterestSeq}`,
    roleTemplateId: templateId,
  });
  expect(si.status).toBe(201);
  const acc = await account(t);
  const group = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.body.id });
  expect(group.status).toBe(201);
  const p = await person(t, acc.id, "Pat");
  return { groupId: group.body.id as string, personId: p.id };
}

/** One membership change from `source`, through its real entry point. */
async function change(
  source: MemberSource,
  action: Action,
  groupId: string,
  personId: string,
  roleKey?: string,
): Promise<MemberChangeResult> {
  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  if (source === "manual") {
    const res =
      action === "add"
        ? await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId, roleKey }] })
        : action === "remove"
          ? await t.call("POST", `/api/groups/${groupId}/members/remove`, { personIds: [personId] })
          : await t.call("PATCH", `/api/groups/${groupId}/members`, { changes: [{ personId, roleKey }] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  if (source === "journey" && action !== "role_change") {
    const body =
      action === "add"
        ? { action: "assign", groupId, personIds: [personId], roleKey }
        : { action: "remove", groupId, personIds: [personId] };
    const res = await t.call("POST", `/api/journeys/${JOURNEY_ID}/actions`, body, t.tokens.marketer);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  // System jobs (and a journey role change, which has no action node) have no HTTP route: the service is their entry point.
  return applyMembershipChanges(t.deps, groupId, [{ personId, action, roleKey }], { source, userId: null, field: "changes" });
}

async function stored(groupId: string, personId: string): Promise<StoredMember | undefined> {
  const res = await t.call("GET", `/api/groups/${groupId}/members?includeRemoved=true`);
  expect(res.status).toBe(200);
  return (res.body.items as StoredMember[]).find((m) => m.personId === personId);
}

const cases = MEMBER_SOURCES.flatMap((first) =>
  MEMBER_SOURCES.flatMap((later) =>
    ACTIONS.map((action) => ({ first, later, action, applies: sourceRank(later) >= sourceRank(first) })),
  ),
);

describe("the precedence matrix (member added by S1, then S2 acts)", () => {
  it("has 27 cases, 18 applied and 9 skipped", () => {
    expect(cases).toHaveLength(27);
    expect(cases.filter((c) => c.applies)).toHaveLength(18);
  });

  it.each(cases)("added by $first, then $later does $action → applied: $applies", async ({ first, later, action, applies }) => {
    const { groupId, personId } = await freshGroup();
    const added = await change(first, "add", groupId, personId, "influencer");
    expect(added.applied).toEqual([{ personId, action: "add", roleKey: "influencer", effect: "added" }]);
    expect(await stored(groupId, personId)).toMatchObject({
      roleKey: "influencer",
      status: "active",
      source: first,
      lastChangeSource: first,
    });

    const result = await change(later, action, groupId, personId, action === "remove" ? undefined : "practitioner");
    const after = await stored(groupId, personId);
    if (applies) {
      expect(result.skipped).toEqual([]);
      const effect = action === "remove" ? "removed" : "role_changed";
      expect(result.applied).toEqual([expect.objectContaining({ personId, action, effect })]);
      expect(after).toMatchObject({
        roleKey: action === "remove" ? "influencer" : "practitioner",
        status: action === "remove" ? "removed" : "active",
        source: first,
        lastChangeSource: later,
      });
    } else {
      expect(result.applied).toEqual([]);
      expect(result.skipped).toEqual([expect.objectContaining({ personId, action, heldBy: first })]);
      expect(result.skipped[0]?.reason).toMatch(new RegExp(`'${first}'`));
      expect(after).toMatchObject({ roleKey: "influencer", status: "active", source: first, lastChangeSource: first });
    }
    // Completeness follows the stored state: the seeds' template has three roles, one member.
    const details = await t.call("GET", `/api/groups/${groupId}`);
    expect(details.body.group.completeness).toBe(applies && action === "remove" ? 0 : 33);
  });
});

describe("precedence after removals and re-adds", () => {
  it.each<[MemberSource]>([["system"], ["journey"]])(
    "after a manual remove, a %s add is skipped and the person stays removed",
    async (later) => {
      const { groupId, personId } = await freshGroup();
      await change("manual", "add", groupId, personId, "influencer");
      await change("manual", "remove", groupId, personId);
      const result = await change(later, "add", groupId, personId, "decision-maker");
      expect(result.applied).toEqual([]);
      expect(result.skipped).toEqual([expect.objectContaining({ personId, action: "add", heldBy: "manual" })]);
      expect(await stored(groupId, personId)).toMatchObject({
        status: "removed",
        roleKey: "influencer",
        lastChangeSource: "manual",
      });
      const active = await t.call("GET", `/api/groups/${groupId}/members`);
      expect(active.body.items).toEqual([]);
      expect((await t.call("GET", `/api/groups/${groupId}`)).body.group).toMatchObject({ memberCount: 0, completeness: 0 });
    },
  );

  it("a manual remove of someone never added still blocks a later system add", async () => {
    const { groupId, personId } = await freshGroup();
    const removed = await change("manual", "remove", groupId, personId);
    expect(removed.skipped).toEqual([]);
    const result = await change("system", "add", groupId, personId, "decision-maker");
    expect(result.skipped).toEqual([expect.objectContaining({ personId, action: "add", heldBy: "manual" })]);
    expect((await stored(groupId, personId))?.status ?? "not listed").not.toBe("active");
    expect((await t.call("GET", `/api/groups/${groupId}/members`)).body.items).toEqual([]);
  });

  it("after a system remove, a manual add re-adds the person with source manual", async () => {
    const { groupId, personId } = await freshGroup();
    await change("system", "add", groupId, personId, "influencer");
    await change("system", "remove", groupId, personId);
    expect(await stored(groupId, personId)).toMatchObject({ status: "removed" });
    const result = await change("manual", "add", groupId, personId, "decision-maker");
    expect(result.skipped).toEqual([]);
    expect(result.applied).toEqual([{ personId, action: "add", roleKey: "decision-maker", effect: "readded" }]);
    expect(await stored(groupId, personId)).toMatchObject({
      status: "active",
      roleKey: "decision-maker",
      source: "manual",
      lastChangeSource: "manual",
    });
  });

  it("after a journey remove, a system add is skipped and a manual add re-adds", async () => {
    const { groupId, personId } = await freshGroup();
    await change("journey", "add", groupId, personId, "influencer");
    await change("journey", "remove", groupId, personId);
    const system = await change("system", "add", groupId, personId, "influencer");
    expect(system.skipped).toEqual([expect.objectContaining({ action: "add", heldBy: "journey" })]);
    expect(await stored(groupId, personId)).toMatchObject({ status: "removed" });
    const manual = await change("manual", "add", groupId, personId, "practitioner");
    expect(manual.applied).toEqual([expect.objectContaining({ effect: "readded" })]);
    expect(await stored(groupId, personId)).toMatchObject({ status: "active", roleKey: "practitioner", source: "manual" });
  });

  it("once a higher source takes over, the lower source stays blocked for later changes too", async () => {
    const { groupId, personId } = await freshGroup();
    await change("system", "add", groupId, personId, "influencer");
    await change("manual", "role_change", groupId, personId, "decision-maker");
    for (const action of ACTIONS) {
      const r = await change("system", action, groupId, personId, action === "remove" ? undefined : "practitioner");
      expect(r.skipped).toEqual([expect.objectContaining({ action, heldBy: "manual" })]);
    }
    expect(await stored(groupId, personId)).toMatchObject({
      status: "active",
      roleKey: "decision-maker",
      lastChangeSource: "manual",
    });
  });

  it("a system batch applies the free changes and reports only the held ones", async () => {
    const { groupId, personId: held } = await freshGroup();
    const details = await t.call("GET", `/api/groups/${groupId}`);
    const free = (await person(t, details.body.account.id, "Free")).id;
    await change("manual", "add", groupId, held, "influencer");
    const result = await applyMembershipChanges(
      t.deps,
      groupId,
      [
        { personId: held, action: "remove" },
        { personId: free, action: "add", roleKey: "practitioner" },
      ],
      { source: "system", userId: null, field: "changes" },
    );
    expect(result.applied).toEqual([{ personId: free, action: "add", roleKey: "practitioner", effect: "added" }]);
    expect(result.skipped).toEqual([expect.objectContaining({ personId: held, action: "remove", heldBy: "manual" })]);
    expect(result.completeness).toBe(67);
    expect(await stored(groupId, held)).toMatchObject({ status: "active", roleKey: "influencer" });
    expect(await stored(groupId, free)).toMatchObject({ status: "active", roleKey: "practitioner", source: "system" });
  });

  it("a journey add survives a maintenance job's remove", async () => {
    const { groupId, personId } = await freshGroup();
    await change("journey", "add", groupId, personId, "decision-maker");
    const r = await change("system", "remove", groupId, personId);
    expect(r.skipped).toEqual([expect.objectContaining({ heldBy: "journey" })]);
    expect(await stored(groupId, personId)).toMatchObject({ status: "active", source: "journey" });
  });
});

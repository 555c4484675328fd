import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMembershipChanges,
  applyMembershipChangesMany,
  type MemberChange,
} from "../../../server/members/membership.service";
import { account, liveTemplate, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// A job batch applies all its groups' membership changes together (applyMembershipChangesMany). Each
// group must end exactly as if its changes had gone through applyMembershipChanges alone: same
// results, rows, audit, events and scores; a group whose changes are invalid is left untouched.
let t: TestContext;
let siId: string;
const system = { source: "system" as const, userId: null, field: "rules" };

beforeAll(async () => {
  t = await createTestContext();
  const template = await liveTemplate(t);
  siId = (await t.call("POST", "/api/solution-interests", { name: "Batch", roleTemplateId: template.id })).body.id;
});
afterAll(() => t.close());

/** A group on a fresh account with four contacts; Ann was removed by hand, Bob added by hand as influencer. */
async function scenario() {
  const acc = await account(t);
  const group = (await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: siId })).body as { id: string };
  const [ann, bob, cid, dee] = [
    await person(t, acc.id, "Ann"),
    await person(t, acc.id, "Bob"),
    await person(t, acc.id, "Cid"),
    await person(t, acc.id, "Dee"),
  ];
  await applyMembershipChanges(t.deps, group.id, [{ personId: ann.id, action: "add", roleKey: "practitioner" }], {
    ...system,
  });
  await applyMembershipChanges(
    t.deps,
    group.id,
    [
      { personId: ann.id, action: "remove" },
      { personId: bob.id, action: "add", roleKey: "influencer" },
    ],
    { source: "manual", userId: null, field: "members" },
  );
  const changes: MemberChange[] = [
    { personId: ann.id, action: "add", roleKey: "practitioner" }, // held by the manual removal: skipped
    { personId: bob.id, action: "role_change", roleKey: "decision-maker" }, // held by the manual add: skipped
    { personId: cid.id, action: "add", roleKey: "decision-maker" },
    { personId: dee.id, action: "add", roleKey: "practitioner" },
    { personId: dee.id, action: "remove" }, // a later change for the same person sees the earlier one
  ];
  return {
    groupId: group.id,
    changes,
    names: new Map([ann, bob, cid, dee].map((p, i) => [p.id, ["Ann", "Bob", "Cid", "Dee"][i]!])),
  };
}

/** What a user sees of a group after the changes: members, audit, events, scores (person ids as names). */
async function observed(groupId: string, names: Map<string, string>) {
  const db = t.deps.db;
  const n = (id: string | null) => (id ? (names.get(id) ?? id) : null);
  const members = await db.selectFrom("group_members").selectAll().where("group_id", "=", groupId).orderBy("person_id").execute();
  const audit = await db
    .selectFrom("audit_log")
    .select(["action", "source", "entity_id", "details"])
    .where("group_id", "=", groupId)
    .where("action", "like", "member.%")
    .execute();
  const events = await db
    .selectFrom("events")
    .select(["type", "person_id", "data"])
    .where("group_id", "=", groupId)
    .orderBy("seq")
    .execute();
  const group = await db
    .selectFrom("buying_groups")
    .select(["completeness", "engagement", "details_version"])
    .where("id", "=", groupId)
    .executeTakeFirstOrThrow();
  return {
    members: members
      .map((m) => [n(m.person_id), m.role_key, m.status, m.source, m.last_change_source, m.removed_at !== null])
      .sort(),
    audit: audit.map((a) => [a.action, a.source, n(a.entity_id), a.details]).sort(),
    events: events.map((e) => [e.type, n(e.person_id), e.data]),
    completeness: group.completeness,
  };
}

describe("applying a batch's membership changes together", () => {
  it("leaves each group as applying its changes alone would, and keeps an invalid group untouched", async () => {
    const alone = await scenario();
    const inBatch = await scenario();
    const other = await scenario();
    const invalid = await scenario();
    const stranger = await person(t, (await account(t)).id, "Eve");
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const single = await applyMembershipChanges(t.deps, alone.groupId, alone.changes, system);
    const invalidBefore = await observed(invalid.groupId, invalid.names);
    const versionBefore = (
      await t.deps.db
        .selectFrom("buying_groups")
        .select("details_version")
        .where("id", "=", inBatch.groupId)
        .executeTakeFirstOrThrow()
    ).details_version;

    const outcomes = await t.deps.db.transaction().execute((trx) =>
      applyMembershipChangesMany(
        t.deps,
        [
          { groupId: inBatch.groupId, changes: inBatch.changes },
          // Eve is a contact of another account: this group's changes are refused as a whole.
          {
            groupId: invalid.groupId,
            changes: [...invalid.changes, { personId: stranger.id, action: "add", roleKey: "influencer" }],
          },
          { groupId: other.groupId, changes: other.changes },
          { groupId: "grp_gone", changes: other.changes.slice(0, 1) },
        ],
        system,
        trx,
      ),
    );

    expect(outcomes.map((o) => o.groupId)).toEqual([inBatch.groupId, invalid.groupId, other.groupId, "grp_gone"]);
    expect(outcomes[1]!.error?.status).toBe(400);
    expect(outcomes[1]!.error?.message).toContain("rules.5.personId");
    expect(outcomes[3]!.error?.status).toBe(404);
    // Same result as alone: two skipped (held by manual), Cid added, Dee added then removed.
    expect(single.skipped.map((s) => [s.personId, s.heldBy])).toEqual([
      [alone.changes[0]!.personId, "manual"],
      [alone.changes[1]!.personId, "manual"],
    ]);
    expect(single.applied.map((a) => a.effect)).toEqual(["added", "added", "removed"]);
    expect(single.completeness).toBeGreaterThan(0);
    for (const o of [outcomes[0]!, outcomes[2]!]) {
      expect(o.result?.applied.map((a) => a.effect)).toEqual(single.applied.map((a) => a.effect));
      expect(o.result?.skipped.map((s) => [s.action, s.heldBy])).toEqual(single.skipped.map((s) => [s.action, s.heldBy]));
      expect(o.result?.completeness).toBe(single.completeness);
    }
    const expected = await observed(alone.groupId, alone.names);
    expect(await observed(inBatch.groupId, inBatch.names)).toEqual(expected);
    expect(await observed(other.groupId, other.names)).toEqual(expected);
    expect(await observed(invalid.groupId, invalid.names)).toEqual(invalidBefore);
    const versionAfter = (
      await t.deps.db
        .selectFrom("buying_groups")
        .select("details_version")
        .where("id", "=", inBatch.groupId)
        .executeTakeFirstOrThrow()
    ).details_version;
    expect(Number(versionAfter)).toBeGreaterThan(Number(versionBefore));
    // The group details a user opens show the batch's members.
    const details = await t.call("GET", `/api/groups/${inBatch.groupId}/members`);
    expect((details.body.items as Array<{ personId: string }>).map((m) => inBatch.names.get(m.personId)).sort()).toEqual([
      "Bob",
      "Cid",
    ]);
  });

  it("skips a rules role change of a person a user removed meanwhile (held by manual), instead of refusing the group", async () => {
    // A job reads the members, then locks the groups: a removal by hand can land in between. The rules saw Bob
    // (added by hand) in another role and proposed a role change; by the time it applies, Bob is removed by hand.
    const { groupId, names } = await scenario();
    const bob = [...names].find(([, n]) => n === "Bob")![0];
    const cid = [...names].find(([, n]) => n === "Cid")![0];
    await applyMembershipChanges(t.deps, groupId, [{ personId: bob, action: "remove" }], {
      source: "manual",
      userId: null,
      field: "members",
    });
    const [outcome] = await t.deps.db.transaction().execute((trx) =>
      applyMembershipChangesMany(
        t.deps,
        [
          {
            groupId,
            changes: [
              { personId: bob, action: "role_change", roleKey: "decision-maker" },
              { personId: cid, action: "add", roleKey: "decision-maker" },
            ],
          },
        ],
        system,
        trx,
      ),
    );
    expect(outcome!.error).toBeUndefined();
    expect(outcome!.result?.skipped.map((x) => [names.get(x.personId), x.action, x.heldBy])).toEqual([
      ["Bob", "role_change", "manual"],
    ]);
    // The rest of the group's changes went through; Bob stays removed.
    expect(outcome!.result?.applied.map((a) => [names.get(a.personId), a.effect])).toEqual([["Cid", "added"]]);
    const rows = await t.deps.db
      .selectFrom("group_members")
      .select(["person_id", "status"])
      .where("group_id", "=", groupId)
      .execute();
    expect(rows.find((r) => r.person_id === bob)?.status).toBe("removed");

    // Without a higher source behind the removal, a role change of a non-member is still refused.
    const dee = [...names].find(([, n]) => n === "Dee")![0];
    const refused = await t.deps.db
      .transaction()
      .execute((trx) =>
        applyMembershipChangesMany(
          t.deps,
          [{ groupId, changes: [{ personId: dee, action: "role_change", roleKey: "influencer" }] }],
          system,
          trx,
        ),
      );
    expect(refused[0]!.error?.message).toContain("is not a member of this group");
  });
});

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, activities, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Migration 0021 (issue 17, ingest speed): on PostgreSQL the daily rollup's foreign keys became statement
// triggers. What the keys promised still holds: a deleted person's rollup rows go with them, and an activity
// type the rollup still counts cannot be deleted.
const NOW = new Date("2026-11-23T12:00:00.000Z");

describe.skipIf(!process.env.QUORUM_TEST_DATABASE_URL)("PostgreSQL rollup keys (migration 0021)", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ now: NOW });
  });
  afterAll(() => t.close());

  const rollupOf = async (personIds: string[]) =>
    t.deps.db
      .selectFrom("activity_daily")
      .select(["person_id", "type_id", "count"])
      .where("person_id", "in", personIds)
      .orderBy("person_id")
      .orderBy("type_id")
      .execute();

  it("has no foreign keys left on activity_daily, and the activities keep theirs", async () => {
    const fks = await sql<{ table: string; n: number }>`
      select conrelid::regclass::text as table, count(*)::int as n from pg_constraint
      where contype = 'f' and conrelid in ('activity_daily'::regclass, 'activities'::regclass)
      group by 1`.execute(t.deps.db);
    expect(fks.rows).toEqual([{ table: "activities", n: 2 }]);
  });

  it("deleting people deletes their rollup rows and nobody else's, in one statement for several people", async () => {
    const acc = await account(t);
    const [ana, bo, cy] = [await person(t, acc.id, "Ana"), await person(t, acc.id, "Bo"), await person(t, acc.id, "Cy")];
    const at = new Date(NOW.getTime() - 3_600_000);
    const res = await t.call("POST", "/api/activities", {
      activities: [
        ...activities(ana.id, "visit-webpage", 3, at),
        ...activities(bo.id, "fill-out-form", 2, at),
        ...activities(cy.id, "visit-webpage", 1, at),
      ],
    });
    expect(res.body).toMatchObject({ accepted: 6, rejected: [] });
    expect(await rollupOf([ana.id, bo.id, cy.id])).toHaveLength(3);

    await t.deps.db.deleteFrom("people").where("id", "in", [ana.id, bo.id]).execute();

    expect(await rollupOf([ana.id, bo.id, cy.id])).toEqual([{ person_id: cy.id, type_id: "visit-webpage", count: 1 }]);
    const left = await t.deps.db.selectFrom("activities").select("person_id").where("person_id", "in", [ana.id, bo.id]).execute();
    expect(left).toEqual([]);
  });

  it("refuses to delete an activity type the rollup still counts (foreign_key_violation), and allows it once nothing does", async () => {
    const created = await t.call("POST", "/api/activity-types", { name: "Trade show scan" });
    expect(created.status).toBe(201);
    const typeId = created.body.id as string;
    const acc = await account(t);
    const di = await person(t, acc.id, "Di");
    const res = await t.call("POST", "/api/activities", {
      activities: activities(di.id, typeId, 2, new Date(NOW.getTime() - 60_000)),
    });
    expect(res.body).toMatchObject({ accepted: 2 });
    // The activities' own key would refuse first; take them away so only the rollup still counts the type.
    await t.deps.db.deleteFrom("activities").where("type_id", "=", typeId).execute();

    const refused = await t.deps.db
      .deleteFrom("activity_types")
      .where("id", "=", typeId)
      .execute()
      .then(
        () => null,
        (e: { code?: string; message?: string }) => e,
      );
    expect(refused).toMatchObject({ code: "23503" });
    expect(refused?.message).toContain(typeId);
    expect(await t.deps.db.selectFrom("activity_types").select("id").where("id", "=", typeId).execute()).toHaveLength(1);

    await t.deps.db.deleteFrom("activity_daily").where("type_id", "=", typeId).execute();
    await t.deps.db.deleteFrom("activity_types").where("id", "=", typeId).execute();
    expect(await t.deps.db.selectFrom("activity_types").select("id").where("id", "=", typeId).execute()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../../server/seed/demo";
import { COMPLETENESS_BANDS, ENGAGEMENT_BUCKETS } from "../../../shared/api/dashboard";
import type { GroupSummary } from "../../../shared/api/groups";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The dashboard's per-group figures (total, completeness bands, engagement average/max/buckets, groups per
// interest and per stage) come from one aggregate pass over the filtered groups. Here they are recomputed from
// the browse list of the same filter (every group, paged) on the demo data, for several filters, and must agree;
// the "role missing" filter must follow member changes at once.
describe("dashboard aggregates agree with the groups the browse list returns", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    await seedDemoData(t.deps);
  });
  afterAll(() => t.close());

  async function browse(query: string): Promise<GroupSummary[]> {
    const items: GroupSummary[] = [];
    let cursor: string | undefined;
    do {
      const res = await t.call("GET", `/api/groups?limit=200&${query}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  const bandOf = (c: number) => (c <= 25 ? 0 : c <= 50 ? 1 : c <= 75 ? 2 : 3);
  const bucketOf = (e: number) => {
    let b = 0;
    for (const [i, from] of ENGAGEMENT_BUCKETS.entries()) if (e >= from) b = i;
    return b;
  };

  it("for every filter: totals, bands, engagement, interests and stages", async () => {
    const interests = (await t.call("GET", "/api/solution-interests")).body.items as Array<{ id: string }>;
    const filters = [
      "",
      `solutionInterestId=${interests[0]!.id}`,
      "missingRole=decision-maker&completenessMax=49.99",
      "completenessMin=50",
      "engagementMin=1",
      "industry=Software",
    ];
    let nonEmpty = 0;
    for (const filter of filters) {
      const groups = await browse(filter);
      const d = (await t.call("GET", `/api/dashboard${filter ? `?${filter}` : ""}`)).body;
      if (groups.length > 0) nonEmpty++;
      expect(d.groups, filter).toBe(groups.length);
      // Band and bucket of the stored (raw) values; the list shows completeness rounded, engagement raw separately.
      const raw = await t.deps.db
        .selectFrom("buying_groups")
        .select(["id", "completeness", "engagement"])
        .where("id", "in", groups.map((g) => g.id).concat(["-"]))
        .execute();
      expect(d.completenessBands, filter).toEqual(
        COMPLETENESS_BANDS.map((band, i) => ({ band, groups: raw.filter((g) => bandOf(Number(g.completeness)) === i).length })),
      );
      expect(
        d.engagement.buckets.map((b: { groups: number }) => b.groups),
        filter,
      ).toEqual(ENGAGEMENT_BUCKETS.map((_, i) => raw.filter((g) => bucketOf(Number(g.engagement)) === i).length));
      const sum = raw.reduce((s, g) => s + Number(g.engagement), 0);
      expect(d.engagement.average, filter).toBeCloseTo(raw.length ? sum / raw.length : 0, 2);
      expect(d.engagement.max, filter).toBe(raw.reduce((m, g) => Math.max(m, Number(g.engagement)), 0));
      const perInterest = new Map<string, number>();
      for (const g of groups) perInterest.set(g.solutionInterestId, (perInterest.get(g.solutionInterestId) ?? 0) + 1);
      expect(
        Object.fromEntries(d.bySolutionInterest.map((s: { id: string; groups: number }) => [s.id, s.groups])),
        filter,
      ).toEqual(Object.fromEntries(perInterest));
      const names = d.bySolutionInterest.map((s: { name: string }) => s.name);
      expect(names, filter).toEqual([...names].sort((a, b) => a.localeCompare(b)));
      const perStage = new Map<string, number>();
      for (const g of groups) perStage.set(g.stage?.id ?? "none", (perStage.get(g.stage?.id ?? "none") ?? 0) + 1);
      expect(
        Object.fromEntries(d.byStage.map((s: { id: string | null; groups: number }) => [s.id ?? "none", s.groups])),
        filter,
      ).toEqual(Object.fromEntries(perStage));
    }
    // The filters above are not all empty (the demo data has groups of every kind they ask for).
    expect(nonEmpty).toBeGreaterThanOrEqual(5);
  });

  it("the role-missing filter follows member changes at once", async () => {
    const missing = async () => (await browse("missingRole=decision-maker")).map((g) => g.id);
    const before = await missing();
    // A group whose decision maker is filled: remove that member, and it is missing one; add them back, and it is not.
    const all = await browse("");
    let target: { groupId: string; personId: string } | null = null;
    for (const g of all) {
      if (before.includes(g.id)) continue;
      const members = (await t.call("GET", `/api/groups/${g.id}/members`)).body.items as Array<{
        personId: string;
        roleKey: string;
        status?: string;
      }>;
      const dms = members.filter((m) => m.roleKey === "decision-maker");
      if (dms.length === 1) {
        target = { groupId: g.id, personId: dms[0]!.personId };
        break;
      }
    }
    expect(target).not.toBeNull();
    const { groupId, personId } = target!;
    const removed = await t.call("POST", `/api/groups/${groupId}/members/remove`, { personIds: [personId] });
    expect(removed.status).toBeLessThan(300);
    expect(await missing()).toContain(groupId);
    const added = await t.call("POST", `/api/groups/${groupId}/members`, { members: [{ personId, roleKey: "decision-maker" }] });
    expect(added.status).toBeLessThan(300);
    expect(await missing()).not.toContain(groupId);
    expect((await missing()).sort()).toEqual([...before].sort());
  });
});

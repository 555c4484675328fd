import { sql } from "kysely";
import { COMPLETENESS_BANDS, type Dashboard, ENGAGEMENT_BUCKETS } from "../../shared/api/dashboard";
import type { Deps } from "../deps";
import { filteredGroups, type GroupFilter } from "../groups/groups.repo";

/**
 * Dashboard aggregates over the groups the filters select, each one GROUP BY query: completeness
 * bands, engagement distribution, groups by solution interest and by stage, role coverage (role ×
 * solution interest) and contact overlap (people in several groups).
 */
export async function dashboard(deps: Deps, f: GroupFilter): Promise<Dashboard> {
  const { db } = deps;
  const ids = () => filteredGroups(db, f).select("g.id");
  const band = sql<string>`case when g.completeness <= 25 then 0 when g.completeness <= 50 then 1 when g.completeness <= 75 then 2 else 3 end`;
  const bucketCase = sql<number>`case ${sql.join(
    [...ENGAGEMENT_BUCKETS]
      .reverse()
      .map((from, i, all) => sql`when g.engagement >= ${sql.lit(from)} then ${sql.lit(all.length - 1 - i)}`),
    sql` `,
  )} else 0 end`;
  const [cells, filledRows, overlap, interestRoles] = await Promise.all([
    // One pass over the filtered groups for every per-group figure: a count, engagement sum and max per
    // (completeness band, engagement bucket, interest, stage) cell, at most a few hundred rows, summed up below.
    filteredGroups(db, f)
      .leftJoin("solution_interests as si", "si.id", "g.solution_interest_id")
      .leftJoin("stages as st", "st.id", "g.stage_id")
      .select([
        band.as("band"),
        bucketCase.as("bucket"),
        "g.solution_interest_id as si_id",
        "si.name as si_name",
        "st.id as stage_id",
        "st.name as stage_name",
        "st.kind as stage_kind",
        "st.position as stage_position",
        (eb) => eb.fn.countAll<number>().as("n"),
        (eb) => eb.fn.sum<number>("g.engagement").as("sum"),
        (eb) => eb.fn.max("g.engagement").as("max"),
      ])
      .groupBy([band, bucketCase, "g.solution_interest_id", "si.name", "st.id", "st.name", "st.kind", "st.position"])
      .execute(),
    // Filled roles are kept with each group's completeness; the totals come from the groups per
    // interest (a group the rules left empty has no filled role).
    filteredGroups(db, f)
      .innerJoin("group_role_fill as fill", "fill.group_id", "g.id")
      .select(["g.solution_interest_id", "fill.role_key", sql<number>`sum(fill.filled)`.as("filled")])
      .groupBy(["g.solution_interest_id", "fill.role_key"])
      .execute(),
    db
      .selectFrom(
        db
          .selectFrom("group_members as gm")
          .select(["gm.person_id", (eb) => eb.fn.countAll<number>().as("groups")])
          .where("gm.status", "=", "active")
          .$if(
            Object.values(f).some((v) => v !== undefined),
            (q) => q.where("gm.group_id", "in", ids()),
          )
          .groupBy("gm.person_id")
          .as("per_person"),
      )
      .select(["per_person.groups", (eb) => eb.fn.countAll<number>().as("people")])
      .groupBy("per_person.groups")
      .orderBy("per_person.groups")
      .execute(),
    db
      .selectFrom("solution_interests as si")
      .innerJoin("template_roles as tr", "tr.template_id", "si.role_template_id")
      .select(["si.id", "si.name", "tr.key", "tr.name as role_name"])
      .orderBy("si.name")
      .orderBy("tr.priority")
      .execute(),
  ]);
  const bandCount = new Map<number, number>();
  const bucketCount = new Map<number, number>();
  const siCount = new Map<string, { id: string; name: string; groups: number }>();
  const stageCount = new Map<
    string | null,
    { id: string | null; name: string | null; kind: string | null; position: number | null; groups: number }
  >();
  let total = 0;
  let engagementSum = 0;
  let engagementMax: number | null = null;
  for (const c of cells) {
    const n = Number(c.n);
    total += n;
    engagementSum += Number(c.sum ?? 0);
    if (c.max !== null) engagementMax = Math.max(engagementMax ?? 0, Number(c.max));
    bandCount.set(Number(c.band), (bandCount.get(Number(c.band)) ?? 0) + n);
    bucketCount.set(Number(c.bucket), (bucketCount.get(Number(c.bucket)) ?? 0) + n);
    if (c.si_name !== null) {
      const si = siCount.get(c.si_id) ?? siCount.set(c.si_id, { id: c.si_id, name: c.si_name, groups: 0 }).get(c.si_id)!;
      si.groups += n;
    }
    const st =
      stageCount.get(c.stage_id) ??
      stageCount
        .set(c.stage_id, {
          id: c.stage_id,
          name: c.stage_name,
          kind: c.stage_kind,
          position: c.stage_position === null ? null : Number(c.stage_position),
          groups: 0,
        })
        .get(c.stage_id)!;
    st.groups += n;
  }
  const bySi = [...siCount.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  // In the stage model's order; groups without a stage last.
  const byStage = [...stageCount.values()].sort((a, b) => (a.position ?? Number.MAX_VALUE) - (b.position ?? Number.MAX_VALUE));
  const groupsPerInterest = new Map(bySi.map((r) => [r.id, r.groups]));
  const filled = new Map(filledRows.map((r) => [`${r.solution_interest_id}\u0000${r.role_key}`, Number(r.filled)]));
  const distribution = overlap.map((o) => ({ groups: Number(o.groups), people: Number(o.people) }));
  return {
    groups: total,
    completenessBands: COMPLETENESS_BANDS.map((band, i) => ({ band, groups: bandCount.get(i) ?? 0 })),
    engagement: {
      average: total ? Math.round((engagementSum / total) * 100) / 100 : 0,
      max: engagementMax ?? 0,
      buckets: ENGAGEMENT_BUCKETS.map((from, i) => ({
        from,
        to: i + 1 < ENGAGEMENT_BUCKETS.length ? ENGAGEMENT_BUCKETS[i + 1]! - 1 : null,
        groups: bucketCount.get(i) ?? 0,
      })),
    },
    bySolutionInterest: bySi,
    byStage: byStage.map((r) => ({ id: r.id, name: r.name ?? "No stage", kind: r.kind, groups: r.groups })),
    roleCoverage: interestRoles
      .filter((r) => groupsPerInterest.has(r.id))
      .map((r) => {
        const groups = groupsPerInterest.get(r.id) ?? 0;
        const n = filled.get(`${r.id}\u0000${r.key}`) ?? 0;
        return {
          solutionInterestId: r.id,
          solutionInterestName: r.name,
          roleKey: r.key,
          roleName: r.role_name,
          filled: n,
          groups,
          share: groups ? Math.round((n / groups) * 1000) / 10 : 0,
        };
      }),
    contactOverlap: {
      people: distribution.reduce((s, d) => s + d.people, 0),
      inSeveralGroups: distribution.filter((d) => d.groups > 1).reduce((s, d) => s + d.people, 0),
      distribution,
    },
    computedAt: deps.clock().toISOString(),
  };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // Quote when needed; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The dashboard as one CSV: section, key, detail, value. */
export function dashboardCsv(d: Dashboard): string {
  const rows: Array<[string, string, string, number]> = [["total", "groups", "", d.groups]];
  for (const b of d.completenessBands) rows.push(["completeness", b.band, "", b.groups]);
  for (const b of d.engagement.buckets)
    rows.push(["engagement", b.to === null ? `${b.from}+` : `${b.from}–${b.to}`, "", b.groups]);
  rows.push(["engagement", "average", "", d.engagement.average], ["engagement", "max", "", d.engagement.max]);
  for (const s of d.bySolutionInterest) rows.push(["solution interest", s.name, s.id, s.groups]);
  for (const s of d.byStage) rows.push(["stage", s.name, s.kind ?? "", s.groups]);
  for (const c of d.roleCoverage) rows.push(["role coverage %", c.solutionInterestName, c.roleName, c.share]);
  for (const o of d.contactOverlap.distribution) rows.push(["contact overlap", `${o.groups} groups`, "people", o.people]);
  return `section,key,detail,value\r\n${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

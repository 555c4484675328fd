import { type RawBuilder, sql } from "kysely";
import type { DailyCount, ScoringActivityType, ScoringWindow } from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { bool } from "../db/json";

/** Chunk size for IN lists and CASE batches: well under SQLite's and PostgreSQL's parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function loadScoringTypes(db: Db): Promise<Map<string, ScoringActivityType>> {
  const rows = await db
    .selectFrom("activity_types")
    .select(["id", "name", "daily_cap", "weight", "counts_toward_engagement"])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        dailyCap: r.daily_cap,
        weight: r.weight,
        countsTowardEngagement: bool(r.counts_toward_engagement),
      },
    ]),
  );
}

/** Daily rollup rows of these people inside the window. */
export async function loadDailyCounts(db: Db, personIds: readonly string[], window: ScoringWindow): Promise<DailyCount[]> {
  const out: DailyCount[] = [];
  for (const ids of chunks([...new Set(personIds)])) {
    const rows = await db
      .selectFrom("activity_daily")
      .select(["person_id", "type_id", "day", "count"])
      .where("person_id", "in", ids)
      .where("day", ">=", window.from)
      .where("day", "<=", window.to)
      .execute();
    for (const r of rows) out.push({ personId: r.person_id, typeId: r.type_id, day: r.day, count: r.count });
  }
  return out;
}

/** Daily rollup rows for people with ids in [fromId, toId], in the window, ordered by person. */
export async function loadDailyCountsForRange(
  db: Db,
  fromId: string,
  toId: string,
  window: ScoringWindow,
): Promise<DailyCount[]> {
  const rows = await db
    .selectFrom("activity_daily")
    .select(["person_id", "type_id", "day", "count"])
    .where("person_id", ">=", fromId)
    .where("person_id", "<=", toId)
    .where("day", ">=", window.from)
    .where("day", "<=", window.to)
    .orderBy("person_id")
    .execute();
  return rows.map((r) => ({ personId: r.person_id, typeId: r.type_id, day: r.day, count: r.count }));
}

const num = (v: number): RawBuilder<number> => sql<number>`cast(${v} as double precision)`;

function caseById(values: ReadonlyArray<{ id: string; value: number }>): RawBuilder<number> {
  return sql<number>`case id ${sql.join(
    values.map((v) => sql`when ${v.id} then ${num(v.value)}`),
    sql` `,
  )} end`;
}

/** Writes person scores in batches (one UPDATE per chunk, portable CASE form). */
export async function writePersonScores(db: Db, scores: ReadonlyArray<{ id: string; score: number }>, at: string): Promise<void> {
  for (const part of chunks(scores)) {
    await db
      .updateTable("people")
      .set({ score: caseById(part.map((p) => ({ id: p.id, value: p.score }))), score_computed_at: at })
      .where(
        "id",
        "in",
        part.map((p) => p.id),
      )
      .execute();
  }
}

export interface GroupScoreWrite {
  id: string;
  completeness: number;
  engagement: number;
  engagementRaw: number;
}

/**
 * Writes group scores in batches. Without `completeness` (activity changes never move it) only
 * engagement is written.
 */
export async function writeGroupScores(
  db: Db,
  scores: ReadonlyArray<Omit<GroupScoreWrite, "completeness"> & { completeness?: number }>,
  at: string,
): Promise<void> {
  for (const part of chunks(scores, 300)) {
    const withCompleteness = part.every((g) => g.completeness !== undefined);
    await db
      .updateTable("buying_groups")
      .set({
        ...(withCompleteness ? { completeness: caseById(part.map((g) => ({ id: g.id, value: g.completeness! }))) } : {}),
        engagement: caseById(part.map((g) => ({ id: g.id, value: g.engagement }))),
        engagement_raw: caseById(part.map((g) => ({ id: g.id, value: g.engagementRaw }))),
        scores_computed_at: at,
      })
      .where(
        "id",
        "in",
        part.map((g) => g.id),
      )
      .execute();
  }
}

/** Replaces the filled-role rows of these groups (the dashboard's role coverage reads them). */
export async function writeRoleFills(
  db: Db,
  fills: ReadonlyArray<{ groupId: string; roles: ReadonlyArray<{ key: string; filled: boolean }> }>,
): Promise<void> {
  for (const part of chunks(fills)) {
    await db
      .deleteFrom("group_role_fill")
      .where(
        "group_id",
        "in",
        part.map((f) => f.groupId),
      )
      .execute();
    const rows = part.flatMap((f) => f.roles.map((r) => ({ group_id: f.groupId, role_key: r.key, filled: r.filled ? 1 : 0 })));
    for (const rowsPart of chunks(rows)) await db.insertInto("group_role_fill").values(rowsPart).execute();
  }
}

export interface GroupScoringRow {
  id: string;
  templateId: string;
  members: Array<{ personId: string; roleKey: string }>;
}

export async function loadGroupsForScoring(db: Db, groupIds: readonly string[]): Promise<GroupScoringRow[]> {
  if (groupIds.length === 0) return [];
  const [groups, members] = await Promise.all([
    db.selectFrom("buying_groups").select(["id", "role_template_id"]).where("id", "in", groupIds).execute(),
    db
      .selectFrom("group_members")
      .select(["group_id", "person_id", "role_key"])
      .where("group_id", "in", groupIds)
      .where("status", "=", "active")
      .execute(),
  ]);
  const byGroup = new Map<string, GroupScoringRow>(
    groups.map((g) => [g.id, { id: g.id, templateId: g.role_template_id, members: [] }]),
  );
  for (const m of members) byGroup.get(m.group_id)?.members.push({ personId: m.person_id, roleKey: m.role_key });
  return [...byGroup.values()];
}

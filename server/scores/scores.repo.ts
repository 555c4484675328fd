import { type Compilable, CompiledQuery, type RawBuilder, sql } from "kysely";
import type { DailyCount, ScoringActivityType, ScoringWindow } from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { bool } from "../db/json";

/** Chunk size for IN lists and CASE batches: well under SQLite's and PostgreSQL's parameter limits. */
export const CHUNK = 500;

/**
 * Splits into parts of at most `size`. A remainder above 64 is split further into powers of two, so
 * that the statements built from the parts (IN lists, multi-row INSERTs, CASE updates) come in a few
 * dozen shapes instead of one per length: each shape is prepared once and cached, and the cache stays small.
 */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  let i = 0;
  for (; i + size <= items.length; i += size) out.push(items.slice(i, i + size));
  while (items.length - i > 64) {
    const n = 2 ** Math.floor(Math.log2(items.length - i));
    out.push(items.slice(i, i + n));
    i += n;
  }
  if (i < items.length) out.push(items.slice(i));
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

const compiledSql = new Map<string, string>();

/**
 * Runs the statement `build()` makes with `params`, compiling it with Kysely only once per shape
 * (`key`, which must fix the SQL text) and dialect: building and compiling a CASE update of a few
 * hundred rows costs more than running it, and its garbage inflates the heap. The first compile checks
 * that `params` are exactly the compiled query's parameters, in order.
 */
async function runCompiledOnce(db: Db, key: string, params: unknown[], build: () => Compilable): Promise<void> {
  const cacheKey = `${db.getExecutor().adapter.constructor.name}:${key}`;
  let text = compiledSql.get(cacheKey);
  if (!text) {
    const q = build().compile();
    if (q.parameters.length !== params.length || q.parameters.some((p, i) => !Object.is(p, params[i]))) {
      throw new Error(`${key}: parameters differ from the compiled query`);
    }
    text = q.sql;
    compiledSql.set(cacheKey, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, params));
}

/** Moves the details version of every group these people are active members of (their score shows there). */
export async function bumpGroupsOfPeople(db: Db, personIds: readonly string[]): Promise<void> {
  for (const part of chunks(personIds)) {
    await db
      .updateTable("buying_groups")
      .set({ details_version: sql<number>`details_version + 1` })
      .where("id", "in", (eb) =>
        eb.selectFrom("group_members").select("group_id").where("person_id", "in", part).where("status", "=", "active"),
      )
      .execute();
  }
}

/**
 * Writes person scores in batches (one UPDATE per chunk, portable CASE form) and moves the details
 * version of their groups. `groupsRewritten`: the caller writes the scores of every group these
 * people are active members of in the same transaction (which moves their versions), so skip it.
 */
export async function writePersonScores(
  db: Db,
  scores: ReadonlyArray<{ id: string; score: number }>,
  at: string,
  { groupsRewritten = false } = {},
): Promise<void> {
  for (const part of chunks(scores)) {
    const params: unknown[] = [];
    for (const p of part) params.push(p.id, p.score);
    params.push(at);
    for (const p of part) params.push(p.id);
    await runCompiledOnce(db, `person-scores:${part.length}`, params, () =>
      db
        .updateTable("people")
        .set({ score: caseById(part.map((p) => ({ id: p.id, value: p.score }))), score_computed_at: at })
        .where(
          "id",
          "in",
          part.map((p) => p.id),
        ),
    );
    if (!groupsRewritten)
      await bumpGroupsOfPeople(
        db,
        part.map((p) => p.id),
      );
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
    const params: unknown[] = [];
    if (withCompleteness) for (const g of part) params.push(g.id, g.completeness);
    for (const g of part) params.push(g.id, g.engagement);
    for (const g of part) params.push(g.id, g.engagementRaw);
    params.push(at);
    for (const g of part) params.push(g.id);
    await runCompiledOnce(db, `group-scores:${withCompleteness}:${part.length}`, params, () =>
      db
        .updateTable("buying_groups")
        .set({
          ...(withCompleteness ? { completeness: caseById(part.map((g) => ({ id: g.id, value: g.completeness! }))) } : {}),
          engagement: caseById(part.map((g) => ({ id: g.id, value: g.engagement }))),
          engagement_raw: caseById(part.map((g) => ({ id: g.id, value: g.engagementRaw }))),
          scores_computed_at: at,
          details_version: sql<number>`details_version + 1`,
        })
        .where(
          "id",
          "in",
          part.map((g) => g.id),
        ),
    );
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

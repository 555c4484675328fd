import { type Compilable, CompiledQuery, type RawBuilder, sql } from "kysely";
import type { DailyCount, ScoringActivityType, ScoringWindow } from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { bool } from "../db/json";
import { runPerRow } from "../db/per-row";

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

const num = (v: number): RawBuilder<number> => sql<number>`cast(${v} as double precision)`;

function caseById(values: ReadonlyArray<{ id: string; value: number }>): RawBuilder<number> {
  return sql<number>`case id ${sql.join(
    values.map((v) => sql`when ${v.id} then ${num(v.value)}`),
    sql` `,
  )} end`;
}

const compiledSql = new Map<string, string>();

/**
 * The SQL text of the statement `build()` makes with `params`, compiled by Kysely only once per shape
 * (`key`, which must fix the SQL text) and dialect: building and compiling a CASE update of a few
 * hundred rows costs more than running it, and its garbage inflates the heap. The first compile checks
 * that `params` are exactly the compiled query's parameters, in order.
 */
function compiledOnce(db: Db, key: string, params: readonly unknown[], build: () => Compilable): string {
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
  return text;
}

async function runCompiledOnce(db: Db, key: string, params: unknown[], build: () => Compilable): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(compiledOnce(db, key, params, build), params));
}

/** Runs one single-row statement per item (see runPerRow); `build` makes the statement for the first item. */
async function runEach<T>(
  db: Db,
  key: string,
  items: readonly T[],
  paramsOf: (item: T) => unknown[],
  build: (item: T) => Compilable,
): Promise<void> {
  const first = items[0];
  if (first === undefined) return;
  await runPerRow(
    db,
    compiledOnce(db, key, paramsOf(first), () => build(first)),
    items.map(paramsOf),
  );
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
  if (!isPostgres(db)) {
    // SQLite: one prepared single-row UPDATE per group (see runPerRow).
    for (const withCompleteness of [true, false]) {
      await runEach(
        db,
        `group-score:${withCompleteness}`,
        scores.filter((g) => (g.completeness !== undefined) === withCompleteness),
        (g) => [...(withCompleteness ? [g.completeness] : []), g.engagement, g.engagementRaw, at, g.id],
        (g) =>
          db
            .updateTable("buying_groups")
            .set({
              ...(withCompleteness ? { completeness: g.completeness! } : {}),
              engagement: g.engagement,
              engagement_raw: g.engagementRaw,
              scores_computed_at: at,
              details_version: sql<number>`details_version + 1`,
            })
            .where("id", "=", g.id),
      );
    }
    return;
  }
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

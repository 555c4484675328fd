import { type Compilable, CompiledQuery, sql } from "kysely";
import type { DailyCount, ScoringActivityType, ScoringWindow } from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { bool } from "../db/json";
import { runPerRow } from "../db/per-row";
import { inList } from "../db/pg-arrays";

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

/**
 * A list of ids split for `IN` lists: on SQLite the usual parts (`chunks`), on PostgreSQL one part
 * (it goes as one array parameter, see `inList`), so a lookup is one round trip whatever its size.
 */
export function idParts<T>(db: Db, items: readonly T[], size = CHUNK): T[][] {
  if (!isPostgres(db)) return chunks(items, size);
  return items.length === 0 ? [] : [items as T[]];
}

export async function loadScoringTypes(db: Db): Promise<Map<string, ScoringActivityType>> {
  const rows = await db
    .selectFrom("activity_types")
    .select(["id", "name", "daily_cap", "weight", "counts_toward_engagement"])
    .execute();
  return toScoringTypes(rows);
}

/** Scoring types from `activity_types` rows (id, name, daily_cap, weight, counts_toward_engagement). */
export function toScoringTypes(
  rows: ReadonlyArray<{ id: string; name: string; daily_cap: number; weight: number; counts_toward_engagement: number }>,
): Map<string, ScoringActivityType> {
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
  const pg = isPostgres(db);
  for (const ids of idParts(db, [...new Set(personIds)])) {
    const rows = await db
      .selectFrom("activity_daily")
      .select(["person_id", "type_id", "day", "count"])
      .where(inList(pg, "person_id", ids))
      .where("day", ">=", window.from)
      .where("day", "<=", window.to)
      .execute();
    for (const r of rows) out.push({ personId: r.person_id, typeId: r.type_id, day: r.day, count: r.count });
  }
  return out;
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
  // PostgreSQL: one UPDATE … FROM unnest(<ids>, <values>…) per kind (with or without completeness),
  // whatever the number of groups.
  for (const withCompleteness of [true, false]) {
    const part = scores.filter((g) => (g.completeness !== undefined) === withCompleteness);
    if (part.length === 0) continue;
    const ids = part.map((g) => g.id);
    const completeness = part.map((g) => g.completeness ?? 0);
    const engagement = part.map((g) => g.engagement);
    const raw = part.map((g) => g.engagementRaw);
    // UPDATE … SET (the time) … FROM (the arrays): parameters in that order.
    const params: unknown[] = [at, ids, ...(withCompleteness ? [completeness] : []), engagement, raw];
    const text = compiledOnce(db, `group-scores-unnest:${withCompleteness}`, params, () =>
      db
        .updateTable("buying_groups")
        .set({
          ...(withCompleteness ? { completeness: sql<number>`v.completeness` } : {}),
          engagement: sql<number>`v.engagement`,
          engagement_raw: sql<number>`v.engagement_raw`,
          scores_computed_at: at,
          details_version: sql<number>`buying_groups.details_version + 1`,
        })
        .from(
          (withCompleteness
            ? sql`unnest(${ids}::text[], ${completeness}::double precision[], ${engagement}::double precision[], ${raw}::double precision[]) as v(id, completeness, engagement, engagement_raw)`
            : sql`unnest(${ids}::text[], ${engagement}::double precision[], ${raw}::double precision[]) as v(id, engagement, engagement_raw)`) as never,
        )
        .where(sql<boolean>`buying_groups.id = v.id`),
    );
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

/** Replaces the filled-role rows of these groups (the dashboard's role coverage reads them). */
export async function writeRoleFills(
  db: Db,
  fills: ReadonlyArray<{ groupId: string; roles: ReadonlyArray<{ key: string; filled: boolean }> }>,
): Promise<void> {
  if (isPostgres(db)) {
    // Two statements for any number of groups: a delete by one array, an insert from unnest of three.
    if (fills.length === 0) return;
    await db
      .deleteFrom("group_role_fill")
      .where(
        inList(
          true,
          "group_id",
          fills.map((f) => f.groupId),
        ),
      )
      .execute();
    const rows = fills.flatMap((f) => f.roles.map((r) => ({ group_id: f.groupId, role_key: r.key, filled: r.filled ? 1 : 0 })));
    if (rows.length === 0) return;
    await db
      .insertInto("group_role_fill")
      .columns(["group_id", "role_key", "filled"])
      .expression(
        sql`select * from unnest(${rows.map((r) => r.group_id)}::text[], ${rows.map((r) => r.role_key)}::text[], ${rows.map(
          (r) => r.filled,
        )}::integer[])` as never,
      )
      .execute();
    return;
  }
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
  const pg = isPostgres(db);
  const [groups, members] = await Promise.all([
    db
      .selectFrom("buying_groups")
      .select(["id", "role_template_id"])
      .where(inList(pg, "id", groupIds))
      .execute(),
    db
      .selectFrom("group_members")
      .select(["group_id", "person_id", "role_key"])
      .where(inList(pg, "group_id", groupIds))
      .where("status", "=", "active")
      .execute(),
  ]);
  const byGroup = new Map<string, GroupScoringRow>(
    groups.map((g) => [g.id, { id: g.id, templateId: g.role_template_id, members: [] }]),
  );
  for (const m of members) byGroup.get(m.group_id)?.members.push({ personId: m.person_id, roleKey: m.role_key });
  return [...byGroup.values()];
}

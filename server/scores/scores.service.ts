import { CompiledQuery } from "kysely";
import type { GroupScores } from "../../shared/api/groups";
import { notFound } from "../../shared/errors";
import {
  addDays,
  completenessScore,
  dayInTimeZone,
  engagementScore,
  factorOf,
  groupEngagement,
  roleShare,
  roundHalfUp,
  type ScoringActivityType,
  type ScoringOptions,
  type ScoringRole,
  type ScoringWindow,
  scoringWindow,
  typeBreakdown,
} from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { anyOf, inList } from "../db/pg-arrays";
import type { Deps } from "../deps";
import { rolesByTemplate } from "../templates/templates.repo";
import {
  chunks,
  idParts,
  loadDailyCounts,
  loadGroupsForScoring,
  loadScoringTypes,
  writeGroupScores,
  writeRoleFills,
} from "./scores.repo";
import { bumpWeekAgoGroups, TREND_DAYS, weekAgoPeople } from "./week-ago";

export function scoringOptions(deps: Deps, now: Date): ScoringOptions {
  return { now, timeZone: deps.config.timeZone, windowDays: deps.config.windowDays, model: deps.config.scoringModel };
}

function scoreGroup(
  roles: ScoringRole[],
  members: Array<{ personId: string; roleKey: string }>,
  scores: ReadonlyMap<string, number>,
  now: Date,
) {
  const completeness = completenessScore(roles, members, now);
  const engagement = groupEngagement(
    roles,
    members.map((m) => ({ ...m, score: scores.get(m.personId) ?? 0 })),
  );
  return {
    completeness: completeness.score,
    engagement: engagement.score,
    engagementRaw: engagement.raw,
    filledRoles: roles.map((r) => ({ key: r.key, filled: (completeness.roles.find((c) => c.key === r.key)?.filled ?? 0) >= 1 })),
  };
}

/** Stores scores and filled roles of freshly scored groups (one place, so both stay in step). */
async function writeScoredGroups(db: Db, scored: ReadonlyArray<{ id: string } & ReturnType<typeof scoreGroup>>, at: string) {
  await writeGroupScores(db, scored, at);
  await writeRoleFills(
    db,
    scored.map((g) => ({ groupId: g.id, roles: g.filledRoles })),
  );
}

/**
 * Person (lead) scores of these people as of `now`, from the daily rollup in the window (people with
 * no activity in it score 0). Person scores are not stored: a handful of rollup rows per person make
 * them cheap to compute wherever they are shown, and they can never be stale.
 */
export async function personScores(db: Db, deps: Deps, personIds: readonly string[], now: Date): Promise<Map<string, number>> {
  return personScoresIn(db, deps, personIds, scoringWindow(now, deps.config.timeZone, deps.config.windowDays));
}

/** Person scores over a given window of days (the current one, or an earlier one for trends). */
export async function personScoresIn(
  db: Db,
  deps: Deps,
  personIds: readonly string[],
  window: ScoringWindow,
): Promise<Map<string, number>> {
  const ids = [...new Set(personIds)];
  const scores = new Map<string, number>();
  if (ids.length === 0) return scores;
  const options = { model: deps.config.scoringModel };
  if (isPostgres(db)) return pgPersonScores(db, ids, window, options.model ?? "count");
  const [types, counts] = await Promise.all([loadScoringTypes(db), loadDailyCounts(db, ids, window)]);
  const byPerson = new Map<string, typeof counts>();
  for (const c of counts) (byPerson.get(c.personId) ?? byPerson.set(c.personId, []).get(c.personId)!).push(c);
  for (const id of ids) {
    const t = typeBreakdown(byPerson.get(id) ?? [], types, window, options.model ?? "count");
    scores.set(
      id,
      t.reduce((sum, x) => sum + x.points, 0),
    );
  }
  return scores;
}

/**
 * PostgreSQL: person scores summed in the database, one statement for any number of people. The
 * database sums each person's capped count per type (Σ over days of min(count, daily cap), an
 * integer, exact) and multiplies it by the type's factor (IEEE doubles, as in JS); the points are
 * added here in the order `typeBreakdown` adds them (points descending), so the score is the same
 * floating-point number as on SQLite and as the explanation shows. One row per person instead of
 * one per person, type and day.
 */
async function pgPersonScores(
  db: Db,
  ids: readonly string[],
  window: ScoringWindow,
  model: NonNullable<ScoringOptions["model"]>,
): Promise<Map<string, number>> {
  // One row per person: the points of each type (capped count × factor, float8 like a JS number),
  // largest first, added here in that order (ties add the same either way).
  const { rows } = await db.executeQuery<{ person_id: string; points: number[] }>(
    CompiledQuery.raw(model === "weighted" ? PG_PERSON_POINTS_WEIGHTED : PG_PERSON_POINTS_COUNT, [ids, window.from, window.to]),
  );
  const scores = new Map<string, number>();
  for (const id of ids) scores.set(id, 0);
  for (const r of rows)
    scores.set(
      r.person_id,
      r.points.reduce((sum, x) => sum + Number(x), 0),
    );
  return scores;
}

/** Per person, the points of each type in the window, largest first; `factor` is factorOf in SQL. */
const personPoints = (factor: string) => `select person_id, array_agg(points order by points desc) as points
  from (select d.person_id, sum(least(d.count, t.daily_cap))::float8 * ${factor} as points
    from activity_daily d join activity_types t on t.id = d.type_id
    where d.person_id = any($1::text[]) and d.day >= $2 and d.day <= $3 and t.counts_toward_engagement = 1
    group by d.person_id, d.type_id, t.weight) s
  group by person_id`;
const PG_PERSON_POINTS_COUNT = personPoints("1");
const PG_PERSON_POINTS_WEIGHTED = personPoints("(t.weight::float8 / 100)");

/**
 * Person scores from each person's capped count per type (Σ over the window's days of
 * min(count, daily cap)), adding points in `typeBreakdown`'s order. People without rows score 0.
 */
export function scoresFromTypeSums(
  ids: readonly string[],
  rows: ReadonlyArray<{ person_id: string; type_id: string; capped: number | string }>,
  types: ReadonlyMap<string, ScoringActivityType>,
  model: NonNullable<ScoringOptions["model"]>,
): Map<string, number> {
  const points = new Map<string, Array<{ typeId: string; points: number }>>();
  for (const r of rows) {
    const type = types.get(r.type_id);
    if (!type) continue;
    const list = points.get(r.person_id) ?? points.set(r.person_id, []).get(r.person_id)!;
    list.push({ typeId: r.type_id, points: Number(r.capped) * factorOf(type, model) });
  }
  const scores = new Map<string, number>();
  for (const id of ids) {
    const list = points.get(id) ?? [];
    list.sort((a, b) => b.points - a.points || a.typeId.localeCompare(b.typeId));
    scores.set(
      id,
      list.reduce((sum, x) => sum + x.points, 0),
    );
  }
  return scores;
}

/**
 * PostgreSQL: takes the row locks of these groups, in id order, for the rest of the transaction, so
 * a score written from the members and rollup read here cannot be overtaken by a membership change
 * or another score update committed meanwhile by another process (membership changes lock their group
 * row first too). Score writers lock group rows only, always in id order, so they do not deadlock
 * each other. SQLite has one writer at a time: nothing to do.
 */
async function lockGroups(db: Db, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0 || !isPostgres(db)) return;
  for (const part of idParts(db, [...new Set(groupIds)].sort())) {
    await db.selectFrom("buying_groups").select("id").where(anyOf("id", part)).orderBy("id").forUpdate().execute();
  }
}

/**
 * Recomputes completeness and engagement of these groups from their members and the members'
 * person scores as of `now`. Pass the open transaction (`db`) so scores change atomically with the
 * membership, template or activity change that caused them.
 */
export async function recomputeGroups(db: Db, deps: Deps, groupIds: readonly string[], now: Date): Promise<number> {
  const unique = [...new Set(groupIds)].sort();
  const at = now.toISOString();
  await lockGroups(db, unique);
  for (const part of chunks(unique)) {
    const groups = await loadGroupsForScoring(db, part);
    const roles = await rolesByTemplate(
      db,
      groups.map((g) => g.templateId),
    );
    const memberIds = groups.flatMap((g) => g.members.map((m) => m.personId));
    const scores = await personScores(db, deps, memberIds, now);
    await writeScoredGroups(
      db,
      groups.map((g) => ({ id: g.id, ...scoreGroup(roles.get(g.templateId) ?? [], g.members, scores, now) })),
      at,
    );
  }
  return unique.length;
}

/** A change of one (person, type, day) rollup count, as returned by the ingest upsert. */
export interface RollupChange {
  personId: string;
  typeId: string;
  day: string;
  before: number;
  after: number;
}

/**
 * Applies new activities to the stored group scores incrementally. A person's score moves by
 * Σ (min(after, cap) − min(before, cap)) × factor over their changed rollup rows inside the window,
 * which is exact; the groups those people are active members of then move by that delta × the role's
 * share (or are recomputed in full; see applyPersonDeltas). People whose new activities add nothing
 * (capped, or types that do not count) move nothing. Returns the number of groups written.
 */
export async function applyRollupChanges(db: Db, deps: Deps, changes: readonly RollupChange[], now: Date): Promise<number> {
  const options = scoringOptions(deps, now);
  const window = scoringWindow(now, options.timeZone, options.windowDays);
  // The trend (scores 7 days ago) reads days up to TREND_DAYS + window before today.
  const oldest = addDays(window.from, -TREND_DAYS);
  const relevant = changes.filter((c) => c.day >= oldest && c.day <= window.to);
  if (relevant.length === 0) return 0;
  const types = await loadScoringTypes(db);
  const delta = new Map<string, number>();
  const moved: Array<{ personId: string; day: string; moved: boolean }> = [];
  for (const c of relevant) {
    const type = types.get(c.typeId);
    if (!type?.countsTowardEngagement) continue;
    const d = (Math.min(c.after, type.dailyCap) - Math.min(c.before, type.dailyCap)) * factorOf(type, options.model ?? "count");
    if (d !== 0 && c.day < addDays(window.to, -TREND_DAYS + 1)) moved.push({ personId: c.personId, day: c.day, moved: true });
    if (d !== 0 && c.day >= window.from) delta.set(c.personId, (delta.get(c.personId) ?? 0) + d);
  }
  if (isPostgres(db)) return pgApplyPersonDeltas(db, deps, delta, weekAgoPeople(deps, moved, now), now);
  await bumpWeekAgoGroups(db, deps, moved, now);
  if (delta.size === 0) return 0;
  return applyPersonDeltas(db, deps, [...delta.keys()], delta, now);
}

/**
 * PostgreSQL: the member rows of these people (`$1`): active, or removed after `$2` (the week-ago trend still
 * counts them). One index lookup per person: a plain join or `person_id = any($1)` gets a hash join or
 * a filter over every row of `group_members` (400 000 at bench size, ~100 ms a batch), since the planner
 * cannot see that a few thousand people have a few rows each; `offset 0` keeps the lateral subquery a
 * per-person lookup.
 */
const PG_MEMBERS_OF_PEOPLE = `select m.group_id, m.person_id, m.role_key, m.status
  from unnest($1::text[]) as p(id)
  cross join lateral (select group_id, person_id, role_key, status from group_members
    where person_id = p.id and (status = 'active' or removed_at > $2) offset 0) m`;
/**
 * Locks (in id order, as every score writer does: the index scan on the array returns them sorted) and
 * reads the stored scores of those people's groups, with the member rows read on the way: one row per
 * member row. `= any(array(…))` is a primary-key lookup per group; `id in (…)` got a hash join over the
 * whole table. The member rows come from the statement's snapshot, taken before the locks: `changed` tells
 * the groups whose row was written since (the locked row's version is not the one the snapshot sees; a
 * membership change moves its group's row in the same transaction), whose member rows are read again.
 */
const PG_LOCK_GROUPS_OF_PEOPLE = `with m as materialized (${PG_MEMBERS_OF_PEOPLE}),
  seen as (select id, xmin::text as version from buying_groups where id = any(array(select group_id from m))),
  locked as (select g.id, g.role_template_id, g.scores_computed_at, g.engagement_raw, g.xmin::text as version
    from buying_groups g
    where g.id = any(array(select group_id from m))
    order by g.id
    for update of g)
  select l.id, l.role_template_id, l.scores_computed_at, l.engagement_raw, l.version <> s.version as changed,
    m.person_id, m.role_key, m.status
  from locked l join seen s on s.id = l.id join m on m.group_id = l.id`;
/**
 * One UPDATE for the batch: groups with an engagement get it (and the time); groups without one (null) only
 * move their details version (their week-ago scores moved).
 */
const PG_MOVE_GROUPS = `update buying_groups g set
    engagement = coalesce(v.engagement, g.engagement),
    engagement_raw = coalesce(v.engagement_raw, g.engagement_raw),
    scores_computed_at = case when v.engagement is null then g.scores_computed_at else $1 end,
    details_version = g.details_version + 1
  from unnest($2::text[], $3::double precision[], $4::double precision[]) as v(id, engagement, engagement_raw)
  where g.id = v.id`;

/**
 * PostgreSQL's applyPersonDeltas and bumpWeekAgoGroups in three statements whatever the number of people:
 * lock and read the groups of the people with a score delta or a week-ago change with those people's
 * member rows, the groups' roles, then one UPDATE that moves the engagement of the groups computed today
 * (as applyPersonDeltas does) and the details version of the others whose trend moved. Groups computed on
 * an earlier day (or joined by one of these people after the locks were taken) are recomputed in full.
 */
async function pgApplyPersonDeltas(
  db: Db,
  deps: Deps,
  deltas: ReadonlyMap<string, number>,
  weekAgo: { people: readonly string[]; since: string },
  now: Date,
): Promise<number> {
  const trend = new Set(weekAgo.people);
  const people = [...new Set([...deltas.keys(), ...trend])];
  if (people.length === 0) return 0;
  const tz = deps.config.timeZone;
  const today = dayInTimeZone(now, tz);
  // A batch's lookups are a few thousand index probes; with stale or missing statistics the planner can
  // cost them in the millions and JIT-compile them, which takes longer (100–200 ms) than running them.
  await db.executeQuery(CompiledQuery.raw("set local jit = off"));
  type Member = { group_id: string; person_id: string; role_key: string; status: string };
  const { rows } = await db.executeQuery<{
    id: string;
    role_template_id: string;
    scores_computed_at: string;
    engagement_raw: number;
    changed: boolean;
    person_id: string;
    role_key: string;
    status: string;
  }>(CompiledQuery.raw(PG_LOCK_GROUPS_OF_PEOPLE, [people, weekAgo.since]));
  const byId = new Map<string, (typeof rows)[number]>();
  const changed = new Set<string>();
  const members: Member[] = [];
  for (const r of rows) {
    if (!byId.has(r.id)) byId.set(r.id, r);
    if (r.changed) changed.add(r.id);
    else members.push({ group_id: r.id, person_id: r.person_id, role_key: r.role_key, status: r.status });
  }
  if (changed.size > 0) {
    // Written by another transaction between the snapshot and the lock: read again now that the locks are
    // held (with any group one of these people joined meanwhile: recomputed in full below).
    const { rows: again } = await db.executeQuery<Member>(CompiledQuery.raw(PG_MEMBERS_OF_PEOPLE, [people, weekAgo.since]));
    for (const m of again) if (changed.has(m.group_id) || !byId.has(m.group_id)) members.push(m);
  }
  const groups = [...byId.values()];
  const roles = await rolesByTemplate(
    db,
    groups.map((g) => g.role_template_id),
  );
  const full = new Set<string>();
  const moved = new Map<string, number>();
  const bump = new Set<string>();
  for (const m of members) {
    const g = byId.get(m.group_id);
    if (!g) {
      // A membership committed after the locks were taken: that group is locked and recomputed below.
      full.add(m.group_id);
      continue;
    }
    if (trend.has(m.person_id)) bump.add(g.id);
    const delta = deltas.get(m.person_id);
    if (m.status !== "active" || delta === undefined || full.has(g.id)) continue;
    if (dayInTimeZone(new Date(g.scores_computed_at), tz) !== today) {
      full.add(g.id);
      moved.delete(g.id);
      continue;
    }
    const share = roleShare(roles.get(g.role_template_id) ?? [], m.role_key);
    moved.set(g.id, (moved.get(g.id) ?? g.engagement_raw) + delta * share);
  }
  const ids: string[] = [];
  const engagement: Array<number | null> = [];
  const raw: Array<number | null> = [];
  for (const [id, value] of moved) {
    ids.push(id);
    engagement.push(roundHalfUp(value));
    raw.push(value);
  }
  for (const id of bump) {
    if (moved.has(id) || full.has(id)) continue;
    ids.push(id);
    engagement.push(null);
    raw.push(null);
  }
  if (ids.length) await db.executeQuery(CompiledQuery.raw(PG_MOVE_GROUPS, [now.toISOString(), ids, engagement, raw]));
  await recomputeGroups(db, deps, [...full], now);
  return moved.size + full.size;
}

/**
 * Moves the stored engagement of the groups these people are active members of. A group whose
 * scores were computed today moves by Σ Δ(person) × weight(role) / Σ weights — exactly what a full
 * recompute gives, since the window has not moved since. A group computed on an earlier day is
 * recomputed in full.
 */
async function applyPersonDeltas(
  db: Db,
  deps: Deps,
  personIds: readonly string[],
  deltas: ReadonlyMap<string, number>,
  now: Date,
): Promise<number> {
  const today = dayInTimeZone(now, deps.config.timeZone);
  const rows: Array<{
    group_id: string;
    person_id: string;
    role_key: string;
    role_template_id: string;
    scores_computed_at: string;
    engagement_raw: number;
  }> = [];
  const pg = isPostgres(db);
  for (const part of idParts(db, [...new Set(personIds)])) {
    rows.push(
      ...(await db
        .selectFrom("group_members as m")
        .innerJoin("buying_groups as g", "g.id", "m.group_id")
        .select(["m.group_id", "m.person_id", "m.role_key", "g.role_template_id", "g.scores_computed_at", "g.engagement_raw"])
        .where(inList(pg, "m.person_id", part))
        .where("m.status", "=", "active")
        .execute()),
    );
  }
  const roles = await rolesByTemplate(
    db,
    rows.map((r) => r.role_template_id),
  );
  const full = new Set<string>();
  const moved = new Map<string, number>();
  for (const r of rows) {
    if (full.has(r.group_id)) continue;
    if (dayInTimeZone(new Date(r.scores_computed_at), deps.config.timeZone) !== today) {
      full.add(r.group_id);
      moved.delete(r.group_id);
      continue;
    }
    const share = roleShare(roles.get(r.role_template_id) ?? [], r.role_key);
    moved.set(r.group_id, (moved.get(r.group_id) ?? r.engagement_raw) + (deltas.get(r.person_id) ?? 0) * share);
  }
  await writeGroupScores(
    db,
    [...moved].map(([id, raw]) => ({ id, engagementRaw: raw, engagement: roundHalfUp(raw) })),
    now.toISOString(),
  );
  await recomputeGroups(db, deps, [...full], now);
  return moved.size + full.size;
}

/**
 * Recomputes the groups among these whose scores were computed on an earlier calendar day (another
 * window). Returns true when it recomputed anything.
 */
export async function refreshIfStale(
  deps: Deps,
  groups: ReadonlyArray<{ id: string; scoresComputedAt: string }>,
  now = deps.clock(),
) {
  const today = dayInTimeZone(now, deps.config.timeZone);
  const stale = groups
    .filter((g) => dayInTimeZone(new Date(g.scoresComputedAt), deps.config.timeZone) !== today)
    .map((g) => g.id);
  if (stale.length === 0) return false;
  await deps.db.transaction().execute((trx) => recomputeGroups(trx, deps, stale, now));
  return true;
}

/**
 * The daily roll-over: recomputes every group whose scores date from an earlier day, a page at a time,
 * so stored scores fall as activities age out of the window even when nothing else happens.
 */
export async function recomputeStaleGroups(deps: Deps, now = deps.clock()): Promise<number> {
  let after = "";
  let done = 0;
  for (;;) {
    const page = await deps.db
      .selectFrom("buying_groups")
      .select(["id", "scores_computed_at as scoresComputedAt"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(2000)
      .execute();
    if (page.length === 0) return done;
    const today = dayInTimeZone(now, deps.config.timeZone);
    const stale = page.filter((g) => dayInTimeZone(new Date(g.scoresComputedAt), deps.config.timeZone) !== today);
    for (const part of chunks(stale)) {
      await deps.db.transaction().execute((trx) =>
        recomputeGroups(
          trx,
          deps,
          part.map((g) => g.id),
          now,
        ),
      );
    }
    done += stale.length;
    after = page[page.length - 1]!.id;
  }
}

/** Groups that have any of these people as an active member. */
export async function groupsOfPeople(db: Db, personIds: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  const pg = isPostgres(db);
  for (const part of idParts(db, [...new Set(personIds)])) {
    const rows = await db
      .selectFrom("group_members")
      .select("group_id")
      .distinct()
      .where(inList(pg, "person_id", part))
      .where("status", "=", "active")
      .execute();
    for (const r of rows) out.add(r.group_id);
  }
  return [...out];
}

export interface RecomputeReport {
  /** Person scores computed for the groups' members (a person in groups on several pages counts once per page). */
  people: number;
  groups: number;
  milliseconds: number;
  computedAt: string;
}

/**
 * Groups whose members' rollup rows are read at once by the full recompute. Each part's rows are
 * garbage as soon as its groups are scored; at 500 groups (~100 000 rows) they outgrew V8's young
 * generation and piled up in the old one until a full collection, taking the recompute's peak RSS to
 * 293–301 MB at bench size; at 100 it was 269–272 MB at the same speed.
 */
const RECOMPUTE_PART = 100;

/** Groups written per transaction by the full recompute: a short hold of the write lock (SQLite has one writer). */
const RECOMPUTE_WRITE = 250;

export interface RecomputeAllOptions {
  /** Resume after this group id (a background job's cursor). */
  after?: string;
  /** Groups already done before `after` (progress of a resumed job). */
  done?: number;
  /** Called after each page is written, with the page's last group id; a background job saves its cursor here. */
  onPage?: (lastId: string, done: number, total: number) => Promise<void>;
  /** Checked between pages: true stops early (the report then covers what was done). */
  shouldStop?: () => boolean;
}

/**
 * Recomputes every group's scores: groups in id order, a page at a time, each page's member person
 * scores computed from the daily rollup in the window. Memory stays bounded by the page size, not
 * by the data set; each page's writes commit in transactions of {@link RECOMPUTE_WRITE} groups, so the
 * write lock is never held for long. Run it in a background worker (a `recompute` job, see
 * server/workers/) or the CLI, never in a request handler.
 */
export async function recomputeAll(
  deps: Deps,
  now: Date,
  onProgress?: (done: number, total: number, phase: string) => void,
  options: RecomputeAllOptions = {},
): Promise<RecomputeReport> {
  const started = performance.now();
  const { db } = deps;
  const at = now.toISOString();
  const totalGroups = Number(
    (
      await db
        .selectFrom("buying_groups")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const page = 2000;
  let after = options.after ?? "";
  let doneGroups = options.done ?? 0;
  let donePeople = 0;
  while (!options.shouldStop?.()) {
    const ids = (
      await db.selectFrom("buying_groups").select("id").where("id", ">", after).orderBy("id").limit(page).execute()
    ).map((r) => r.id);
    if (ids.length === 0) break;
    const writes: Array<{ id: string } & ReturnType<typeof scoreGroup>> = [];
    const scored = new Set<string>();
    // PostgreSQL sums the person scores itself (one row per person back), so a whole page is one part.
    for (const part of chunks(ids, isPostgres(db) ? page : RECOMPUTE_PART)) {
      const groups = await loadGroupsForScoring(db, part);
      const roles = await rolesByTemplate(
        db,
        groups.map((g) => g.templateId),
      );
      const scores = await personScores(
        db,
        deps,
        groups.flatMap((g) => g.members.map((m) => m.personId)),
        now,
      );
      for (const id of scores.keys()) scored.add(id);
      for (const g of groups) writes.push({ id: g.id, ...scoreGroup(roles.get(g.templateId) ?? [], g.members, scores, now) });
    }
    for (const part of chunks(writes, RECOMPUTE_WRITE)) await db.transaction().execute((trx) => writeScoredGroups(trx, part, at));
    doneGroups += ids.length;
    donePeople += scored.size;
    after = ids[ids.length - 1]!;
    await options.onPage?.(after, doneGroups, totalGroups);
    onProgress?.(doneGroups, totalGroups, "groups");
    // Other work on this connection gets a turn between pages (see job-runner.ts).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { people: donePeople, groups: doneGroups, milliseconds: Math.round(performance.now() - started), computedAt: at };
}

/**
 * A group's scores with their full explanation, computed as of the time the stored scores were
 * computed, so the explanation always adds up to the numbers shown.
 */
export async function explainGroupScores(deps: Deps, groupId: string): Promise<GroupScores> {
  const group = await deps.db
    .selectFrom("buying_groups")
    .select(["id", "role_template_id", "scores_computed_at"])
    .where("id", "=", groupId)
    .executeTakeFirst();
  if (!group) throw notFound("Buying group", groupId);
  const at = new Date(group.scores_computed_at);
  const [scoring] = await loadGroupsForScoring(deps.db, [groupId]);
  const roles = (await rolesByTemplate(deps.db, [group.role_template_id])).get(group.role_template_id) ?? [];
  const members = scoring?.members ?? [];
  const options = scoringOptions(deps, at);
  const window = scoringWindow(at, options.timeZone, options.windowDays);
  const [types, counts] = await Promise.all([
    loadScoringTypes(deps.db),
    loadDailyCounts(
      deps.db,
      members.map((m) => m.personId),
      window,
    ),
  ]);
  return {
    groupId,
    completeness: completenessScore(roles, members, at),
    engagement: engagementScore(roles, members, counts, types, options),
  };
}

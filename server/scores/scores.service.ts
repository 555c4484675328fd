import type { GroupScores } from "../../shared/api/groups";
import { notFound } from "../../shared/errors";
import {
  completenessScore,
  engagementScore,
  groupEngagement,
  type ScoringOptions,
  type ScoringRole,
  scoringWindow,
  typeBreakdown,
} from "../../shared/scoring";
import type { Db } from "../db/create-db";
import type { Deps } from "../deps";
import { rolesByTemplate } from "../templates/templates.repo";
import {
  CHUNK,
  chunks,
  type GroupScoreWrite,
  loadDailyCounts,
  loadDailyCountsForRange,
  loadGroupsForScoring,
  loadScoringTypes,
  writeGroupScores,
  writePersonScores,
} from "./scores.repo";

export function scoringOptions(deps: Deps, now: Date): ScoringOptions {
  return { now, timeZone: deps.config.timeZone, windowDays: deps.config.windowDays, model: deps.config.scoringModel };
}

function scoreGroup(roles: ScoringRole[], members: Array<{ personId: string; roleKey: string }>, scores: ReadonlyMap<string, number>, now: Date) {
  const completeness = completenessScore(roles, members, now);
  const engagement = groupEngagement(
    roles,
    members.map((m) => ({ ...m, score: scores.get(m.personId) ?? 0 })),
  );
  return { completeness: completeness.score, engagement: engagement.score, engagementRaw: engagement.raw };
}

/** Recomputes and stores the person (lead) scores of these people; returns them by id. */
export async function recomputePeople(db: Db, deps: Deps, personIds: readonly string[], now: Date): Promise<Map<string, number>> {
  const ids = [...new Set(personIds)];
  const scores = new Map<string, number>();
  if (ids.length === 0) return scores;
  const options = scoringOptions(deps, now);
  const window = scoringWindow(now, options.timeZone, options.windowDays);
  const [types, counts] = await Promise.all([loadScoringTypes(db), loadDailyCounts(db, ids, window)]);
  const byPerson = new Map<string, typeof counts>();
  for (const c of counts) (byPerson.get(c.personId) ?? byPerson.set(c.personId, []).get(c.personId)!).push(c);
  for (const id of ids) {
    const t = typeBreakdown(byPerson.get(id) ?? [], types, window, options.model ?? "count");
    scores.set(
      id,
      t.reduce((s, x) => s + x.points, 0),
    );
  }
  await writePersonScores(
    db,
    [...scores].map(([id, score]) => ({ id, score })),
    now.toISOString(),
  );
  return scores;
}

/**
 * Recomputes completeness, engagement and the members' person scores for these groups. Pass the
 * open transaction (`db`) so scores change atomically with the membership or template change.
 */
export async function recomputeGroups(db: Db, deps: Deps, groupIds: readonly string[], now: Date): Promise<number> {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return 0;
  const at = now.toISOString();
  for (const part of chunks(unique, CHUNK)) {
    const groups = await loadGroupsForScoring(db, part);
    const roles = await rolesByTemplate(
      db,
      groups.map((g) => g.templateId),
    );
    const scores = await recomputePeople(
      db,
      deps,
      groups.flatMap((g) => g.members.map((m) => m.personId)),
      now,
    );
    await writeGroupScores(
      db,
      groups.map((g) => ({ id: g.id, ...scoreGroup(roles.get(g.templateId) ?? [], g.members, scores, now) })),
      at,
    );
  }
  return unique.length;
}

/** Groups that have any of these people as an active member. */
export async function groupsOfPeople(db: Db, personIds: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const part of chunks([...new Set(personIds)])) {
    const rows = await db
      .selectFrom("group_members")
      .select("group_id")
      .distinct()
      .where("person_id", "in", part)
      .where("status", "=", "active")
      .execute();
    for (const r of rows) out.add(r.group_id);
  }
  return [...out];
}

export interface RecomputeReport {
  people: number;
  groups: number;
  milliseconds: number;
  computedAt: string;
}

/**
 * Recomputes every score: one pass over the daily rollup in the window for person scores (people in
 * id order, a range at a time), then one pass over groups using those scores. Memory stays bounded by
 * the page size, not by the data set.
 */
export async function recomputeAll(deps: Deps, now: Date, onProgress?: (done: number, total: number, phase: string) => void) {
  const started = performance.now();
  const { db } = deps;
  const options = scoringOptions(deps, now);
  const window = scoringWindow(now, options.timeZone, options.windowDays);
  const types = await loadScoringTypes(db);
  const at = now.toISOString();
  const totalPeople = Number((await db.selectFrom("people").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const totalGroups = Number(
    (await db.selectFrom("buying_groups").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n,
  );
  const page = 2000;
  let after = "";
  let donePeople = 0;
  for (;;) {
    const ids = (await db.selectFrom("people").select("id").where("id", ">", after).orderBy("id").limit(page).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    const first = ids[0]!;
    const last = ids[ids.length - 1]!;
    const counts = await loadDailyCountsForRange(db, first, last, window);
    const byPerson = new Map<string, typeof counts>();
    for (const c of counts) (byPerson.get(c.personId) ?? byPerson.set(c.personId, []).get(c.personId)!).push(c);
    const scores = ids.map((id) => ({
      id,
      score: typeBreakdown(byPerson.get(id) ?? [], types, window, options.model ?? "count").reduce((s, x) => s + x.points, 0),
    }));
    await db.transaction().execute((trx) => writePersonScores(trx, scores, at));
    donePeople += ids.length;
    onProgress?.(donePeople, totalPeople, "people");
    after = last;
  }
  after = "";
  let doneGroups = 0;
  for (;;) {
    const ids = (await db.selectFrom("buying_groups").select("id").where("id", ">", after).orderBy("id").limit(page).execute()).map(
      (r) => r.id,
    );
    if (ids.length === 0) break;
    const writes: GroupScoreWrite[] = [];
    for (const part of chunks(ids)) {
      const groups = await loadGroupsForScoring(db, part);
      const roles = await rolesByTemplate(
        db,
        groups.map((g) => g.templateId),
      );
      const personIds = [...new Set(groups.flatMap((g) => g.members.map((m) => m.personId)))];
      const scores = new Map<string, number>();
      for (const p of chunks(personIds)) {
        for (const r of await db.selectFrom("people").select(["id", "score"]).where("id", "in", p).execute()) scores.set(r.id, r.score);
      }
      for (const g of groups) writes.push({ id: g.id, ...scoreGroup(roles.get(g.templateId) ?? [], g.members, scores, now) });
    }
    await db.transaction().execute((trx) => writeGroupScores(trx, writes, at));
    doneGroups += ids.length;
    onProgress?.(doneGroups, totalGroups, "groups");
    after = ids[ids.length - 1]!;
  }
  return { people: donePeople, groups: doneGroups, milliseconds: Math.round(performance.now() - started), computedAt: at };
}

/**
 * A group's scores with their full explanation, computed as of the time the stored scores were
 * computed, so the explanation always adds up to the numbers shown.
 */
export async function explainGroupScores(deps: Deps, groupId: string): Promise<GroupScores> {
  const group = await deps.db.selectFrom("buying_groups").select(["id", "role_template_id", "scores_computed_at"]).where("id", "=", groupId).executeTakeFirst();
  if (!group) throw notFound("Buying group", groupId);
  const at = new Date(group.scores_computed_at);
  const [scoring] = await loadGroupsForScoring(deps.db, [groupId]);
  const roles = (await rolesByTemplate(deps.db, [group.role_template_id])).get(group.role_template_id) ?? [];
  const members = scoring?.members ?? [];
  const options = scoringOptions(deps, at);
  const window = scoringWindow(at, options.timeZone, options.windowDays);
  const [types, counts] = await Promise.all([loadScoringTypes(deps.db), loadDailyCounts(deps.db, members.map((m) => m.personId), window)]);
  return {
    groupId,
    completeness: completenessScore(roles, members, at),
    engagement: engagementScore(roles, members, counts, types, options),
  };
}

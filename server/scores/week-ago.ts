import {
  addDays,
  completenessScore,
  dayInTimeZone,
  groupEngagement,
  type ScoringRole,
  type ScoringWindow,
} from "../../shared/scoring";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { inList } from "../db/pg-arrays";
import type { Deps } from "../deps";
import { idParts } from "./scores.repo";
import { personScoresIn } from "./scores.service";

/** How far back the trend looks, in calendar days. */
export const TREND_DAYS = 7;

export interface WeekAgoScores {
  /** The calendar day (organisation time zone) the scores are as of: the end of today − 7 days. */
  day: string;
  engagement: number;
  completeness: number;
}

/**
 * A group's engagement and completeness as they stood at the end of the calendar day 7 days before
 * today: the people who were members that day (added on or before it, not removed by its end), in
 * their current role, scored from the daily rollup over the window that ended that day. Day
 * granularity keeps the answer fixed for a whole day, so the details cache (keyed by day and
 * version) stays correct. Null when the group did not exist yet on that day. A member removed and
 * re-added since counts from the re-add (member rows keep the latest add; the audit log has the rest).
 */
export async function scoresWeekAgo(
  db: Db,
  deps: Deps,
  group: { id: string; createdAt: string },
  roles: ScoringRole[],
  now: Date,
): Promise<WeekAgoScores | null> {
  const tz = deps.config.timeZone;
  const day = addDays(dayInTimeZone(now, tz), -TREND_DAYS);
  if (dayInTimeZone(new Date(group.createdAt), tz) > day) return null;
  const rows = await db
    .selectFrom("group_members")
    .select(["person_id", "role_key", "status", "added_at", "removed_at"])
    .where("group_id", "=", group.id)
    .where("role_key", "!=", "")
    .execute();
  return weekAgoFromMembers(deps, rows, roles, now, (ids, window) => personScoresIn(db, deps, ids, window));
}

/** The week-ago window (the days the window covered at the end of the day TREND_DAYS ago). */
export function weekAgoWindow(deps: Deps, now: Date) {
  const day = addDays(dayInTimeZone(now, deps.config.timeZone), -TREND_DAYS);
  return { from: addDays(day, -(deps.config.windowDays - 1)), to: day, days: deps.config.windowDays };
}

/**
 * scoresWeekAgo from the group's member rows (role set; any status) already read, and person scores
 * over a window (`scoresIn`). The caller has checked the group existed on that day.
 */
export async function weekAgoFromMembers(
  deps: Deps,
  rows: ReadonlyArray<{ person_id: string; role_key: string; status: string; added_at: string; removed_at: string | null }>,
  roles: ScoringRole[],
  now: Date,
  scoresIn: (personIds: string[], window: ScoringWindow) => Promise<ReadonlyMap<string, number>>,
): Promise<WeekAgoScores> {
  const tz = deps.config.timeZone;
  const day = addDays(dayInTimeZone(now, tz), -TREND_DAYS);
  const members = rows
    .filter(
      (r) =>
        dayInTimeZone(new Date(r.added_at), tz) <= day &&
        (r.status === "active" || (r.removed_at !== null && dayInTimeZone(new Date(r.removed_at), tz) > day)),
    )
    .map((r) => ({ personId: r.person_id, roleKey: r.role_key }));
  const scores = await scoresIn(
    members.map((m) => m.personId),
    weekAgoWindow(deps, now),
  );
  return {
    day,
    engagement: groupEngagement(
      roles,
      members.map((m) => ({ ...m, score: scores.get(m.personId) ?? 0 })),
    ).score,
    completeness: completenessScore(roles, members, now).score,
  };
}

/**
 * The people whose changed rollup rows fall in the trend's window (their groups' week-ago scores moved), and
 * the cut-off for members removed since: a member removed before it cannot have been one on that day in any
 * time zone. Their groups are those they are active members of or were removed from after `since`.
 */
export function weekAgoPeople(
  deps: Deps,
  changes: ReadonlyArray<{ personId: string; day: string; moved: boolean }>,
  now: Date,
): { people: string[]; since: string } {
  const day = addDays(dayInTimeZone(now, deps.config.timeZone), -TREND_DAYS);
  const from = addDays(day, -(deps.config.windowDays - 1));
  const people = [...new Set(changes.filter((c) => c.moved && c.day >= from && c.day <= day).map((c) => c.personId))];
  return { people, since: new Date(now.getTime() - (TREND_DAYS + 1) * 86_400_000).toISOString() };
}

/**
 * Activities backdated into the trend's window (days the current window no longer covers, or people
 * removed this week) change a group's week-ago scores without touching its stored scores: move the
 * details version of the groups those people were members of in the last week, in the ingest
 * transaction, so cached details are rebuilt. Costs nothing for today's activities.
 */
export async function bumpWeekAgoGroups(
  db: Db,
  deps: Deps,
  changes: ReadonlyArray<{ personId: string; day: string; moved: boolean }>,
  now: Date,
): Promise<void> {
  const { people, since } = weekAgoPeople(deps, changes, now);
  if (people.length === 0) return;
  const pg = isPostgres(db);
  for (const part of idParts(db, people)) {
    const groups = db
      .selectFrom("group_members")
      .select("group_id")
      .where(inList(pg, "person_id", part))
      .where((eb) => eb.or([eb("status", "=", "active"), eb("removed_at", ">", since)]));
    await db
      .updateTable("buying_groups")
      .set((eb) => ({ details_version: eb("details_version", "+", 1) }))
      .where("id", "in", groups)
      .execute();
  }
}

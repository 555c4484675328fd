import { hasUnsafeText } from "../../shared/api/text";
import { OUTBOUND_ACTIVITY_TYPES } from "../../shared/domain/activity-catalogue";
import { foldText } from "../../shared/domain/role-rules";
import { notFound } from "../../shared/errors";
import { dayInTimeZone, scoringWindow } from "../../shared/scoring";
import { parseJson } from "../db/json";
import type { Deps } from "../deps";
import { listMembers } from "../groups/groups.repo";
import { personScores } from "../scores/scores.service";
import { scoresWeekAgo as weekAgoScores } from "../scores/week-ago";
import { rolesByTemplate } from "../templates/templates.repo";
import { evaluateAccounts } from "./rules";

async function requireGroup(deps: Deps, id: string) {
  const g = await deps.db
    .selectFrom("buying_groups")
    .select(["id", "account_id", "role_template_id", "completeness", "created_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!g) throw notFound("Buying group", id);
  return g;
}

/**
 * Which role to fill next: every counting role still short of members, ranked by the completeness one
 * more member would add (then by weighting order in the template), each with account contacts who
 * are not members, ranked by "the rules pick them for this role" then by person score.
 */
export async function nextRoleToFill(deps: Deps, groupId: string) {
  const g = await requireGroup(deps, groupId);
  const roles = (await rolesByTemplate(deps.db, [g.role_template_id])).get(g.role_template_id) ?? [];
  const members = await listMembers(deps.db, groupId, false, (ids) => personScores(deps.db, deps, ids, deps.clock()));
  const counted = roles.filter((r) => r.countsTowardCompleteness);
  const memberIds = new Set(members.map((m) => m.person_id));
  const candidates = ((await evaluateAccounts(deps, deps.db, [g.account_id], roles)).get(g.account_id) ?? []).filter(
    (c) => !memberIds.has(c.personId) && c.status === "active",
  );
  const options = counted
    .map((r) => {
      const n = members.filter((m) => m.role_key === r.key).length;
      const gain = ((Math.min((n + 1) / r.membersRequired, 1) - Math.min(n / r.membersRequired, 1)) / counted.length) * 100;
      return { role: r, assigned: n, gain: Math.round(gain * 10) / 10 };
    })
    .filter((o) => o.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.role.priority - b.role.priority);
  return {
    groupId,
    completeness: g.completeness,
    roles: options.map((o) => ({
      roleKey: o.role.key,
      roleName: o.role.name,
      assigned: o.assigned,
      membersRequired: o.role.membersRequired,
      completenessGain: o.gain,
      contacts: candidates
        .map((c) => ({
          personId: c.personId,
          name: c.name,
          jobTitle: c.jobTitle,
          score: c.score,
          matchesRule: c.match?.roleKey === o.role.key,
          matchedConditions: c.match?.roleKey === o.role.key ? c.match.matched : [],
        }))
        .sort((a, b) => Number(b.matchesRule) - Number(a.matchesRule) || b.score - a.score || a.name.localeCompare(b.name))
        .slice(0, 10),
    })),
  };
}

/**
 * Members to look at: left the company, their email bounced, or the person did nothing in the
 * scoring window. Only what the person did counts (Quorum's own outbound sales emails do not), and
 * a member who joined the group after the window's first day is never flagged for inactivity: the
 * window is not over for them yet.
 */
export async function staleMembers(deps: Deps, groupId: string) {
  await requireGroup(deps, groupId);
  const members = await listMembers(deps.db, groupId, false, (ids) => personScores(deps.db, deps, ids, deps.clock()));
  const window = scoringWindow(deps.clock(), deps.config.timeZone, deps.config.windowDays);
  const ids = members.map((m) => m.person_id);
  const active = new Set(
    ids.length
      ? (
          await deps.db
            .selectFrom("activity_daily")
            .select("person_id")
            .distinct()
            .where("person_id", "in", ids)
            .where("day", ">=", window.from)
            .where("day", "<=", window.to)
            .where("type_id", "not in", OUTBOUND_ACTIVITY_TYPES)
            .execute()
        ).map((r) => r.person_id)
      : [],
  );
  const items = members.flatMap((m) => {
    const reasons: string[] = [];
    if (m.person_status === "left_company") reasons.push("left_company");
    if (m.person_status === "bounced") reasons.push("bounced");
    const joinedInWindow = dayInTimeZone(new Date(m.added_at), deps.config.timeZone) > window.from;
    if (!active.has(m.person_id) && !joinedInWindow) reasons.push("no_activity_in_window");
    return reasons.length
      ? [{ personId: m.person_id, name: `${m.first_name} ${m.last_name}`.trim(), roleKey: m.role_key, reasons }]
      : [];
  });
  return { groupId, window: { from: window.from, to: window.to }, items };
}

/** Likely duplicates among active members: the same email, or the same normalised name (members share the account). */
export async function duplicateMembers(deps: Deps, groupId: string) {
  await requireGroup(deps, groupId);
  const members = await listMembers(deps.db, groupId, false, (ids) => personScores(deps.db, deps, ids, deps.clock()));
  const sets: Array<{ reason: "same_email" | "same_name"; key: string; personIds: string[] }> = [];
  const groupBy = (reason: "same_email" | "same_name", keyOf: (m: (typeof members)[number]) => string | null) => {
    const by = new Map<string, string[]>();
    for (const m of members) {
      const k = keyOf(m);
      if (k) by.set(k, [...(by.get(k) ?? []), m.person_id]);
    }
    for (const [key, personIds] of by) if (personIds.length > 1) sets.push({ reason, key, personIds });
  };
  groupBy("same_email", (m) => (m.email ? m.email.trim().toLowerCase() : null));
  groupBy("same_name", (m) => foldText(`${m.first_name} ${m.last_name}`).replace(/[^a-z0-9 ]/g, "") || null);
  return { groupId, items: sets };
}

/** The group's audit timeline (who, what, when, source), newest first, paged with `before` = the last item's cursor. */
export async function groupTimeline(deps: Deps, groupId: string, before: string | undefined, limit: number) {
  await requireGroup(deps, groupId);
  let q = deps.db
    .selectFrom("audit_log as l")
    .leftJoin("users as u", "u.id", "l.actor_user_id")
    .leftJoin("people as p", (j) => j.onRef("p.id", "=", "l.entity_id").on("l.entity_type", "=", "person"))
    .select([
      "p.first_name",
      "p.last_name",
      "l.id",
      "l.at",
      "l.actor_user_id",
      "u.name as actor_name",
      "l.source",
      "l.action",
      "l.entity_type",
      "l.entity_id",
      "l.details",
    ])
    .where("l.group_id", "=", groupId);
  if (before) {
    const [at, id] = Buffer.from(before, "base64url").toString("utf8").split("|");
    // Only a cursor this API wrote narrows the page; a forged one must not put unstorable text in a query.
    if (at && id && !hasUnsafeText([at, id]))
      q = q.where((eb) => eb.or([eb("l.at", "<", at), eb.and([eb("l.at", "=", at), eb("l.id", "<", id)])]));
  }
  const rows = await q.orderBy("l.at", "desc").orderBy("l.id", "desc").limit(limit).execute();
  const items = rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor_user_id ? { id: r.actor_user_id, name: r.actor_name ?? "" } : null,
    source: r.source,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    /** The person's name for person entries (so removed members are named too), else null. */
    entityName: r.first_name !== null && r.first_name !== undefined ? `${r.first_name} ${r.last_name ?? ""}`.trim() : null,
    details: parseJson(r.details, {}),
  }));
  const last = rows[rows.length - 1];
  return { items, next: last && rows.length === limit ? Buffer.from(`${last.at}|${last.id}`).toString("base64url") : null };
}

/** The group's scores at the end of the calendar day 7 days ago (see server/scores/week-ago.ts). */
export async function scoresWeekAgo(deps: Deps, groupId: string): Promise<{ engagement: number; completeness: number } | null> {
  const g = await requireGroup(deps, groupId);
  const roles = (await rolesByTemplate(deps.db, [g.role_template_id])).get(g.role_template_id) ?? [];
  return weekAgoScores(deps.db, deps, { id: g.id, createdAt: g.created_at }, roles, deps.clock());
}

/** The latest "Interesting Moment" activity of the group's active members. */
export async function lastInterestingMoment(deps: Deps, groupId: string) {
  const row = await deps.db
    .selectFrom("activities as a")
    .innerJoin("group_members as m", "m.person_id", "a.person_id")
    .innerJoin("people as p", "p.id", "a.person_id")
    .select(["a.occurred_at", "p.first_name", "p.last_name"])
    .where("m.group_id", "=", groupId)
    .where("m.status", "=", "active")
    .where("a.type_id", "=", "interesting-moment")
    .orderBy("a.occurred_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { at: row.occurred_at, personName: `${row.first_name} ${row.last_name}`.trim() } : null;
}

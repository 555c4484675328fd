import { type Expression, sql } from "kysely";
import type { Account } from "../../shared/api/accounts";
import { dayInTimeZone, scoringWindow } from "../../shared/scoring";
import { toAccount } from "../accounts/accounts.repo";
import type { AccountRow, TemplateRoleRow } from "../db/schema";
import type { Deps } from "../deps";
import { intentFromSignals, intentSince } from "../intent/intent.service";
import { toScoringTypes } from "../scores/scores.repo";
import { scoresFromTypeSums } from "../scores/scores.service";
import { weekAgoFromMembers, weekAgoWindow } from "../scores/week-ago";
import { toRole } from "../templates/templates.repo";
import {
  accountJourneysQuery,
  type MemberRow,
  type SummaryRow,
  summariesQuery,
  toJourneys,
  toSummary,
  withScores,
} from "./groups.repo";
import type { DetailsInputs } from "./groups.service";

type TypeSum = { person_id: string; type_id: string; capped: number };

interface DetailsRow {
  version: string | number | null;
  summary: (SummaryRow & { member_count: number }) | null;
  account: (AccountRow & { people_count: number }) | null;
  links: Array<{ account_id: string; crm: string; record_id: string }>;
  journeys: Array<{ id: string; name: string; status: string; entered_at: string }>;
  roles: TemplateRoleRow[];
  members: Array<MemberRow & { removed_at: string | null }>;
  types: Array<{ id: string; name: string; daily_cap: number; weight: number; counts_toward_engagement: number }>;
  sums: TypeSum[];
  week_sums: TypeSum[];
  signals: Array<{ person_id: string | null; type: string; topic: string; strength: number; occurred_at: string }>;
}

/**
 * PostgreSQL: everything group details show, read in ONE statement (one round trip, one snapshot):
 * the group's version and summary, its account with CRM links and journeys, the template's roles,
 * the members with their person fields, the activity types, each member's capped activity count per
 * type in the current window and in the week-ago window, and the intent signals. Each part is the
 * same query the portable path runs (the builders are shared; the group's account and template are
 * subqueries on the group row), aggregated to JSON. Every number read stays exact through JSON
 * (integers and float8 print in full).
 *
 * Returns null when the group does not exist, "stale" when its stored scores are from an earlier day
 * (the portable path refreshes them first, a write), else the inputs and the version they are of:
 * one snapshot, so the version is exactly the one the details were built from.
 */
export async function detailsInputsPg(
  deps: Deps,
  id: string,
  now: Date,
): Promise<{ inputs: DetailsInputs; version: number } | "stale" | null> {
  const { db, config } = deps;
  const window = scoringWindow(now, config.timeZone, config.windowDays);
  const week = weekAgoWindow(deps, now);
  const ofGroup = (column: "account_id" | "role_template_id"): Expression<string> =>
    db.selectFrom("buying_groups").select(column).where("id", "=", id) as never;
  const activeMembers = db
    .selectFrom("group_members")
    .select("person_id")
    .where("group_id", "=", id)
    .where("status", "=", "active");
  const rolesMembers = db.selectFrom("group_members").select("person_id").where("group_id", "=", id).where("role_key", "!=", "");
  const typeSums = (people: Expression<unknown>, from: string, to: string) =>
    sql`select d.person_id, d.type_id, sum(least(d.count, t.daily_cap))::integer as capped
      from activity_daily d join activity_types t on t.id = d.type_id
      where d.person_id in (${people}) and d.day >= ${from} and d.day <= ${to} and t.counts_toward_engagement = 1
      group by d.person_id, d.type_id`;
  const list = (q: Expression<unknown>, orderBy = sql``) =>
    sql`(select coalesce(json_agg(x ${orderBy}), '[]'::json) from (${q}) x)`;
  const one = (q: Expression<unknown>) => sql`(select to_json(x) from (${q}) x)`;
  const members = db
    .selectFrom("group_members as m")
    .innerJoin("people as p", "p.id", "m.person_id")
    .select([
      "m.person_id",
      "m.role_key",
      "m.status",
      "m.source",
      "m.last_change_source",
      "m.last_change_at",
      "m.added_at",
      "m.removed_at",
      "p.first_name",
      "p.last_name",
      "p.job_title",
      "p.email",
      "p.phone",
      "p.status as person_status",
    ])
    .where("m.group_id", "=", id);
  const statement = sql<DetailsRow>`select
    (select details_version from buying_groups where id = ${id}) as version,
    ${one(summariesQuery(db, [id]))} as summary,
    ${one(
      db
        .selectFrom("accounts as a")
        .selectAll("a")
        .select((eb) =>
          eb
            .selectFrom("people as p")
            .select(eb.fn.countAll<number>().as("n"))
            .whereRef("p.account_id", "=", "a.id")
            .as("people_count"),
        )
        .where("a.id", "=", ofGroup("account_id")),
    )} as account,
    ${list(
      db
        .selectFrom("account_crm_links")
        .select(["account_id", "crm", "record_id"])
        .where("account_id", "=", ofGroup("account_id")),
      sql`order by x.crm`,
    )} as links,
    ${list(accountJourneysQuery(db, ofGroup("account_id")), sql`order by x.entered_at desc`)} as journeys,
    ${list(db.selectFrom("template_roles").selectAll().where("template_id", "=", ofGroup("role_template_id")), sql`order by x.priority`)} as roles,
    ${list(members, sql`order by x.last_name, x.person_id`)} as members,
    ${list(db.selectFrom("activity_types").select(["id", "name", "daily_cap", "weight", "counts_toward_engagement"]))} as types,
    ${list(typeSums(activeMembers, window.from, window.to))} as sums,
    ${list(typeSums(rolesMembers, week.from, week.to))} as week_sums,
    ${list(
      db
        .selectFrom("intent_signals")
        .select(["person_id", "type", "topic", "strength", "occurred_at"])
        .where("occurred_at", ">=", intentSince(now, config.windowDays))
        .where((eb) =>
          eb.or([
            eb("person_id", "in", activeMembers),
            eb.and([eb("account_id", "=", ofGroup("account_id")), eb("person_id", "is", null)]),
          ]),
        ),
    )} as signals`;
  const row = (await statement.execute(db)).rows[0];
  if (!row?.summary || row.version === null || !row.account) return null;
  const summary = toSummary(row.summary, Number(row.summary.member_count ?? 0));
  if (dayInTimeZone(new Date(summary.scoresComputedAt), config.timeZone) !== dayInTimeZone(now, config.timeZone)) return "stale";
  const model = config.scoringModel ?? "count";
  const types = toScoringTypes(row.types);
  const active = row.members.filter((m) => m.status === "active");
  const scores = scoresFromTypeSums(
    active.map((m) => m.person_id),
    row.sums,
    types,
    model,
  );
  const templateRoles = row.roles.map(toRole);
  const account: Account = toAccount(row.account, row.links, Number(row.account.people_count ?? 0));
  const tz = config.timeZone;
  // The same check as scoresWeekAgo: null when the group did not exist yet on that day.
  const weekDay = week.to;
  const weekAgo =
    dayInTimeZone(new Date(summary.createdAt), tz) > weekDay
      ? null
      : await weekAgoFromMembers(
          deps,
          row.members.filter((m) => m.role_key !== ""),
          templateRoles,
          now,
          async (ids) => scoresFromTypeSums(ids, row.week_sums, types, model),
        );
  return {
    version: Number(row.version),
    inputs: {
      summary,
      account,
      templateRoles,
      rows: withScores(
        active.map(({ removed_at: _, ...m }) => m),
        scores,
      ),
      journeys: toJourneys(row.journeys),
      intent: intentFromSignals(row.signals, now, config.windowDays),
      weekAgo,
    },
  };
}

import type { Account } from "../../shared/api/accounts";
import type { GroupDetails, MemberCard, MemberDetails, RecentActivity } from "../../shared/api/groups";
import type { TemplateRole } from "../../shared/api/templates";
import { notFound, QuorumError } from "../../shared/errors";
import { personScore, scoringWindow } from "../../shared/scoring";
import { getAccounts } from "../accounts/accounts.repo";
import { isPostgres } from "../db/dialect";
import { isUniqueViolation } from "../db/errors";
import { parseJson } from "../db/json";
import type { Deps } from "../deps";
import { groupIntentUntil } from "../intent/intent.service";
import { loadDailyCounts, loadScoringTypes } from "../scores/scores.repo";
import { personScores, recomputeGroups, refreshIfStale, scoringOptions } from "../scores/scores.service";
import { scoresWeekAgo } from "../scores/week-ago";
import { rolesByTemplate } from "../templates/templates.repo";
import { detailsInputsPg } from "./details-pg";
import {
  accountJourneys,
  type GroupFilter,
  type GroupPage,
  getGroupSummaries,
  listGroupIds,
  listMembers,
  toMember,
} from "./groups.repo";
import { insertGroups } from "./insert-groups";
import { accountSummaryText, groupSummaryText, memberSummaryText, type SummaryLang } from "./summaries";

export async function listGroups(deps: Deps, filter: GroupFilter, page: GroupPage) {
  const result = await listGroupIds(deps.db, filter, page);
  if (!result) {
    throw new QuorumError(
      400,
      "validation_failed",
      "Invalid query string: cursor is not one this server gave out. Start again without it.",
      {
        issues: [{ field: "cursor", message: "is not a valid cursor" }],
      },
    );
  }
  const items = await getGroupSummaries(deps.db, result.ids);
  return {
    items,
    total: result.total,
    limit: page.limit,
    offset: page.cursor ? null : page.offset,
    nextCursor: result.nextCursor,
  };
}

/** Creates "<solution interest> for <account>" on the interest's live template; 409 if it exists. */
export async function createGroup(deps: Deps, input: { accountId: string; solutionInterestId: string }, userId: string | null) {
  const [account] = await getAccounts(deps.db, [input.accountId]);
  if (!account) throw notFound("Account", input.accountId);
  const si = await deps.db
    .selectFrom("solution_interests")
    .selectAll()
    .where("id", "=", input.solutionInterestId)
    .executeTakeFirst();
  if (!si) throw notFound("Solution interest", input.solutionInterestId);
  const existing = await deps.db
    .selectFrom("buying_groups")
    .select("id")
    .where("account_id", "=", input.accountId)
    .where("solution_interest_id", "=", input.solutionInterestId)
    .executeTakeFirst();
  if (existing) {
    throw new QuorumError(409, "conflict", `This account already has a buying group for '${si.name}'.`, { groupId: existing.id });
  }
  const now = deps.clock();
  const at = now.toISOString();
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      const [created] = await insertGroups(trx, si, [account], { source: "manual", userId, at });
      await recomputeGroups(trx, deps, [created!], now);
      return created!;
    })
    .catch((err: unknown) => {
      // Another process (a creation job, a second request) created it since the check above.
      if (isUniqueViolation(err))
        throw new QuorumError(409, "conflict", `This account already has a buying group for '${si.name}'.`, {});
      throw err;
    });
  const [summary] = await getGroupSummaries(deps.db, [id]);
  return summary!;
}

const toCard = (m: ReturnType<typeof toMember>): MemberCard => ({
  personId: m.personId,
  name: m.name,
  jobTitle: m.jobTitle,
  roleKey: m.roleKey,
  roleName: m.roleName,
  decisionMaker: m.decisionMaker,
  score: m.score,
});

/** Everything the panel's Overview and Members tabs show for one group (product brief §side panel). */
export async function getGroupDetails(deps: Deps, id: string, lang: SummaryLang = "en"): Promise<GroupDetails> {
  return (await buildGroupDetails(deps, id, deps.clock(), lang)).details;
}

/**
 * The details as of `now`, and until when (epoch ms) they stay the same by the passing of time alone
 * (intent decays by whole days of each signal's age; a new calendar day is checked by the caller).
 */
export async function buildGroupDetails(
  deps: Deps,
  id: string,
  now: Date,
  lang: SummaryLang = "en",
): Promise<{ details: GroupDetails; validUntil: number; version?: number }> {
  if (isPostgres(deps.db)) {
    // One statement, one snapshot (details-pg.ts); a group with scores from an earlier day takes the
    // portable path below, which refreshes them first.
    const pg = await detailsInputsPg(deps, id, now);
    if (pg === null) throw notFound("Buying group", id);
    if (pg !== "stale") return { ...assembleDetails(pg.inputs, lang), version: pg.version };
  }
  return buildGroupDetailsPortable(deps, id, now, lang);
}

/** buildGroupDetails by the portable queries (SQLite; PostgreSQL for groups with stale scores, and tests). */
export async function buildGroupDetailsPortable(
  deps: Deps,
  id: string,
  now: Date,
  lang: SummaryLang = "en",
): Promise<{ details: GroupDetails; validUntil: number }> {
  let [summary] = await getGroupSummaries(deps.db, [id]);
  if (!summary) throw notFound("Buying group", id);
  // Scores computed on an earlier day used another window: bring them to today before showing them.
  if (await refreshIfStale(deps, [summary], now)) [summary] = await getGroupSummaries(deps.db, [id]);
  if (!summary) throw notFound("Buying group", id);
  const [accounts, roles, rows, journeys, intent] = await Promise.all([
    getAccounts(deps.db, [summary.accountId]),
    rolesByTemplate(deps.db, [summary.roleTemplate.id]),
    listMembers(deps.db, id, false, (ids) => personScores(deps.db, deps, ids, now)),
    accountJourneys(deps.db, summary.accountId),
    groupIntentUntil(deps, id, summary.accountId, now),
  ]);
  const templateRoles = roles.get(summary.roleTemplate.id) ?? [];
  const weekAgo = await scoresWeekAgo(deps.db, deps, { id, createdAt: summary.createdAt }, templateRoles, now);
  return assembleDetails({ summary, account: accounts[0]!, templateRoles, rows, journeys, intent, weekAgo }, lang);
}

/** What group details are built from (read by the portable path, or by one statement on PostgreSQL). */
export interface DetailsInputs {
  summary: NonNullable<Awaited<ReturnType<typeof getGroupSummaries>>[number]>;
  account: Account;
  templateRoles: TemplateRole[];
  /** Active members with person fields and scores, highest score first. */
  rows: Awaited<ReturnType<typeof listMembers>>;
  journeys: Awaited<ReturnType<typeof accountJourneys>>;
  intent: Awaited<ReturnType<typeof groupIntentUntil>>;
  weekAgo: Awaited<ReturnType<typeof scoresWeekAgo>>;
}

function assembleDetails(inputs: DetailsInputs, lang: SummaryLang): { details: GroupDetails; validUntil: number } {
  const { summary, account, templateRoles, rows, journeys, intent, weekAgo } = inputs;
  const roleMap = new Map(templateRoles.map((r) => [r.key, r]));
  const members = rows.map((r) => toMember(r, roleMap));
  const decisionMakers = members.filter((m) => m.decisionMaker).slice(0, 3);
  const shown = new Set(decisionMakers.map((m) => m.personId));
  const topEngaged = members.filter((m) => !shown.has(m.personId)).slice(0, 5);
  const assigned = (key: string) => members.filter((m) => m.roleKey === key).length;
  const roleRows = templateRoles.map((r) => ({
    key: r.key,
    name: r.name,
    weighting: r.weighting,
    membersRequired: r.membersRequired,
    decisionMaker: r.decisionMaker,
    countsTowardCompleteness: r.countsTowardCompleteness,
    assigned: assigned(r.key),
  }));
  const missing = roleRows.filter((r) => r.countsTowardCompleteness && r.assigned < r.membersRequired).map((r) => r.name);
  const details: GroupDetails = {
    group: {
      ...summary,
      summary:
        summary.summary ??
        groupSummaryText(
          {
            name: summary.name,
            memberCount: summary.memberCount,
            completeness: summary.completeness,
            engagement: summary.engagement,
            missingRoles: missing,
            topMembers: members.map(toCard),
            stageName: summary.stage?.name ?? null,
          },
          lang,
        ),
      weekAgo,
    },
    account: {
      id: account.id,
      name: account.name,
      domain: account.domain,
      industry: account.industry,
      marketSegment: account.marketSegment,
      openOpportunities: account.openOpportunities,
      currency: account.currency,
      crmLinks: account.crmLinks,
      peopleCount: account.peopleCount,
      journeys,
      summary: accountSummaryText(
        {
          name: account.name,
          peopleCount: account.peopleCount,
          industry: account.industry,
          openOpportunities: account.openOpportunities,
          currency: account.currency,
          journeyNames: journeys.map((j) => j.name),
        },
        lang,
      ),
    },
    roles: roleRows,
    decisionMakers: decisionMakers.map(toCard),
    topEngaged: topEngaged.map(toCard),
    members,
    intent: intent.view,
  };
  return { details, validUntil: intent.validUntil };
}

export async function getGroupMembers(deps: Deps, id: string, includeRemoved: boolean) {
  const group = await deps.db
    .selectFrom("buying_groups")
    .select(["id", "role_template_id"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!group) throw notFound("Buying group", id);
  const roles = (await rolesByTemplate(deps.db, [group.role_template_id])).get(group.role_template_id) ?? [];
  const roleMap = new Map(roles.map((r) => [r.key, r]));
  return (await listMembers(deps.db, id, includeRemoved, (ids) => personScores(deps.db, deps, ids, deps.clock()))).map((r) =>
    toMember(r, roleMap),
  );
}

/** "View details" on a member card. */
export async function getMemberDetails(
  deps: Deps,
  groupId: string,
  personId: string,
  lang: SummaryLang = "en",
): Promise<MemberDetails> {
  const members = await getGroupMembers(deps, groupId, true);
  const member = members.find((m) => m.personId === personId);
  if (!member) throw notFound("Member", personId);
  const now = deps.clock();
  const options = scoringOptions(deps, now);
  const window = scoringWindow(now, options.timeZone, options.windowDays);
  const [types, counts, recent, moment, others, otherCount] = await Promise.all([
    loadScoringTypes(deps.db),
    loadDailyCounts(deps.db, [personId], window),
    deps.db
      .selectFrom("activities as a")
      .innerJoin("activity_types as t", "t.id", "a.type_id")
      .select(["a.external_id", "a.type_id", "t.name", "a.occurred_at", "a.metadata"])
      .where("a.person_id", "=", personId)
      .orderBy("a.occurred_at", "desc")
      .limit(2)
      .execute(),
    deps.db
      .selectFrom("activities as a")
      .innerJoin("activity_types as t", "t.id", "a.type_id")
      .select(["a.external_id", "a.type_id", "t.name", "a.occurred_at", "a.metadata"])
      .where("a.person_id", "=", personId)
      .where("a.type_id", "=", "interesting-moment")
      .orderBy("a.occurred_at", "desc")
      .limit(1)
      .execute(),
    deps.db
      .selectFrom("group_members as m")
      .innerJoin("buying_groups as g", "g.id", "m.group_id")
      .select(["g.id", "g.name", "m.role_key", "m.added_at"])
      .where("m.person_id", "=", personId)
      .where("m.status", "=", "active")
      .where("m.group_id", "!=", groupId)
      .orderBy("m.added_at", "desc")
      .limit(3)
      .execute(),
    // The summary says how many other groups there are in all; the list shows the latest three.
    deps.db
      .selectFrom("group_members")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("n"))
      .where("person_id", "=", personId)
      .where("status", "=", "active")
      .where("group_id", "!=", groupId)
      .executeTakeFirstOrThrow(),
  ]);
  const toActivity = (r: (typeof recent)[number]): RecentActivity => ({
    externalId: r.external_id,
    typeId: r.type_id,
    typeName: r.name,
    occurredAt: r.occurred_at,
    metadata: parseJson(r.metadata, null),
  });
  const score = personScore(personId, counts, types, options);
  return {
    ...member,
    summary: memberSummaryText(
      {
        name: member.name,
        roleName: member.roleName,
        score: member.score,
        topTypes: score.types,
        lastActivityAt: recent[0]?.occurred_at ?? null,
        otherGroups: Number(otherCount.n),
      },
      lang,
    ),
    lastInterestingMoment: moment[0] ? toActivity(moment[0]) : null,
    recentActivities: recent.map(toActivity),
    otherGroups: others.map((o) => ({ id: o.id, name: o.name, roleKey: o.role_key, addedAt: o.added_at })),
    otherGroupCount: Number(otherCount.n),
    personScore: score,
  };
}

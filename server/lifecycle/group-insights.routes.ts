import { Hono } from "hono";
import { z } from "zod";
import { IdParam } from "../../shared/api/common";
import { MemberParams } from "../../shared/api/members";
import { notFound } from "../../shared/errors";
import type { AuthEnv } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { getGroupDetails, getMemberDetails } from "../groups/groups.service";
import { accountSummaryText, groupSummaryText, memberSummaryText, SUMMARY_LANGS } from "../groups/summaries";
import { validate } from "../http/validate";
import { groupIntent } from "../intent/intent.service";
import {
  duplicateMembers,
  groupTimeline,
  lastInterestingMoment,
  nextRoleToFill,
  scoresWeekAgo,
  staleMembers,
} from "./insights.service";
import { createSummarizer } from "./llm-summary";

export const LangQuery = z.object({ lang: z.enum(SUMMARY_LANGS).default("en") });
export const TimelineQuery = z.object({
  before: z.string().trim().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(500, "must be at most 500").default(100),
});

/** Mounted under /groups: summaries, intent, next role, stale members, duplicates, audit timeline. */
export const groupLifecycleRoutes = (deps: Deps) => {
  const summarizer = createSummarizer(deps);
  return new Hono<AuthEnv>()
    .get("/:id/summaries", validate("param", IdParam), validate("query", LangQuery), async (c) => {
      const { lang } = c.req.valid("query");
      const id = c.req.valid("param").id;
      const d = await getGroupDetails(deps, id, lang);
      const [weekAgo, moment] = await Promise.all([scoresWeekAgo(deps, id), lastInterestingMoment(deps, id)]);
      const missing = d.roles.filter((r) => r.countsTowardCompleteness && r.assigned < r.membersRequired).map((r) => r.name);
      const group = groupSummaryText(
        {
          name: d.group.name,
          memberCount: d.group.memberCount,
          completeness: d.group.completeness,
          engagement: d.group.engagement,
          missingRoles: missing,
          topMembers: d.members,
          stageName: d.group.stage?.name ?? null,
          engagementWeekAgo: weekAgo?.engagement ?? null,
          completenessWeekAgo: weekAgo?.completeness ?? null,
          lastInterestingMoment: moment,
        },
        lang,
      );
      const account = accountSummaryText(
        {
          name: d.account.name,
          peopleCount: d.account.peopleCount,
          industry: d.account.industry,
          openOpportunities: d.account.openOpportunities,
          currency: d.account.currency,
          journeyNames: d.account.journeys.map((j) => j.name),
        },
        lang,
      );
      return c.json(
        {
          lang,
          group: summarizer.summarize(`group:${d.group.id}`, group, lang),
          account: summarizer.summarize(`account:${d.account.id}`, account, lang),
        },
        200,
      );
    })
    .get("/:id/members/:personId/summary", validate("param", MemberParams), validate("query", LangQuery), async (c) => {
      const { id, personId } = c.req.valid("param");
      const { lang } = c.req.valid("query");
      const m = await getMemberDetails(deps, id, personId);
      const text = memberSummaryText(
        {
          name: m.name,
          roleName: m.roleName,
          score: m.score,
          topTypes: m.personScore.types,
          lastActivityAt: m.recentActivities[0]?.occurredAt ?? null,
          otherGroups: m.otherGroups.length,
        },
        lang,
      );
      return c.json({ lang, member: summarizer.summarize(`member:${id}:${personId}`, text, lang) }, 200);
    })
    .get("/:id/intent", validate("param", IdParam), async (c) => {
      const { id } = c.req.valid("param");
      const g = await deps.db.selectFrom("buying_groups").select(["id", "account_id"]).where("id", "=", id).executeTakeFirst();
      if (!g) throw notFound("Buying group", id);
      return c.json({ groupId: id, ...(await groupIntent(deps, id, g.account_id)) }, 200);
    })
    .get("/:id/next-role", validate("param", IdParam), async (c) =>
      c.json(await nextRoleToFill(deps, c.req.valid("param").id), 200),
    )
    .get("/:id/stale-members", validate("param", IdParam), async (c) =>
      c.json(await staleMembers(deps, c.req.valid("param").id), 200),
    )
    .get("/:id/duplicates", validate("param", IdParam), async (c) =>
      c.json(await duplicateMembers(deps, c.req.valid("param").id), 200),
    )
    .get("/:id/timeline", validate("param", IdParam), validate("query", TimelineQuery), async (c) => {
      const { before, limit } = c.req.valid("query");
      return c.json(await groupTimeline(deps, c.req.valid("param").id, before, limit), 200);
    });
};

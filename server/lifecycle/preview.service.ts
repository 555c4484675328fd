import { notFound } from "../../shared/errors";
import { completenessScore } from "../../shared/scoring";
import type { Deps } from "../deps";
import { requireTemplate } from "../templates/templates.service";
import { evaluateAccounts } from "./rules";

/**
 * What a template (draft or live) would do to one account before publishing: who fills which role,
 * by which conditions, and the completeness that would give. Nothing is written.
 */
export async function previewTemplate(deps: Deps, templateId: string, accountId: string) {
  const template = await requireTemplate(deps, templateId);
  const account = await deps.db.selectFrom("accounts").select(["id", "name"]).where("id", "=", accountId).executeTakeFirst();
  if (!account) throw notFound("Account", accountId);
  const people = (await evaluateAccounts(deps, deps.db, [accountId], template.roles)).get(accountId) ?? [];
  const assignable = people.filter((p) => p.match && p.status === "active");
  const completeness = completenessScore(
    template.roles.map((r) => ({
      key: r.key,
      name: r.name,
      weighting: r.weighting,
      membersRequired: r.membersRequired,
      countsTowardCompleteness: r.countsTowardCompleteness,
      decisionMaker: r.decisionMaker,
    })),
    assignable.map((p) => ({ personId: p.personId, roleKey: p.match!.roleKey })),
    deps.clock(),
  ).score;
  return {
    templateId: template.id,
    templateStatus: template.status,
    account,
    completeness,
    roles: template.roles.map((r) => {
      const fills = assignable.filter((p) => p.match?.roleKey === r.key);
      return {
        key: r.key,
        name: r.name,
        membersRequired: r.membersRequired,
        matches: fills.length,
        filled: fills.length >= r.membersRequired,
      };
    }),
    people: people.map((p) => ({
      personId: p.personId,
      name: p.name,
      jobTitle: p.jobTitle,
      status: p.status,
      score: p.score,
      roleKey: p.match?.roleKey ?? null,
      roleName: p.match?.roleName ?? null,
      matchedConditions: p.match?.matched ?? [],
      /** People who left the company or bounced are shown but never assigned automatically. */
      wouldAssign: p.match !== null && p.status === "active",
    })),
  };
}

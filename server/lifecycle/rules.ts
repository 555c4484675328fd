import type { ConditionLeafT, TemplateRole } from "../../shared/api/templates";
import { chooseRole, ruleSubject } from "../../shared/domain/role-rules";
import type { Db } from "../db/create-db";
import { parseJson } from "../db/json";
import type { Deps } from "../deps";
import { personIntent } from "../intent/intent.service";
import { personScores } from "../scores/scores.service";

export interface RuleCandidate {
  personId: string;
  accountId: string;
  name: string;
  jobTitle: string | null;
  email: string | null;
  status: string;
  score: number;
  /** The role the template's rules give this person (first match in priority order), or null. */
  match: { roleKey: string; roleName: string; matched: ConditionLeafT[] } | null;
}

/**
 * Evaluates a template's rules for every person of these accounts: person fields, the stored person
 * score and the person's intent. One place for preview, creation and maintenance jobs.
 */
export async function evaluateAccounts(
  deps: Deps,
  db: Db,
  accountIds: readonly string[],
  roles: readonly TemplateRole[],
): Promise<Map<string, RuleCandidate[]>> {
  const out = new Map<string, RuleCandidate[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return out;
  const people = await db
    .selectFrom("people")
    .select([
      "id",
      "account_id",
      "first_name",
      "last_name",
      "email",
      "job_title",
      "department",
      "seniority",
      "country",
      "status",
      "attributes",
    ])
    .where("account_id", "in", [...accountIds])
    .orderBy("id")
    .execute();
  const scores = await personScores(
    db,
    deps,
    people.map((p) => p.id),
    deps.clock(),
  );
  const usesIntent = roles.some((r) => r.conditions && JSON.stringify(r.conditions).includes('"intent'));
  const intent = usesIntent
    ? await personIntent(
        deps,
        people.map((p) => p.id),
        db,
      )
    : new Map();
  for (const p of people) {
    const subject = ruleSubject({
      jobTitle: p.job_title,
      department: p.department,
      seniority: p.seniority,
      country: p.country,
      email: p.email,
      score: scores.get(p.id) ?? 0,
      attributes: parseJson(p.attributes, {}),
      intent: intent.get(p.id)?.topics ?? [],
    });
    const m = chooseRole(subject, roles);
    out.get(p.account_id!)?.push({
      personId: p.id,
      accountId: p.account_id!,
      name: `${p.first_name} ${p.last_name}`.trim(),
      jobTitle: p.job_title,
      email: p.email,
      status: p.status,
      score: scores.get(p.id) ?? 0,
      match: m ? { roleKey: m.role.key, roleName: m.role.name, matched: m.matched } : null,
    });
  }
  return out;
}

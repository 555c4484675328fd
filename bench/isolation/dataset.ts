import { tokenKey } from "../../server/auth/token-secret";
import { createUserWithToken } from "../../server/auth/tokens.repo";
import type { Deps } from "../../server/deps";
import { createSolutionInterest } from "../../server/solution-interests/solution-interests.service";
import { createTemplate, publishTemplate } from "../../server/templates/templates.service";
import { addDays, dayInTimeZone } from "../../shared/scoring";

/**
 * The isolation bench's data: `accounts` accounts with `peoplePerAccount` people each (titles and
 * seniorities the roles' rules match), one role template and two solution interests:
 * - "Existing groups": one buying group per account, with every person a member, and each person's
 *   daily rollup over the last weeks (what the full recompute reads and rewrites);
 * - "New groups": no groups yet; the bench's creation job makes one per account (100 000 at full size).
 * Rows go in with plain multi-row inserts, a few hundred accounts per transaction (minutes at full size,
 * not the hours a creation job and ingest would take).
 */
export interface IsolationDataset {
  existingInterestId: string;
  newInterestId: string;
  groupIds: string[];
}

const SENIORITY = ["VP", "Director", "Manager", "Individual Contributor", "C-Level"];
const TITLES = ["Head of IT", "Software Engineer", "Procurement Lead", "Data Analyst", "CFO", "Architect"];
const ROLE_OF = ["decision-maker", "influencer", "practitioner"];
const TYPES = ["visit-webpage", "open-email", "attend-event"];

export async function buildDataset(
  deps: Deps,
  opts: { accounts: number; peoplePerAccount: number; benchToken: string; log: (s: string) => void },
): Promise<IsolationDataset> {
  const { db, config } = deps;
  const now = deps.clock();
  const at = now.toISOString();
  const { userId } = await createUserWithToken(db, {
    name: "bench",
    role: "admin",
    tokenName: "bench",
    token: opts.benchToken,
    now: at,
    key: tokenKey(config),
  });
  const tpl = await createTemplate(
    deps,
    {
      name: "Bench roles",
      description: "",
      roles: [
        {
          key: "decision-maker",
          name: "Decision maker",
          weighting: "vital",
          membersRequired: 1,
          countsTowardCompleteness: true,
          decisionMaker: true,
          conditions: { field: "seniority", op: "in", value: ["VP", "C-Level"] },
        },
        {
          key: "influencer",
          name: "Influencer",
          weighting: "important",
          membersRequired: 2,
          countsTowardCompleteness: true,
          decisionMaker: false,
          conditions: {
            any: [
              { field: "jobTitle", op: "contains", value: "head of" },
              { field: "seniority", op: "equals", value: "Director" },
            ],
          },
        },
        {
          key: "practitioner",
          name: "Practitioner",
          weighting: "normal",
          membersRequired: 3,
          countsTowardCompleteness: true,
          decisionMaker: false,
          conditions: { field: "jobTitle", op: "contains", value: "engineer" },
        },
      ],
    },
    userId,
  );
  await publishTemplate(deps, tpl.id, userId);
  const interest = (name: string) =>
    createSolutionInterest(deps, {
      name,
      description: "",
      roleTemplateId: tpl.id,
      stageModelId: null,
      keywords: [],
      products: [],
    });
  const existing = await interest("Existing groups");
  const fresh = await interest("New groups");
  const template = await db
    .selectFrom("solution_interests")
    .select("role_template_id")
    .where("id", "=", existing.id)
    .executeTakeFirstOrThrow();
  const today = dayInTimeZone(now, config.timeZone);
  const groupIds: string[] = [];
  const STEP = 250;
  for (let i = 0; i < opts.accounts; i += STEP) {
    const n = Math.min(STEP, opts.accounts - i);
    await db.transaction().execute(async (trx) => {
      const accounts = Array.from({ length: n }, (_, k) => ({
        id: `acc_${String(i + k).padStart(7, "0")}`,
        name: `Account ${i + k}`,
        domain: null,
        industry: (i + k) % 2 ? "Software" : "Retail",
        market_segment: null,
        country: "NL",
        annual_revenue: null,
        parent_id: null,
        open_opportunities_count: 0,
        open_opportunities_amount: 0,
        created_at: at,
        updated_at: at,
      }));
      await trx.insertInto("accounts").values(accounts).execute();
      const people = accounts.flatMap((a, ai) =>
        Array.from({ length: opts.peoplePerAccount }, (_, p) => ({
          id: `${a.id}_p${p}`,
          account_id: a.id,
          first_name: "P",
          last_name: `${i + ai}-${p}`,
          email: null,
          phone: null,
          job_title: TITLES[p % TITLES.length]!,
          department: null,
          seniority: SENIORITY[p % SENIORITY.length]!,
          country: "NL",
          source: "import",
          status: "active",
          attributes: "{}",
          created_at: at,
          updated_at: at,
        })),
      );
      for (let j = 0; j < people.length; j += 200)
        await trx
          .insertInto("people")
          .values(people.slice(j, j + 200))
          .execute();
      const groups = accounts.map((a) => ({
        id: `grp_${a.id.slice(4)}`,
        account_id: a.id,
        solution_interest_id: existing.id,
        name: `Existing groups for ${a.name}`,
        role_template_id: template.role_template_id,
        stage_id: null,
        completeness: 0,
        engagement: 0,
        engagement_raw: 0,
        scores_computed_at: at,
        summary: null,
        created_at: at,
        updated_at: at,
      }));
      for (let j = 0; j < groups.length; j += 100)
        await trx
          .insertInto("buying_groups")
          .values(groups.slice(j, j + 100))
          .execute();
      groupIds.push(...groups.map((g) => g.id));
      const members = people.map((p, pi) => ({
        group_id: `grp_${p.account_id.slice(4)}`,
        person_id: p.id,
        role_key: ROLE_OF[pi % ROLE_OF.length]!,
        status: "active",
        source: "manual",
        last_change_source: "manual",
        last_change_at: at,
        last_changed_by: userId,
        added_at: at,
        removed_at: null,
      }));
      for (let j = 0; j < members.length; j += 200)
        await trx
          .insertInto("group_members")
          .values(members.slice(j, j + 200))
          .execute();
      const rollup = people.flatMap((p, pi) =>
        [0, 1].map((d) => ({
          person_id: p.id,
          type_id: TYPES[(pi + d) % TYPES.length]!,
          day: addDays(today, -((pi * 7 + d * 11) % 28)),
          count: 1 + ((pi + d) % 4),
        })),
      );
      for (let j = 0; j < rollup.length; j += 500)
        await trx
          .insertInto("activity_daily")
          .values(rollup.slice(j, j + 500))
          .onConflict((oc) => oc.columns(["person_id", "day", "type_id"]).doNothing())
          .execute();
    });
    if ((i / STEP) % 40 === 0) opts.log(`  ${i + n} / ${opts.accounts} accounts`);
  }
  return { existingInterestId: existing.id, newInterestId: fresh.id, groupIds };
}

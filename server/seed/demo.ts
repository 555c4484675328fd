import { chooseRole, ruleSubject } from "../../shared/domain/role-rules";
import { insertAccount } from "../accounts/accounts.repo";
import { ingestActivities } from "../activities/activities.service";
import { newId } from "../db/ids";
import type { Deps } from "../deps";
import { createGroup } from "../groups/groups.service";
import { deriveIntentFromActivities } from "../intent/intent.service";
import { applyMembershipChanges } from "../members/membership.service";
import { insertPerson } from "../people/people.repo";
import { recomputeAll } from "../scores/scores.service";
import { createSolutionInterest } from "../solution-interests/solution-interests.service";
import { createTemplate, publishTemplate } from "../templates/templates.service";
import {
  DEFAULT_TEMPLATE,
  DEMO_JOURNEYS,
  DEMO_SOLUTION_INTERESTS,
  DEMO_STAGES,
  DEMO_TRANSITIONS,
  DEMO_TYPE_POPULARITY,
} from "./demo-config";
import { DEMO_EMAILS } from "./demo-emails";
import { createRng, generateAccounts, generateActivities, generatePeople } from "./generate";
import { COUNTRIES } from "./names";

const ACCOUNTS = 36;
const DAY_MS = 86_400_000;

/** The shortest way from one stage to another along DEMO_TRANSITIONS (stage keys, both ends included). */
export function stagePath(from: string, to: string): string[] {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length) {
    const stage = queue.shift()!;
    if (stage === to) break;
    for (const [a, b] of DEMO_TRANSITIONS)
      if (a === stage && !previous.has(b)) {
        previous.set(b, stage);
        queue.push(b);
      }
  }
  if (!previous.has(to)) throw new Error(`demo stage model: no way from ${from} to ${to}`);
  const path = [to];
  for (let p = previous.get(to); p; p = previous.get(p)) path.unshift(p);
  return path;
}
const ACTIVITIES = 18_000;
const DAYS = 45;

async function seedStageModel(deps: Deps, at: string): Promise<Map<string, string>> {
  const modelId = newId("stm");
  const ids = new Map<string, string>(DEMO_STAGES.map((s) => [s.key, newId("stg")]));
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("stage_models")
      .values({ id: modelId, name: "Buying group stages", status: "live", created_at: at, updated_at: at })
      .execute();
    await trx
      .insertInto("stages")
      .values(
        DEMO_STAGES.map((s, i) => ({ id: ids.get(s.key)!, model_id: modelId, name: s.name, kind: s.kind, position: i + 1 })),
      )
      .execute();
    await trx
      .insertInto("stage_transitions")
      .values(
        DEMO_TRANSITIONS.map(([from, to]) => ({ model_id: modelId, from_stage_id: ids.get(from)!, to_stage_id: ids.get(to)! })),
      )
      .execute();
  });
  ids.set("__model", modelId);
  return ids;
}

/**
 * The demo data set `npm start` loads on first run: accounts with CRM record ids for every supported
 * CRM, a few hundred people with real-looking titles, the default roles template, three solution
 * interests, groups in several stages with members assigned by the role rules (and a few by hand and
 * by journeys), journeys, and 45 days of activities. Deterministic (fixed seed) apart from dates.
 */
export async function seedDemoData(deps: Deps) {
  const rng = createRng(20261123);
  const now = deps.clock();
  const at = now.toISOString();
  const admin = await deps.db.selectFrom("users").select("id").where("role", "=", "admin").executeTakeFirst();
  const userId = admin?.id ?? "system";

  const template = await publishTemplate(deps, (await createTemplate(deps, DEFAULT_TEMPLATE, userId)).id, userId);
  const stages = await seedStageModel(deps, at);
  const interests = [];
  for (const si of DEMO_SOLUTION_INTERESTS) {
    interests.push(
      await createSolutionInterest(deps, { ...si, roleTemplateId: template.id, stageModelId: stages.get("__model")! }),
    );
  }

  const accounts = [...generateAccounts(ACCOUNTS, rng)];
  const people = [...generatePeople(accounts, { min: 6, max: 14 }, rng)];
  const accountId = new Map<string, string>();
  const personId = new Map<string, string>();
  await deps.db.transaction().execute(async (trx) => {
    for (const a of accounts) {
      const id = await insertAccount(
        trx,
        {
          name: a.name,
          domain: a.domain,
          industry: a.industry,
          marketSegment: a.marketSegment,
          country: a.country,
          annualRevenue: a.annualRevenue,
          parentId: a.parentKey ? (accountId.get(a.parentKey) ?? null) : null,
          openOpportunitiesCount: a.openOpportunitiesCount,
          openOpportunitiesAmount: a.openOpportunitiesAmount,
          currency: COUNTRIES.find((c) => c.code === a.country)?.currency ?? null,
          crmLinks: a.crmLinks,
        },
        at,
      );
      accountId.set(a.key, id);
    }
    for (const p of people) {
      const id = await insertPerson(
        trx,
        {
          accountId: accountId.get(p.accountKey) ?? null,
          firstName: p.firstName,
          lastName: p.lastName,
          email: p.email,
          phone: p.phone,
          jobTitle: p.jobTitle,
          department: p.department,
          seniority: p.seniority,
          country: p.country,
          source: p.source,
          status: rng.chance(0.03) ? "left_company" : "active",
          attributes: {},
        },
        at,
      );
      personId.set(p.key, id);
    }
    const journeyIds = DEMO_JOURNEYS.map(() => newId("jny"));
    await trx
      .insertInto("journeys")
      .values(DEMO_JOURNEYS.map((name, i) => ({ id: journeyIds[i]!, name, status: "active", created_at: at })))
      .execute();
    for (const a of accounts) {
      const picked = journeyIds.filter(() => rng.chance(0.45));
      for (const [i, j] of picked.entries()) {
        const entered = new Date(now.getTime() - (i * 9 + rng.int(1, 8)) * DAY_MS).toISOString();
        // Some accounts already left a journey: the panel lists only the ones they are still in.
        const status = rng.chance(0.2) ? "exited" : "active";
        await trx
          .insertInto("account_journeys")
          .values({ account_id: accountId.get(a.key)!, journey_id: j, entered_at: entered, status })
          .execute();
      }
    }
    const ws = [newId("wsp"), newId("wsp")];
    await trx
      .insertInto("workspaces")
      .values([
        { id: ws[0]!, name: "Default", created_at: at },
        { id: ws[1]!, name: "EMEA field marketing", created_at: at },
      ])
      .execute();
    // Approved emails the panel can send from the start (see server/email/render.ts for the tokens).
    await trx
      .insertInto("emails")
      .values(
        DEMO_EMAILS.map((e, i) => ({
          id: newId("eml"),
          workspace_id: ws[e.workspace]!,
          name: e.name,
          subject: e.subject,
          html_body: e.htmlBody,
          text_body: e.textBody,
          status: e.approved ? "approved" : "draft",
          approved_by: e.approved ? userId : null,
          approved_at: e.approved ? at : null,
          created_at: new Date(now.getTime() - (DEMO_EMAILS.length - i) * 60_000).toISOString(),
          updated_at: at,
          created_by: userId,
          updated_by: userId,
        })),
      )
      .execute();
  });

  // Groups: every account gets one to three solution interests; members by the role rules. Each group
  // was created some weeks ago (in the entry stage) and moved along the stage model's transitions since,
  // one history row per move, each dated after the one before.
  let groups = 0;
  const stageKeys = DEMO_STAGES.map((s) => s.key);
  for (const a of accounts) {
    const accId = accountId.get(a.key)!;
    const mine = interests.filter((_, i) => i === 0 || rng.chance(0.55));
    const contacts = people.filter((p) => p.accountKey === a.key);
    for (const si of mine) {
      const createdAt = new Date(now.getTime() - rng.int(14, DAYS - 1) * DAY_MS - rng.int(0, 86_399) * 1000);
      const then = { ...deps, clock: () => createdAt };
      const group = await createGroup(then, { accountId: accId, solutionInterestId: si.id }, userId);
      groups++;
      const changes = contacts.flatMap((p) => {
        if (rng.chance(0.3)) return []; // rules do not reach everyone: leaves gaps to fill
        const match = chooseRole(ruleSubject(p), template.roles);
        return match ? [{ personId: personId.get(p.key)!, action: "add" as const, roleKey: match.role.key }] : [];
      });
      if (changes.length)
        await applyMembershipChanges(then, group.id, changes, { source: "system", userId: null, field: "members" });
      const path = stagePath("identified", stageKeys[rng.int(0, stageKeys.length - 1)]!);
      if (path.length < 2) continue; // stays in the entry stage: no move to record
      const span = now.getTime() - createdAt.getTime();
      await deps.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("buying_groups")
          .set({ stage_id: stages.get(path.at(-1)!)! })
          .where("id", "=", group.id)
          .execute();
        await trx
          .insertInto("group_stage_history")
          .values(
            path.slice(1).map((to, i) => ({
              id: newId("sth"),
              group_id: group.id,
              from_stage_id: stages.get(path[i]!)!,
              to_stage_id: stages.get(to)!,
              source: "system",
              changed_by: null,
              changed_at: new Date(createdAt.getTime() + Math.round((span * (i + 1)) / path.length)).toISOString(),
            })),
          )
          .execute();
      });
    }
  }

  let activities = 0;
  let batch: unknown[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    activities += (await ingestActivities(deps, batch)).accepted;
    batch = [];
  };
  for (const act of generateActivities(people, { total: ACTIVITIES, days: DAYS, end: now, typeIds: DEMO_TYPE_POPULARITY, rng })) {
    batch.push({
      externalId: `demo-${act.externalId}`,
      personId: personId.get(act.personKey),
      type: act.typeId,
      occurredAt: act.occurredAt,
      metadata: act.metadata,
    });
    if (batch.length === 5000) await flush();
  }
  await flush();
  // Intent from the activities' keywords and products (what `POST /api/intent/derive` does), so the
  // panel shows intent from the first start.
  await deriveIntentFromActivities(deps, now);
  await recomputeAll(deps, now);
  return { accounts: accounts.length, people: people.length, groups, activities };
}

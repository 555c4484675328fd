import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { openDatabase } from "../../server/bootstrap";
import { loadConfig } from "../../server/config";
import { newId } from "../../server/db/ids";
import { DEFAULT_TEMPLATE, DEMO_SOLUTION_INTERESTS } from "../../server/seed/demo-config";
import { createRng, generateAccounts, generatePeople } from "../../server/seed/generate";
import { createSolutionInterest } from "../../server/solution-interests/solution-interests.service";
import { createTemplate, publishTemplate } from "../../server/templates/templates.service";
import { chooseRole, ruleSubject } from "../../shared/domain/role-rules";

export interface Scale {
  accounts: number;
  peoplePerAccount: number;
  activities: number;
  days: number;
}

export const FULL: Scale = { accounts: 10_000, peoplePerAccount: 20, activities: 5_000_000, days: 45 };

export function scaled(factor: number): Scale {
  return {
    accounts: Math.max(10, Math.round(FULL.accounts * factor)),
    peoplePerAccount: FULL.peoplePerAccount,
    activities: Math.max(1000, Math.round(FULL.activities * factor)),
    days: FULL.days,
  };
}

/**
 * Builds the bench database without activities: accounts with CRM links, people, the default
 * template, three solution interests and one group per (account, interest) with members chosen by
 * the role rules (source "system"). Bulk rows go in through prepared statements: this is set-up,
 * not what is measured. Returns the person ids (index = generator order) for the activity phase.
 */
export async function buildDataset(file: string, scale: Scale, seed = 42) {
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  const config = loadConfig({ DATABASE_URL: file, QUORUM_LOG: "silent" });
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  const template = await publishTemplate(deps, (await createTemplate(deps, DEFAULT_TEMPLATE, "bench")).id, "bench");
  const interests: Array<{ id: string; name: string }> = [];
  for (const si of DEMO_SOLUTION_INTERESTS)
    interests.push(await createSolutionInterest(deps, { ...si, roleTemplateId: template.id, stageModelId: null }));
  await db.destroy();

  const rng = createRng(seed);
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const at = new Date().toISOString();
  const insAccount = sqlite.prepare(
    `insert into accounts (id, name, domain, industry, market_segment, country, annual_revenue, parent_id, open_opportunities_count, open_opportunities_amount, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLink = sqlite.prepare("insert into account_crm_links (crm, record_id, account_id, created_at) values (?, ?, ?, ?)");
  const insPerson = sqlite.prepare(
    `insert into people (id, account_id, first_name, last_name, email, phone, job_title, department, seniority, country, source, status, attributes, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', '{}', ?, ?)`,
  );
  const insGroup = sqlite.prepare(
    `insert into buying_groups (id, account_id, solution_interest_id, name, role_template_id, stage_id, completeness, engagement, engagement_raw, scores_computed_at, summary, created_at, updated_at)
     values (?, ?, ?, ?, ?, null, 0, 0, 0, ?, null, ?, ?)`,
  );
  const insMember = sqlite.prepare(
    `insert into group_members (group_id, person_id, role_key, status, source, last_change_source, last_change_at, last_changed_by, added_at, removed_at)
     values (?, ?, ?, 'active', 'system', 'system', ?, null, ?, null)`,
  );
  const accounts = [...generateAccounts(scale.accounts, rng)];
  const accountIds = new Map<string, string>();
  const accountByKey = new Map(accounts.map((a) => [a.key, a]));
  const people: Array<{ key: string; id: string; country: string }> = [];
  let groups = 0;
  let members = 0;
  sqlite.transaction(() => {
    for (const a of accounts) {
      const id = newId("acc");
      accountIds.set(a.key, id);
      insAccount.run(
        id,
        a.name,
        a.domain,
        a.industry,
        a.marketSegment,
        a.country,
        a.annualRevenue,
        a.parentKey ? (accountIds.get(a.parentKey) ?? null) : null,
        a.openOpportunitiesCount,
        a.openOpportunitiesAmount,
        at,
        at,
      );
      for (const l of a.crmLinks) insLink.run(l.crm, l.recordId, id, at);
    }
    type Pending = {
      accountKey: string;
      rows: Array<{ id: string; jobTitle: string; department: string; seniority: string; country: string; email: string }>;
    };
    let current = null as Pending | null;
    const flushAccount = () => {
      if (!current) return;
      const accountId = accountIds.get(current.accountKey)!;
      const account = accountByKey.get(current.accountKey)!;
      for (const si of interests) {
        const gid = newId("grp");
        insGroup.run(gid, accountId, si.id, `${si.name} for ${account.name}`, template.id, at, at, at);
        groups++;
        for (const p of current.rows) {
          if (rng.chance(0.35)) continue;
          const m = chooseRole(ruleSubject(p), template.roles);
          if (!m) continue;
          insMember.run(gid, p.id, m.role.key, at, at);
          members++;
        }
      }
    };
    for (const p of generatePeople(accounts, () => scale.peoplePerAccount, rng)) {
      if (current?.accountKey !== p.accountKey) {
        flushAccount();
        current = { accountKey: p.accountKey, rows: [] };
      }
      const id = newId("per");
      insPerson.run(
        id,
        accountIds.get(p.accountKey),
        p.firstName,
        p.lastName,
        p.email,
        p.phone,
        p.jobTitle,
        p.department,
        p.seniority,
        p.country,
        p.source,
        at,
        at,
      );
      current.rows.push({
        id,
        jobTitle: p.jobTitle,
        department: p.department,
        seniority: p.seniority,
        country: p.country,
        email: p.email,
      });
      people.push({ key: p.key, id, country: p.country });
    }
    flushAccount();
  })();
  sqlite.close();
  return { accounts: accounts.length, people, groups, members };
}

import { sql } from "kysely";
import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { chunks } from "../scores/scores.repo";
import { applyCrmRoles, type RoleSettings } from "./roles";
import { accountIdsOf, type PageResult, personIdsOf, type StoreContext, skipRecord } from "./store-context";
import type { AccountIn, DeletedIn, OpportunityContactIn, OpportunityIn, OwnerIn } from "./types";

/**
 * Accounts by `(crm, recordId)`: a linked account is updated; an unlinked one whose domain matches
 * exactly one account without a link to this CRM is linked to it (a CSV import of the same company);
 * otherwise a new account is created. Parents resolve once both are synced.
 */
export async function applyAccounts(ctx: StoreContext, records: AccountIn[], deleted: DeletedIn[]): Promise<PageResult> {
  const { trx, crm } = ctx;
  const at = ctx.now.toISOString();
  const linked = await accountIdsOf(
    trx,
    crm,
    records.map((r) => r.recordId),
  );
  const domains = [...new Set(records.flatMap((r) => (!linked.has(r.recordId) && r.domain ? [r.domain] : [])))];
  const byDomain = new Map<string, string[]>();
  for (const part of chunks(domains)) {
    const rows = await trx
      .selectFrom("accounts as a")
      .select(["a.id", "a.domain"])
      .where("a.domain", "in", part)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("account_crm_links as l")
              .select("l.account_id")
              .whereRef("l.account_id", "=", "a.id")
              .where("l.crm", "=", crm),
          ),
        ),
      )
      .execute();
    for (const r of rows) byDomain.set(r.domain!, [...(byDomain.get(r.domain!) ?? []), r.id]);
  }
  let written = 0;
  for (const r of records) {
    const fields = {
      name: r.name,
      domain: r.domain,
      industry: r.industry,
      market_segment: r.marketSegment,
      country: r.country,
      annual_revenue: r.annualRevenue,
      updated_at: at,
    };
    let id = linked.get(r.recordId);
    if (!id) {
      const candidates = r.domain ? (byDomain.get(r.domain) ?? []) : [];
      if (candidates.length === 1) {
        id = candidates[0]!;
        byDomain.delete(r.domain!);
      }
      if (!id) {
        id = newId("acc");
        await trx
          .insertInto("accounts")
          .values({ id, ...fields, parent_id: null, open_opportunities_count: 0, open_opportunities_amount: 0, created_at: at })
          .execute();
      }
      await trx
        .insertInto("account_crm_links")
        .values({ crm, record_id: r.recordId, account_id: id, created_at: at, parent_record_id: r.parentRecordId })
        .execute();
      linked.set(r.recordId, id);
    } else {
      await trx.updateTable("accounts").set(fields).where("id", "=", id).execute();
      await trx
        .updateTable("account_crm_links")
        .set({ parent_record_id: r.parentRecordId })
        .where("crm", "=", crm)
        .where("record_id", "=", r.recordId)
        .execute();
    }
    written++;
  }
  await resolveParents(trx, crm);
  return { written, deleted: await deleteAccounts(ctx, deleted) };
}

/** Sets `parent_id` from the CRM parent of every synced account whose parent is linked now. */
async function resolveParents(trx: Db, crm: string): Promise<void> {
  await sql`update accounts set parent_id = (
      select p.account_id from account_crm_links c join account_crm_links p on p.crm = c.crm and p.record_id = c.parent_record_id
      where c.account_id = accounts.id and c.crm = ${crm} limit 1)
    where id in (select c.account_id from account_crm_links c where c.crm = ${crm} and c.parent_record_id is not null)
      and (parent_id is null or parent_id <> coalesce((
      select p.account_id from account_crm_links c join account_crm_links p on p.crm = c.crm and p.record_id = c.parent_record_id
      where c.account_id = accounts.id and c.crm = ${crm} limit 1), ''))`.execute(trx);
}

/**
 * A deleted (or merged-away) CRM account: its link goes; the Quorum account goes too when no other
 * CRM record is linked to it (its groups with it). A merge moves the link's Quorum account under the
 * winner's record when the winner is not synced yet.
 */
async function deleteAccounts(ctx: StoreContext, deleted: DeletedIn[]): Promise<number> {
  const { trx, crm } = ctx;
  if (deleted.length === 0) return 0;
  const linked = await accountIdsOf(
    trx,
    crm,
    deleted.flatMap((d) => [d.recordId, ...(d.mergedInto ? [d.mergedInto] : [])]),
  );
  let n = 0;
  for (const d of deleted) {
    const id = linked.get(d.recordId);
    if (!id) continue;
    await trx.deleteFrom("account_crm_links").where("crm", "=", crm).where("record_id", "=", d.recordId).execute();
    if (d.mergedInto && !linked.has(d.mergedInto)) {
      // The winner has not come through yet: it takes over this account when it does.
      await trx
        .insertInto("account_crm_links")
        .values({ crm, record_id: d.mergedInto, account_id: id, created_at: ctx.now.toISOString(), parent_record_id: null })
        .execute();
      linked.set(d.mergedInto, id);
      n++;
      continue;
    }
    const others = await trx.selectFrom("account_crm_links").select("record_id").where("account_id", "=", id).limit(1).execute();
    if (others.length === 0) {
      const winner = d.mergedInto ? linked.get(d.mergedInto) : undefined;
      if (winner && winner !== id) {
        await trx.updateTable("people").set({ account_id: winner }).where("account_id", "=", id).execute();
        await trx.updateTable("crm_opportunities").set({ account_id: winner }).where("account_id", "=", id).execute();
      }
      await trx.deleteFrom("accounts").where("id", "=", id).execute();
      await writeAudit(trx, [
        {
          at: ctx.now.toISOString(),
          actorUserId: null,
          source: "system",
          action: d.mergedInto ? "account.merged_in_crm" : "account.deleted_in_crm",
          entityType: "account",
          entityId: id,
          groupId: null,
          details: { crm, recordId: d.recordId, mergedInto: d.mergedInto },
        },
      ]);
    }
    n++;
  }
  return n;
}

export async function applyOwners(ctx: StoreContext, records: OwnerIn[]): Promise<PageResult> {
  const at = ctx.now.toISOString();
  for (const r of records) {
    await ctx.trx
      .insertInto("crm_owners")
      .values({ crm: ctx.crm, record_id: r.recordId, name: r.name, email: r.email, active: r.active ? 1 : 0, updated_at: at })
      .onConflict((oc) =>
        oc.columns(["crm", "record_id"]).doUpdateSet({ name: r.name, email: r.email, active: r.active ? 1 : 0, updated_at: at }),
      )
      .execute();
  }
  return { written: records.length, deleted: 0 };
}

/** Opportunities/deals; the accounts they touch get their open-opportunity count and amount again. */
export async function applyOpportunities(ctx: StoreContext, records: OpportunityIn[], deleted: DeletedIn[]): Promise<PageResult> {
  const { trx, crm } = ctx;
  const at = ctx.now.toISOString();
  const accounts = await accountIdsOf(
    trx,
    crm,
    records.flatMap((r) => (r.accountRecordId ? [r.accountRecordId] : [])),
  );
  const touched = new Set<string>();
  let written = 0;
  const prior = new Map<string, string | null>();
  for (const part of chunks([...records.map((r) => r.recordId), ...deleted.map((d) => d.recordId)])) {
    for (const r of await trx
      .selectFrom("crm_opportunities")
      .select(["record_id", "account_id"])
      .where("crm", "=", crm)
      .where("record_id", "in", part)
      .execute())
      prior.set(r.record_id, r.account_id);
  }
  for (const r of records) {
    const accountId = r.accountRecordId ? accounts.get(r.accountRecordId) : undefined;
    if (!accountId) {
      skipRecord(
        ctx,
        r.recordId,
        r.accountRecordId ? `its account ${r.accountRecordId} is not synced (deleted, or skipped)` : "it has no account",
      );
      continue;
    }
    const row = {
      account_id: accountId,
      name: r.name,
      amount: r.amount,
      stage: r.stage,
      is_closed: r.isClosed ? 1 : 0,
      is_won: r.isWon ? 1 : 0,
      close_date: r.closeDate,
      owner_record_id: r.ownerRecordId,
      updated_at: at,
    };
    await trx
      .insertInto("crm_opportunities")
      .values({ crm, record_id: r.recordId, ...row })
      .onConflict((oc) => oc.columns(["crm", "record_id"]).doUpdateSet(row))
      .execute();
    if (r.contacts) await replaceOpportunityContacts(trx, crm, r.recordId, r.contacts);
    touched.add(accountId);
    const before = prior.get(r.recordId);
    if (before && before !== accountId) touched.add(before);
    written++;
  }
  for (const d of deleted) {
    const before = prior.get(d.recordId);
    if (before === undefined) continue;
    await trx.deleteFrom("crm_opportunities").where("crm", "=", crm).where("record_id", "=", d.recordId).execute();
    await trx
      .deleteFrom("crm_opportunity_contacts")
      .where("crm", "=", crm)
      .where("opportunity_record_id", "=", d.recordId)
      .execute();
    if (before) touched.add(before);
  }
  await refreshOpenOpportunities(trx, [...touched]);
  return { written, deleted: deleted.filter((d) => prior.has(d.recordId)).length };
}

async function replaceOpportunityContacts(trx: Db, crm: string, opportunity: string, contacts: OpportunityContactIn[]) {
  await trx
    .deleteFrom("crm_opportunity_contacts")
    .where("crm", "=", crm)
    .where("opportunity_record_id", "=", opportunity)
    .execute();
  const seen = new Set<string>();
  for (const c of contacts) {
    if (seen.has(c.contactRecordId)) continue;
    seen.add(c.contactRecordId);
    await trx
      .insertInto("crm_opportunity_contacts")
      .values({
        crm,
        opportunity_record_id: opportunity,
        contact_record_id: c.contactRecordId,
        role: c.role,
        is_primary: c.isPrimary ? 1 : 0,
      })
      .execute();
  }
}

/** Salesforce OpportunityContactRole rows (their own stream). */
export async function applyOpportunityContacts(
  ctx: StoreContext,
  records: OpportunityContactIn[],
  deleted: DeletedIn[],
  /** Write-back to the OpportunityContactRole is on: roles on each account's target opportunity come back as CRM roles. */
  roles: RoleSettings | null = null,
): Promise<PageResult> {
  for (const c of records) {
    const row = { role: c.role, is_primary: c.isPrimary ? 1 : 0 };
    await ctx.trx
      .insertInto("crm_opportunity_contacts")
      .values({ crm: ctx.crm, opportunity_record_id: c.opportunityRecordId, contact_record_id: c.contactRecordId, ...row })
      .onConflict((oc) => oc.columns(["crm", "opportunity_record_id", "contact_record_id"]).doUpdateSet(row))
      .execute();
  }
  // Deleted contact roles are named by their own id, which the table does not keep: the stream passes
  // them as `<opportunity>:<contact>` (see salesforce/sync.ts).
  for (const d of deleted) {
    const [opp, contact] = d.recordId.split(":");
    if (!opp || !contact) continue;
    await ctx.trx
      .deleteFrom("crm_opportunity_contacts")
      .where("crm", "=", ctx.crm)
      .where("opportunity_record_id", "=", opp)
      .where("contact_record_id", "=", contact)
      .execute();
  }
  if (roles) {
    // A deleted contact role on the target opportunity clears the contact's CRM role.
    const gone = deleted.flatMap((d) => {
      const [opp, contact] = d.recordId.split(":");
      return opp && contact ? [{ opportunityRecordId: opp, contactRecordId: contact, role: null, isPrimary: false }] : [];
    });
    if (records.length + gone.length > 0) await contactRolesFromCrm(ctx, [...records, ...gone], roles);
  }
  return { written: records.length, deleted: deleted.length };
}

/**
 * With write-back to the OpportunityContactRole, the role a person sets there is the contact's CRM
 * role when it sits on the opportunity write-back targets: the account's open opportunity closing
 * first (as `writeRole` picks it). Those come back through `applyCrmRoles` like a contact field.
 */
async function contactRolesFromCrm(ctx: StoreContext, records: OpportunityContactIn[], roles: RoleSettings) {
  const opps = new Map<string, string | null>();
  for (const part of chunks([...new Set(records.map((r) => r.opportunityRecordId))])) {
    for (const o of await ctx.trx
      .selectFrom("crm_opportunities")
      .select(["record_id", "account_id"])
      .where("crm", "=", ctx.crm)
      .where("record_id", "in", part)
      .where("is_closed", "=", 0)
      .execute())
      opps.set(o.record_id, o.account_id);
  }
  const target = new Map<string, string | null>();
  for (const accountId of new Set([...opps.values()].filter((a): a is string => a !== null))) {
    const first = await ctx.trx
      .selectFrom("crm_opportunities")
      .select("record_id")
      .where("crm", "=", ctx.crm)
      .where("account_id", "=", accountId)
      .where("is_closed", "=", 0)
      .orderBy("close_date")
      .orderBy("record_id")
      .limit(1)
      .executeTakeFirst();
    target.set(accountId, first?.record_id ?? null);
  }
  const onTarget = records.filter((r) => {
    const account = opps.get(r.opportunityRecordId);
    return account != null && target.get(account) === r.opportunityRecordId;
  });
  const people = await personIdsOf(
    ctx.trx,
    ctx.crm,
    onTarget.map((r) => r.contactRecordId),
  );
  const items = onTarget.flatMap((r) => {
    const personId = people.get(r.contactRecordId);
    return personId ? [{ personId, recordId: r.contactRecordId, value: r.role }] : [];
  });
  if (items.length) await applyCrmRoles(ctx, roles, items);
}

/** `accounts.open_opportunities_*` from the synced open opportunities of each account. */
async function refreshOpenOpportunities(trx: Db, accountIds: string[]): Promise<void> {
  for (const part of chunks(accountIds.sort())) {
    const sums = await trx
      .selectFrom("crm_opportunities")
      .select(["account_id", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("amount").as("amount")])
      .where("account_id", "in", part)
      .where("is_closed", "=", 0)
      .groupBy("account_id")
      .execute();
    const by = new Map(sums.map((s) => [s.account_id, s]));
    for (const id of part) {
      const s = by.get(id);
      await trx
        .updateTable("accounts")
        .set({ open_opportunities_count: Number(s?.n ?? 0), open_opportunities_amount: Number(s?.amount ?? 0) })
        .where("id", "=", id)
        .execute();
    }
  }
}

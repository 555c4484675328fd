import { sql } from "kysely";
import type { Account, CreateAccountInput } from "../../shared/api/accounts";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import type { AccountRow } from "../db/schema";

export function toAccount(row: AccountRow, links: Array<{ crm: string; record_id: string }>, peopleCount: number): Account {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    marketSegment: row.market_segment,
    country: row.country,
    annualRevenue: row.annual_revenue,
    parentId: row.parent_id,
    openOpportunities: { count: row.open_opportunities_count, amount: row.open_opportunities_amount },
    currency: row.currency,
    crmLinks: links.map((l) => ({ crm: l.crm, recordId: l.record_id })),
    peopleCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Loads accounts with their CRM links and people counts, in the order of `ids`. */
export async function getAccounts(db: Db, ids: string[]): Promise<Account[]> {
  if (ids.length === 0) return [];
  const [rows, links] = await Promise.all([
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
      .where("a.id", "in", ids)
      .execute(),
    db
      .selectFrom("account_crm_links")
      .select(["account_id", "crm", "record_id"])
      .where("account_id", "in", ids)
      .orderBy("crm")
      .execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      toAccount(
        row,
        links.filter((l) => l.account_id === id),
        Number(row.people_count ?? 0),
      ),
    ];
  });
}

export async function searchAccounts(db: Db, q: string | undefined, limit: number, offset: number) {
  let query = db.selectFrom("accounts");
  if (q) {
    const like = `%${q.toLowerCase()}%`;
    query = query.where((eb) => eb.or([eb(sql`lower(name)`, "like", like), eb("domain", "like", like)]));
  }
  const [ids, total] = await Promise.all([
    query.select("id").orderBy("name").orderBy("id").limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return {
    items: await getAccounts(
      db,
      ids.map((r) => r.id),
    ),
    total: Number(total.n),
  };
}

export async function findAccountIdByCrm(db: Db, crm: string, recordId: string): Promise<string | null> {
  const row = await db
    .selectFrom("account_crm_links")
    .select("account_id")
    .where("crm", "=", crm)
    .where("record_id", "=", recordId)
    .executeTakeFirst();
  return row?.account_id ?? null;
}

export async function findAccountIdsByDomain(db: Db, domain: string): Promise<string[]> {
  const rows = await db.selectFrom("accounts").select("id").where("domain", "=", domain).orderBy("name").limit(20).execute();
  return rows.map((r) => r.id);
}

export async function findAccountIdsByName(db: Db, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom("accounts")
    .select("id")
    .where(sql`lower(name)`, "=", name.toLowerCase())
    .orderBy("id")
    .limit(20)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertAccount(db: Db, input: CreateAccountInput, now: string): Promise<string> {
  const id = newId("acc");
  await db
    .insertInto("accounts")
    .values({
      id,
      name: input.name,
      domain: input.domain,
      industry: input.industry,
      market_segment: input.marketSegment,
      country: input.country,
      annual_revenue: input.annualRevenue,
      parent_id: input.parentId,
      open_opportunities_count: input.openOpportunitiesCount,
      open_opportunities_amount: input.openOpportunitiesAmount,
      currency: input.currency,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (input.crmLinks.length > 0) {
    await db
      .insertInto("account_crm_links")
      .values(input.crmLinks.map((l) => ({ crm: l.crm, record_id: l.recordId, account_id: id, created_at: now })))
      .execute();
  }
  return id;
}

export async function insertCrmLink(db: Db, accountId: string, crm: string, recordId: string, now: string): Promise<void> {
  await db.insertInto("account_crm_links").values({ crm, record_id: recordId, account_id: accountId, created_at: now }).execute();
}

export async function accountExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
}

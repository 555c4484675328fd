import type { Db } from "../db/create-db";
import { chunks } from "../scores/scores.repo";
import type { BatchResult } from "./types";

export const emptyResult = (): BatchResult => ({ imported: 0, duplicates: 0, rejected: [] });

export function addResult(total: BatchResult, part: BatchResult): void {
  total.imported += part.imported;
  total.duplicates += part.duplicates;
  total.rejected.push(...part.rejected);
}

/**
 * Writes a batch with `attempt` (one transaction). When that transaction fails, nothing of it is kept and
 * the rows are written one by one, each in its own transaction, so that one bad row is rejected with the
 * database's reason and the others still go in. `attempt` must only update its in-memory state after
 * its transaction committed.
 */
export async function writeWithFallback<R extends { line: number }>(
  batch: readonly R[],
  attempt: (part: readonly R[]) => Promise<BatchResult>,
): Promise<BatchResult> {
  try {
    return await attempt(batch);
  } catch (err) {
    if (batch.length > 1) {
      const total = emptyResult();
      for (const row of batch) addResult(total, await writeWithFallback([row], attempt));
      return total;
    }
    const reason = `could not be written: ${err instanceof Error ? err.message : String(err)}`;
    return { imported: 0, duplicates: 0, rejected: batch.map((r) => ({ line: r.line, reason })) };
  }
}

export const linkKey = (crm: string, recordId: string) => `${crm}\u0000${recordId}`;

/** Account ids by domain (sorted by name, then id), for the domains that have any. */
export async function accountIdsByDomain(db: Db, domains: Iterable<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const part of chunks([...new Set(domains)], 400)) {
    const rows = await db
      .selectFrom("accounts")
      .select(["id", "domain"])
      .where("domain", "in", part)
      .orderBy("name")
      .orderBy("id")
      .execute();
    for (const r of rows) if (r.domain) out.set(r.domain, [...(out.get(r.domain) ?? []), r.id]);
  }
  return out;
}

/** The accounts that CRM records are linked to, by `linkKey`. */
export async function accountIdsByCrmLink(
  db: Db,
  links: Iterable<{ crm: string; recordId: string }>,
): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  const recordIds = new Set<string>();
  for (const l of links) {
    wanted.add(linkKey(l.crm, l.recordId));
    recordIds.add(l.recordId);
  }
  const out = new Map<string, string>();
  for (const part of chunks([...recordIds], 400)) {
    const rows = await db
      .selectFrom("account_crm_links")
      .select(["crm", "record_id", "account_id"])
      .where("record_id", "in", part)
      .execute();
    for (const r of rows) {
      const key = linkKey(r.crm, r.record_id);
      if (wanted.has(key)) out.set(key, r.account_id);
    }
  }
  return out;
}

/** Which of these account ids exist. */
export async function existingAccountIds(db: Db, ids: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks([...new Set(ids)], 400)) {
    for (const r of await db.selectFrom("accounts").select("id").where("id", "in", part).execute()) out.add(r.id);
  }
  return out;
}

import type { SkippedRecord } from "../../shared/api/connections";
import type { Db } from "../db/create-db";
import type { Deps } from "../deps";
import { chunks } from "../scores/scores.repo";

/** What a page's writes need: the open transaction, the CRM, the time, and where to report skips. */
export interface StoreContext {
  deps: Deps;
  trx: Db;
  crm: string;
  connectionId: string;
  stream: string;
  now: Date;
  skipped: SkippedRecord[];
  /** Groups whose scores must be recomputed before the page commits. */
  touchedGroups: Set<string>;
}

export interface PageResult {
  written: number;
  deleted: number;
}

export const skipRecord = (ctx: StoreContext, recordId: string, reason: string) =>
  ctx.skipped.push({ stream: ctx.stream, recordId, reason });

/** Quorum ids of the accounts linked to these CRM records. */
export async function accountIdsOf(trx: Db, crm: string, recordIds: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(recordIds)])) {
    const rows = await trx
      .selectFrom("account_crm_links")
      .select(["record_id", "account_id"])
      .where("crm", "=", crm)
      .where("record_id", "in", part)
      .execute();
    for (const r of rows) out.set(r.record_id, r.account_id);
  }
  return out;
}

/** Quorum ids of the people linked to these CRM records. */
export async function personIdsOf(trx: Db, crm: string, recordIds: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(recordIds)])) {
    const rows = await trx
      .selectFrom("person_crm_links")
      .select(["record_id", "person_id"])
      .where("crm", "=", crm)
      .where("record_id", "in", part)
      .execute();
    for (const r of rows) out.set(r.record_id, r.person_id);
  }
  return out;
}

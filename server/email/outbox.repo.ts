import { dayInTimeZone } from "../../shared/scoring/days";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import type { EmailOutboxTable } from "../db/schema";

export type OutboxRow = EmailOutboxTable;

/** The activity type every delivered message is recorded as (in the catalogue, never scored). */
export const SALES_EMAIL_SENT = "sales-email-sent";

/**
 * Claims up to `limit` due messages for `owner` until `leaseUntil`, atomically: one
 * `UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING`. The outer WHERE repeats the due conditions so
 * two workers racing on PostgreSQL (READ COMMITTED re-checks them) never both get a row; there the
 * inner SELECT is also `FOR UPDATE SKIP LOCKED`, so the workers of several server processes claim
 * different messages at the same moment instead of waiting for each other and coming back empty.
 * SQLite has one writer at a time. A row whose lease ran out (its worker died) is due again and keeps
 * its Message-ID.
 */
export async function claimDue(db: Db, owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxRow[]> {
  const pg = isPostgres(db);
  const rows = await db
    .updateTable("email_outbox")
    .set((eb) => ({ lease_owner: owner, lease_until: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("email_outbox")
        .select("id")
        .where("status", "=", "queued")
        .where("next_attempt_at", "<=", now)
        .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", now)]))
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(limit)
        .$if(pg, (q) => q.forUpdate().skipLocked()),
    )
    .where("status", "=", "queued")
    .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", now)]))
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id.localeCompare(b.id));
}

/**
 * Marks a message sent and records the `sales-email-sent` activity of the person, in one transaction.
 * The activity is idempotent on `quorum-email:<outbox id>`; its type does not count toward engagement,
 * so no score moves and none is recomputed.
 */
export async function markSent(db: Db, row: OutboxRow, sentAt: Date, timeZone: string): Promise<void> {
  const at = sentAt.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("email_outbox")
      .set({ status: "sent", sent_at: at, lease_owner: null, lease_until: null, last_error: null })
      .where("id", "=", row.id)
      .where("status", "=", "queued")
      .execute();
    const day = timeZone === "UTC" ? at.slice(0, 10) : dayInTimeZone(sentAt, timeZone);
    const inserted = await trx
      .insertInto("activities")
      .values({
        external_id: `quorum-email:${row.id}`,
        person_id: row.person_id,
        type_id: SALES_EMAIL_SENT,
        occurred_at: at,
        day,
        metadata: JSON.stringify({
          emailId: row.email_id,
          groupId: row.group_id,
          messageId: row.message_id,
          subject: row.subject,
        }),
        ingested_at: at,
      })
      .onConflict((oc) => oc.column("external_id").doNothing())
      .returning("external_id")
      .execute();
    if (inserted.length === 0) return;
    await trx
      .insertInto("activity_daily")
      .values({ person_id: row.person_id, type_id: SALES_EMAIL_SENT, day, count: 1 })
      .onConflict((oc) =>
        oc.columns(["person_id", "day", "type_id"]).doUpdateSet((eb) => ({ count: eb("activity_daily.count", "+", 1) })),
      )
      .execute();
  });
}

/** A failed attempt: retry at `retryAt`, or give up (`retryAt` null). Only the lease owner may record it. */
export async function markAttemptFailed(db: Db, row: OutboxRow, owner: string, error: string, retryAt: string | null) {
  await db
    .updateTable("email_outbox")
    .set({
      status: retryAt ? "queued" : "failed",
      next_attempt_at: retryAt ?? row.next_attempt_at,
      lease_owner: null,
      lease_until: null,
      last_error: error.slice(0, 1000),
    })
    .where("id", "=", row.id)
    .where("status", "=", "queued")
    .where("lease_owner", "=", owner)
    .execute();
}

export async function outboxCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("email_outbox")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

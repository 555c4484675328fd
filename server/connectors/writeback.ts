import { randomBytes } from "node:crypto";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { newId } from "../db/ids";
import type { CrmWritebackOutboxTable } from "../db/schema";
import type { Deps } from "../deps";
import { listEvents } from "../events/events.repo";
import { type ConnectionRow, setConnectionStatus, settingsOf } from "./connections.repo";
import { ConnectorError, defaultRetryPolicy, type RetryPolicy } from "./errors";
import { buildConnector } from "./registry";
import { desiredCrmValue } from "./roles";

/**
 * Role write-back through an outbox, like emails. `enqueueWriteback` follows the event feed from the
 * connection's cursor: every membership event of a person linked to the connection's CRM becomes one
 * outbox row (unique per connection and event, so a replay adds nothing) carrying the value the
 * contact should hold then — the mapped roles of the person's active memberships. The drainer claims
 * due rows with a lease, writes the value (an absolute value: sending it twice has one effect) and
 * marks the row sent together with the value now in the CRM, which is how the next sync tells our
 * own write from a person's change. Failures are retried with capped backoff, then shown as failed.
 * A row older than another of the same contact is `superseded` (not written): only the newest value
 * the contact should hold goes out.
 */
const MEMBER_EVENTS = new Set(["member.assigned", "member.removed", "member.role_changed"]);
const MAX_ATTEMPTS = 8;

export async function enqueueWriteback(deps: Deps, conn: ConnectionRow): Promise<number> {
  const settings = settingsOf(conn);
  if (!settings.writeback.enabled) return 0;
  let queued = 0;
  for (;;) {
    const page = await listEvents(deps.db, conn.writeback_cursor ?? undefined, 500);
    if (page.items.length === 0) return queued;
    const now = deps.clock().toISOString();
    await deps.db.transaction().execute(async (trx) => {
      const people = [...new Set(page.items.filter((e) => MEMBER_EVENTS.has(e.type) && e.personId).map((e) => e.personId!))];
      const links = people.length
        ? await trx
            .selectFrom("person_crm_links")
            .select(["person_id", "record_id", "crm_role"])
            .where("crm", "=", conn.crm)
            .where("person_id", "in", people)
            .execute()
        : [];
      const linkOf = new Map(links.map((l) => [l.person_id, l]));
      // Records with a write still waiting: a change back to the CRM's value must still queue a row,
      // or the waiting one (now stale) would be written.
      const waiting = new Set(
        links.length
          ? (
              await trx
                .selectFrom("crm_writeback_outbox")
                .select("record_id")
                .where("connection_id", "=", conn.id)
                .where("status", "=", "queued")
                .where(
                  "record_id",
                  "in",
                  links.map((l) => l.record_id),
                )
                .execute()
            ).map((r) => r.record_id)
          : [],
      );
      const rows: CrmWritebackOutboxTable[] = [];
      for (const e of page.items) {
        const link = e.personId ? linkOf.get(e.personId) : undefined;
        if (!MEMBER_EVENTS.has(e.type) || !link) continue;
        const value = await desiredCrmValue(trx, link.person_id, settings.writeback.roleMapping);
        // The CRM already holds it (a role that came from the CRM, or an earlier write): nothing to do.
        if ((value ?? "") === (link.crm_role ?? "") && !waiting.has(link.record_id)) continue;
        rows.push({
          id: newId("wbk"),
          connection_id: conn.id,
          event_id: e.id,
          person_id: link.person_id,
          record_id: link.record_id,
          value,
          status: "queued",
          attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          last_error: null,
          created_at: now,
          sent_at: null,
        });
      }
      if (rows.length) {
        await trx
          .insertInto("crm_writeback_outbox")
          .values(rows)
          .onConflict((oc) => oc.columns(["connection_id", "event_id"]).doNothing())
          .execute();
      }
      await trx.updateTable("crm_connections").set({ writeback_cursor: page.next }).where("id", "=", conn.id).execute();
      queued += rows.length;
    });
    conn = { ...conn, writeback_cursor: page.next };
    if (!page.hasMore) return queued;
  }
}

async function claimDue(db: Db, connectionId: string, owner: string, now: Date, leaseMs: number, limit: number) {
  const at = now.toISOString();
  return db
    .updateTable("crm_writeback_outbox")
    .set((eb) => ({
      lease_owner: owner,
      lease_until: new Date(now.getTime() + leaseMs).toISOString(),
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "in", (eb) =>
      eb
        .selectFrom("crm_writeback_outbox")
        .select("id")
        .where("connection_id", "=", connectionId)
        .where("status", "=", "queued")
        .where("next_attempt_at", "<=", at)
        .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", at)]))
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .$if(isPostgres(db), (q) => q.forUpdate().skipLocked()),
    )
    .where("status", "=", "queued")
    .returningAll()
    .execute();
}

/** Writes due rows of one connection; returns how many it tried. */
export async function drainWriteback(
  deps: Deps,
  conn: ConnectionRow,
  owner: string,
  policy: RetryPolicy,
  leaseMs = 120_000,
): Promise<number> {
  const settings = settingsOf(conn);
  const claimed = await claimDue(deps.db, conn.id, owner, deps.clock(), leaseMs, 50);
  if (claimed.length === 0) return 0;
  // Only a contact's newest change is written: an older row (a retry that waited while the role changed
  // again, or two changes queued together) would put back a value Quorum no longer holds.
  const order = await deps.db
    .selectFrom("crm_writeback_outbox as o")
    .innerJoin("events as e", "e.id", "o.event_id")
    .select(["o.id", "o.record_id", "e.seq"])
    .where("o.connection_id", "=", conn.id)
    .where("o.record_id", "in", [...new Set(claimed.map((r) => r.record_id))])
    .execute();
  const seqOf = new Map(order.map((o) => [o.id, Number(o.seq)]));
  const newest = new Map<string, number>();
  for (const o of order) newest.set(o.record_id, Math.max(newest.get(o.record_id) ?? -1, Number(o.seq)));
  const superseded = claimed.filter((r) => (seqOf.get(r.id) ?? 0) < (newest.get(r.record_id) ?? 0));
  if (superseded.length) {
    await deps.db
      .updateTable("crm_writeback_outbox")
      .set({ status: "superseded", lease_owner: null, lease_until: null })
      .where(
        "id",
        "in",
        superseded.map((r) => r.id),
      )
      .where("lease_owner", "=", owner)
      .execute();
  }
  const rows = claimed.filter((r) => !superseded.includes(r)).sort((a, b) => (seqOf.get(a.id) ?? 0) - (seqOf.get(b.id) ?? 0));
  if (rows.length === 0) return claimed.length;
  const connector = await buildConnector(deps, conn, policy);
  const target = {
    kind: settings.writeback.target,
    field: settings.writeback.field ?? (conn.crm === "hubspot" ? "hs_buying_role" : null),
  };
  try {
    await connector.signIn();
  } catch (err) {
    await connector.settle();
    await release(deps.db, rows, owner, err);
    if (err instanceof ConnectorError && err.kind === "auth")
      await setConnectionStatus(deps.db, conn.id, "needs_sign_in", err.message, deps.clock().toISOString());
    return rows.length;
  }
  for (const row of rows) {
    try {
      await connector.writeRole(row.record_id, row.value, target);
    } catch (err) {
      await connector.settle();
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS || (err instanceof ConnectorError && err.kind === "permanent");
      const retryAt = new Date(deps.clock().getTime() + Math.min(3_600_000, 30_000 * 2 ** (row.attempts - 1))).toISOString();
      await deps.db
        .updateTable("crm_writeback_outbox")
        .set({
          status: giveUp ? "failed" : "queued",
          next_attempt_at: giveUp ? row.next_attempt_at : retryAt,
          lease_owner: null,
          lease_until: null,
          last_error: message.slice(0, 1000),
        })
        .where("id", "=", row.id)
        .where("lease_owner", "=", owner)
        .execute();
      if (err instanceof ConnectorError && err.kind === "auth") {
        await setConnectionStatus(deps.db, conn.id, "needs_sign_in", message, deps.clock().toISOString());
        await release(deps.db, rows.slice(rows.indexOf(row) + 1), owner, err);
        return rows.length;
      }
      continue;
    }
    await connector.settle();
    // Nothing awaited between the CRM's acceptance and this commit but the connection to the database.
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("crm_writeback_outbox")
        .set({ status: "sent", sent_at: deps.clock().toISOString(), lease_owner: null, lease_until: null, last_error: null })
        .where("id", "=", row.id)
        .execute();
      await trx
        .updateTable("person_crm_links")
        .set({ crm_role: row.value })
        .where("crm", "=", conn.crm)
        .where("record_id", "=", row.record_id)
        .execute();
    });
  }
  return rows.length;
}

/** Gives claims back untried (their attempt is not counted), e.g. when signing in failed. */
async function release(db: Db, rows: CrmWritebackOutboxTable[], owner: string, err: unknown) {
  if (rows.length === 0) return;
  await db
    .updateTable("crm_writeback_outbox")
    .set((eb) => ({
      lease_owner: null,
      lease_until: null,
      attempts: eb("attempts", "-", 1),
      last_error: String(err instanceof Error ? err.message : err).slice(0, 1000),
    }))
    .where(
      "id",
      "in",
      rows.map((r) => r.id),
    )
    .where("lease_owner", "=", owner)
    .execute();
}

/** One round over every connection with write-back on: enqueue new changes, then drain what is due. */
export async function writebackOnce(deps: Deps, owner: string, policy: RetryPolicy = defaultRetryPolicy()): Promise<number> {
  const conns = await deps.db.selectFrom("crm_connections").selectAll().where("status", "=", "connected").execute();
  let worked = 0;
  for (const c of conns) {
    if (!settingsOf(c).writeback.enabled) continue;
    await enqueueWriteback(deps, c);
    const fresh = await deps.db.selectFrom("crm_connections").selectAll().where("id", "=", c.id).executeTakeFirst();
    if (fresh) worked += await drainWriteback(deps, fresh, owner, policy);
  }
  return worked;
}

/** The write-back drainer in the task shape `start(deps) => { stop() }`; polls every `pollMs`. */
export function startWritebackWorker(
  deps: Deps,
  options: { pollMs?: number; policy?: RetryPolicy; log?: (m: string) => void } = {},
) {
  const owner = `wbk_${randomBytes(6).toString("hex")}`;
  let stopped = false;
  let current: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (current || stopped) return;
    current = writebackOnce(deps, owner, options.policy)
      .catch((err: unknown) => options.log?.(`[quorum] write-back: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        current = null;
      });
  }, options.pollMs ?? 2000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

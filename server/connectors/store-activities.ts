import type { ConnectorCrm } from "../../shared/api/connections";
import { ingestActivities } from "../activities/activities.service";
import { chunks } from "../scores/scores.repo";
import { applyRollupChanges, type RollupChange } from "../scores/scores.service";
import { mappingResolver } from "./activity-mapping";
import { type PageResult, personIdsOf, type StoreContext, skipRecord } from "./store-context";
import type { ActivityIn, DeletedIn } from "./types";

/** `salesforce:Task:00T…` — the activity's external id (ingest is idempotent on it). */
export const activityExternalId = (crm: string, recordId: string) => `${crm}:${recordId}`;

/**
 * CRM activities through the same ingest as the API (validation, idempotency on the external id,
 * daily rollup, scores), inside the page's transaction. Kinds the mapping leaves without a type are
 * not imported (not an error); activities of contacts Quorum does not have are skipped with the reason.
 */
export async function applyActivities(ctx: StoreContext, records: ActivityIn[], deleted: DeletedIn[]): Promise<PageResult> {
  const typeOf = await mappingResolver(ctx.trx, ctx.crm as ConnectorCrm, ctx.now.toISOString());
  const people = await personIdsOf(
    ctx.trx,
    ctx.crm,
    records.flatMap((r) => (r.contactRecordId ? [r.contactRecordId] : [])),
  );
  const byEmail = new Map<string, string>();
  const emails = [...new Set(records.flatMap((r) => (!r.contactRecordId && r.email ? [r.email.toLowerCase()] : [])))];
  for (const part of chunks(emails)) {
    for (const p of await ctx.trx.selectFrom("people").select(["id", "email"]).where("email", "in", part).execute())
      byEmail.set(p.email!, p.id);
  }
  const items: Array<{
    externalId: string;
    personId: string;
    type: string;
    occurredAt: string;
    metadata: ActivityIn["metadata"];
  }> = [];
  const recordOf: string[] = [];
  for (const r of records) {
    const type = await typeOf(r.sourceKey);
    if (!type) continue;
    const personId = r.contactRecordId ? people.get(r.contactRecordId) : r.email ? byEmail.get(r.email.toLowerCase()) : undefined;
    if (!personId) {
      skipRecord(
        ctx,
        r.recordId,
        r.contactRecordId
          ? `its contact ${r.contactRecordId} is not synced (deleted, or skipped)`
          : `no person has the address ${r.email ?? "(none)"}`,
      );
      continue;
    }
    const metadata = Object.fromEntries(Object.entries(r.metadata).filter(([, v]) => v !== null));
    items.push({ externalId: activityExternalId(ctx.crm, r.recordId), personId, type, occurredAt: r.occurredAt, metadata });
    recordOf.push(r.recordId);
  }
  let written = 0;
  if (items.length > 0) {
    const result = await ingestActivities({ ...ctx.deps, db: ctx.trx }, items);
    for (const rej of result.rejected) skipRecord(ctx, recordOf[rej.index] ?? "?", rej.reason);
    written = result.accepted + result.duplicate;
  }
  return { written, deleted: await deleteActivities(ctx, deleted) };
}

/** Deleted CRM activities leave the timeline, the daily rollup and the scores. */
async function deleteActivities(ctx: StoreContext, deleted: DeletedIn[]): Promise<number> {
  if (deleted.length === 0) return 0;
  const ids = deleted.map((d) => activityExternalId(ctx.crm, d.recordId));
  const changes: RollupChange[] = [];
  let n = 0;
  for (const part of chunks(ids)) {
    // Campaign statuses are stored per status (`CampaignMember:<id>:<status>`): match them by prefix too.
    const rows = await ctx.trx
      .selectFrom("activities")
      .select(["external_id", "person_id", "type_id", "day"])
      .where((eb) =>
        eb.or([
          eb("external_id", "in", part),
          ...part.filter((p) => p.includes(":CampaignMember:")).map((p) => eb("external_id", "like", `${p}:%`)),
        ]),
      )
      .execute();
    for (const r of rows) {
      await ctx.trx.deleteFrom("activities").where("external_id", "=", r.external_id).execute();
      const day = await ctx.trx
        .updateTable("activity_daily")
        .set((eb) => ({ count: eb("count", "-", 1) }))
        .where("person_id", "=", r.person_id)
        .where("type_id", "=", r.type_id)
        .where("day", "=", r.day)
        .returning("count")
        .executeTakeFirst();
      const after = day?.count ?? 0;
      if (after <= 0)
        await ctx.trx
          .deleteFrom("activity_daily")
          .where("person_id", "=", r.person_id)
          .where("type_id", "=", r.type_id)
          .where("day", "=", r.day)
          .execute();
      changes.push({ personId: r.person_id, typeId: r.type_id, day: r.day, before: after + 1, after: Math.max(0, after) });
      n++;
    }
  }
  await applyRollupChanges(ctx.trx, ctx.deps, changes, ctx.now);
  return n;
}

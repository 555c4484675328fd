import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { toJson } from "../db/json";

export interface AuditEntry {
  at: string;
  actorUserId: string | null;
  source: string;
  action: string;
  entityType: string;
  entityId: string;
  groupId: string | null;
  details: unknown;
}

/** Appends audit rows; call inside the transaction that made the change so both land or neither. */
export async function writeAudit(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("audit_log")
    .values(
      entries.map((e) => ({
        id: newId("aud"),
        at: e.at,
        actor_user_id: e.actorUserId,
        source: e.source,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        group_id: e.groupId,
        details: toJson(e.details),
      })),
    )
    .execute();
}

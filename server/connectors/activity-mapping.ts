import type { ActivityMapping, ConnectorCrm } from "../../shared/api/connections";
import { insertActivityType } from "../activities/activity-types.repo";
import type { Db } from "../db/create-db";

/**
 * CRM activities → the activity catalogue. The seeds have no type for sales calls and meetings, so
 * the sync adds two custom types (Sales engagement; calls weigh like an event registration, meetings
 * like attending). Keys without a type are not imported; an admin changes any of this on the
 * Connections screen (stored in `crm_activity_mappings`, which overrides these defaults).
 */
export const CRM_ACTIVITY_TYPES = [
  {
    id: "sales-call",
    name: "Sales Call",
    description: "Had a call with sales (logged in the CRM)",
    engagementType: "Sales",
    dailyCap: 20,
    weight: 60,
    countsTowardEngagement: true,
  },
  {
    id: "sales-meeting",
    name: "Sales Meeting",
    description: "Met with sales (logged in the CRM)",
    engagementType: "Sales",
    dailyCap: 20,
    weight: 90,
    countsTowardEngagement: true,
  },
] as const;

export const DEFAULT_MAPPINGS: Record<ConnectorCrm, Array<{ key: string; label: string; typeId: string | null }>> = {
  salesforce: [
    { key: "task:Call", label: "Task, subtype Call", typeId: "sales-call" },
    { key: "task:Email", label: "Task, subtype Email (logged email)", typeId: "sales-email-sent" },
    { key: "task:ListEmail", label: "Task, subtype List Email", typeId: "sales-email-sent" },
    { key: "task:Task", label: "Task, no subtype (to-do)", typeId: null },
    { key: "task:LinkedIn", label: "Task, subtype LinkedIn", typeId: null },
    { key: "task:Cadence", label: "Task, subtype Cadence", typeId: null },
    { key: "event:Event", label: "Event (meeting)", typeId: "sales-meeting" },
    { key: "campaign:Sent", label: "Campaign member, status Sent", typeId: null },
    { key: "campaign:Registered", label: "Campaign member, status Registered", typeId: "register-for-event" },
    { key: "campaign:Attended", label: "Campaign member, status Attended", typeId: "attend-event" },
    { key: "campaign:Responded", label: "Campaign member, status Responded", typeId: "fill-out-form" },
  ],
  hubspot: [
    { key: "call", label: "Call", typeId: "sales-call" },
    { key: "meeting", label: "Meeting", typeId: "sales-meeting" },
    { key: "email:EMAIL", label: "Email sent by a rep", typeId: "sales-email-sent" },
    { key: "email:INCOMING_EMAIL", label: "Email reply from the contact", typeId: "reply-to-sales-email" },
    { key: "email:FORWARDED_EMAIL", label: "Forwarded email", typeId: null },
    { key: "form_submission", label: "Form submission", typeId: "fill-out-form" },
    { key: "marketing_email:OPEN", label: "Marketing email opened", typeId: "open-email" },
    { key: "marketing_email:CLICK", label: "Marketing email clicked", typeId: "click-email" },
  ],
};

/** Adds the two custom types once (an admin's later edits to them are kept). */
export async function ensureCrmActivityTypes(db: Db, now: string): Promise<void> {
  for (const t of CRM_ACTIVITY_TYPES) await insertActivityType(db, t, false, now);
}

/** The mapping in force for a CRM: defaults, overridden by stored rows, plus keys seen since. */
export async function activityMappings(db: Db, crm: ConnectorCrm): Promise<ActivityMapping[]> {
  const stored = await db.selectFrom("crm_activity_mappings").select(["source_key", "type_id"]).where("crm", "=", crm).execute();
  const byKey = new Map(stored.map((r) => [r.source_key, r.type_id]));
  const out: ActivityMapping[] = DEFAULT_MAPPINGS[crm].map((d) => ({
    crm,
    sourceKey: d.key,
    label: d.label,
    typeId: byKey.has(d.key) ? (byKey.get(d.key) ?? null) : d.typeId,
  }));
  for (const [key, typeId] of byKey)
    if (!out.some((m) => m.sourceKey === key)) out.push({ crm, sourceKey: key, label: key, typeId });
  return out;
}

/** key → type id (null: not imported); a key never seen before is recorded (unmapped) so the admin sees it. */
export async function mappingResolver(db: Db, crm: ConnectorCrm, now: string) {
  const map = new Map((await activityMappings(db, crm)).map((m) => [m.sourceKey, m.typeId]));
  return async (key: string): Promise<string | null> => {
    if (map.has(key)) return map.get(key) ?? null;
    map.set(key, null);
    await db
      .insertInto("crm_activity_mappings")
      .values({ crm, source_key: key, type_id: null, updated_at: now })
      .onConflict((oc) => oc.columns(["crm", "source_key"]).doNothing())
      .execute();
    return null;
  };
}

export async function saveActivityMappings(
  db: Db,
  crm: ConnectorCrm,
  items: Array<{ sourceKey: string; typeId: string | null }>,
  now: string,
) {
  for (const i of items) {
    await db
      .insertInto("crm_activity_mappings")
      .values({ crm, source_key: i.sourceKey, type_id: i.typeId, updated_at: now })
      .onConflict((oc) => oc.columns(["crm", "source_key"]).doUpdateSet({ type_id: i.typeId, updated_at: now }))
      .execute();
  }
}

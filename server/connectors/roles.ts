import { QuorumError } from "../../shared/errors";
import type { Db } from "../db/create-db";
import { applyMembershipChanges, type MemberChange } from "../members/membership.service";
import { chunks } from "../scores/scores.repo";
import { rolesByTemplate } from "../templates/templates.repo";
import { type StoreContext, skipRecord } from "./store-context";

/** Quorum role key → CRM value (the Connections screen's role mapping). */
export interface RoleSettings {
  roleMapping: Record<string, string>;
}

/** Multi-select values (HubSpot `hs_buying_role`, Salesforce multi-picklists) are `;`-separated. */
export const splitValues = (v: string | null | undefined): string[] =>
  (v ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);

/** The CRM value for a set of Quorum roles: mapped values, unique, in a stable order; null when none. */
export function crmValueFor(roleKeys: Iterable<string>, mapping: Record<string, string>): string | null {
  const values = [...new Set([...roleKeys].flatMap((k) => (mapping[k] ? [mapping[k]!] : [])))].sort();
  return values.length ? values.join(";") : null;
}

const sameValue = (a: string | null, b: string | null) =>
  crmValueFor(splitValues(a), idMap(a, b)) === crmValueFor(splitValues(b), idMap(a, b));
function idMap(a: string | null, b: string | null): Record<string, string> {
  const m: Record<string, string> = {};
  for (const v of [...splitValues(a), ...splitValues(b)]) m[v] = v;
  return m;
}

/**
 * Roles set in the CRM come back as **manual** membership changes, so the precedence rules decide.
 * Only a value that differs from the one last seen in (or written to) the CRM is a person's change:
 * Quorum's own write-back and unchanged records move nothing. A mapped role puts the person in that
 * role in each of the account's groups whose template has it; a cleared value removes them.
 */
export async function applyCrmRoles(
  ctx: StoreContext,
  settings: RoleSettings,
  items: Array<{ personId: string; recordId: string; value: string | null }>,
): Promise<void> {
  const { trx, crm } = ctx;
  const stored = new Map<string, string | null>();
  for (const part of chunks(items.map((i) => i.recordId))) {
    for (const r of await trx
      .selectFrom("person_crm_links")
      .select(["record_id", "crm_role"])
      .where("crm", "=", crm)
      .where("record_id", "in", part)
      .execute())
      stored.set(r.record_id, r.crm_role);
  }
  const reverse = new Map(Object.entries(settings.roleMapping).map(([k, v]) => [v.toLowerCase(), k]));
  for (const item of items) {
    if (sameValue(stored.get(item.recordId) ?? null, item.value)) continue;
    await trx
      .updateTable("person_crm_links")
      .set({ crm_role: item.value })
      .where("crm", "=", crm)
      .where("record_id", "=", item.recordId)
      .execute();
    const wanted = splitValues(item.value).flatMap((v) => (reverse.has(v.toLowerCase()) ? [reverse.get(v.toLowerCase())!] : []));
    if (splitValues(item.value).length > 0 && wanted.length === 0) {
      skipRecord(ctx, item.recordId, `buying role '${item.value}' is not in the connection's role mapping`);
      continue;
    }
    const person = await trx.selectFrom("people").select("account_id").where("id", "=", item.personId).executeTakeFirst();
    if (!person?.account_id) continue;
    const groups = await trx
      .selectFrom("buying_groups")
      .select(["id", "role_template_id"])
      .where("account_id", "=", person.account_id)
      .orderBy("id")
      .execute();
    const templateRoles = await rolesByTemplate(trx, [...new Set(groups.map((g) => g.role_template_id))]);
    const members = await trx
      .selectFrom("group_members")
      .select(["group_id", "role_key", "status"])
      .where("person_id", "=", item.personId)
      .execute();
    const membership = new Map(members.map((m) => [m.group_id, m]));
    for (const g of groups) {
      const keys = new Set((templateRoles.get(g.role_template_id) ?? []).map((r) => r.key));
      const roleKey = wanted.find((k) => keys.has(k));
      const m = membership.get(g.id);
      const active = m?.status === "active";
      let change: MemberChange | null = null;
      if (roleKey && !active) change = { personId: item.personId, action: "add", roleKey };
      else if (roleKey && m?.role_key !== roleKey) change = { personId: item.personId, action: "role_change", roleKey };
      else if (wanted.length === 0 && active) change = { personId: item.personId, action: "remove" };
      if (!change) continue;
      try {
        await applyMembershipChanges(
          { ...ctx.deps, db: trx },
          g.id,
          [change],
          { source: "manual", userId: null, field: "crmRole" },
          trx,
        );
      } catch (err) {
        if (!(err instanceof QuorumError)) throw err;
        skipRecord(ctx, item.recordId, `buying role from the CRM not applied to group ${g.id}: ${err.message}`);
      }
    }
  }
}

/** The value a person's contact should carry now: the mapped roles of their active memberships. */
export async function desiredCrmValue(db: Db, personId: string, mapping: Record<string, string>): Promise<string | null> {
  const rows = await db
    .selectFrom("group_members")
    .select("role_key")
    .where("person_id", "=", personId)
    .where("status", "=", "active")
    .execute();
  return crmValueFor(
    rows.map((r) => r.role_key),
    mapping,
  );
}

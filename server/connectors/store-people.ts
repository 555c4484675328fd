import { CreatePersonBody } from "../../shared/api/people";
import { writeAudit } from "../audit/audit.repo";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { insertMany } from "../db/insert-many";
import { runPerRow } from "../db/per-row";
import type { PeopleTable, PersonCrmLinksTable } from "../db/schema";
import { fieldIssues } from "../http/validate";
import { chunks } from "../scores/scores.repo";
import { groupsOfPeople } from "../scores/scores.service";
import { applyCrmRoles, type RoleSettings } from "./roles";
import { accountIdsOf, type PageResult, personIdsOf, type StoreContext, skipRecord } from "./store-context";
import type { ContactIn, DeletedIn } from "./types";

/**
 * Contacts by `(crm, recordId)`. A contact not linked yet whose email belongs to a person without a
 * link to this CRM (a CSV import, a click in the panel) is linked to that person instead of making a
 * duplicate. The person's fields follow the CRM. Records the shared person rules refuse (no name, bad
 * email, unknown account, an email another contact has) are skipped with the reason.
 */
export async function applyContacts(
  ctx: StoreContext,
  records: ContactIn[],
  deleted: DeletedIn[],
  roles: RoleSettings | null,
): Promise<PageResult> {
  const { trx, crm } = ctx;
  const at = ctx.now.toISOString();
  const linked = await personIdsOf(
    trx,
    crm,
    records.map((r) => r.recordId),
  );
  const accounts = await accountIdsOf(
    trx,
    crm,
    records.flatMap((r) => (r.accountRecordId ? [r.accountRecordId] : [])),
  );
  const valid: Array<{ r: ContactIn; input: ReturnType<typeof CreatePersonBody.parse> }> = [];
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
    const parsed = CreatePersonBody.safeParse({
      accountId,
      firstName: r.firstName.slice(0, 100),
      lastName: r.lastName.slice(0, 100),
      email: r.email,
      phone: r.phone?.slice(0, 50) ?? null,
      jobTitle: r.jobTitle?.slice(0, 200) ?? null,
      department: r.department?.slice(0, 100) ?? null,
      seniority: r.seniority?.slice(0, 50) ?? null,
      country: r.country,
      source: crm,
    });
    if (!parsed.success) {
      skipRecord(
        ctx,
        r.recordId,
        fieldIssues(parsed.error)
          .map((i) => `${i.field} ${i.message}`)
          .join("; "),
      );
      continue;
    }
    valid.push({ r, input: parsed.data });
  }
  // Who holds each email now, and whether that person is linked to this CRM already.
  const emails = [...new Set(valid.flatMap((v) => (v.input.email ? [v.input.email] : [])))];
  const holder = new Map<string, { id: string; linkedHere: boolean }>();
  for (const part of chunks(emails)) {
    const rows = await trx
      .selectFrom("people as p")
      .select(["p.id", "p.email"])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("person_crm_links as l")
              .select("l.person_id")
              .whereRef("l.person_id", "=", "p.id")
              .where("l.crm", "=", crm),
          )
          .as("linked_here"),
      )
      .where("p.email", "in", part)
      .execute();
    for (const r of rows) holder.set(r.email!, { id: r.id, linkedHere: Boolean(r.linked_here) });
  }
  let written = 0;
  const withRole: Array<{ personId: string; recordId: string; value: string | null }> = [];
  // The page's writes, set-based after the loop (one prepared statement per kind on SQLite, multi-row on PostgreSQL).
  const inserts = new Map<string, PeopleTable>();
  const updates = new Map<string, PersonFields>();
  const links: PersonCrmLinksTable[] = [];
  for (const { r, input } of valid) {
    let personId = linked.get(r.recordId);
    const owner = input.email ? holder.get(input.email) : undefined;
    if (owner && owner.id !== personId) {
      if (personId || owner.linkedHere) {
        skipRecord(
          ctx,
          r.recordId,
          `email ${input.email} belongs to another contact already synced; merge the duplicates in the CRM`,
        );
        continue;
      }
      personId = owner.id;
    }
    const fields = {
      account_id: input.accountId,
      first_name: input.firstName,
      last_name: input.lastName,
      email: input.email,
      phone: input.phone,
      job_title: input.jobTitle,
      department: input.department,
      seniority: input.seniority,
      country: input.country,
      updated_at: at,
    };
    if (personId) {
      const pending = inserts.get(personId);
      if (pending) Object.assign(pending, fields);
      else updates.set(personId, fields);
    } else {
      personId = newId("per");
      inserts.set(personId, { id: personId, ...fields, source: crm, status: "active", attributes: "{}", created_at: at });
    }
    if (!linked.has(r.recordId)) {
      links.push({ crm, record_id: r.recordId, person_id: personId, crm_role: null, created_at: at });
      linked.set(r.recordId, personId);
    }
    if (input.email) holder.set(input.email, { id: personId, linkedHere: true });
    if (r.roleValue !== undefined) withRole.push({ personId, recordId: r.recordId, value: r.roleValue });
    written++;
  }
  await updatePeople(trx, updates);
  await insertMany(trx, "sync:people", "people", PEOPLE_COLUMNS, [...inserts.values()], (q) => q);
  await insertMany(trx, "sync:person-links", "person_crm_links", LINK_COLUMNS, links, (q) => q);
  if (roles && withRole.length > 0) await applyCrmRoles(ctx, roles, withRole);
  return { written, deleted: await deleteContacts(ctx, deleted) };
}

type PersonFields = Pick<
  PeopleTable,
  | "account_id"
  | "first_name"
  | "last_name"
  | "email"
  | "phone"
  | "job_title"
  | "department"
  | "seniority"
  | "country"
  | "updated_at"
>;
const FIELD_COLUMNS = [
  "account_id",
  "first_name",
  "last_name",
  "email",
  "phone",
  "job_title",
  "department",
  "seniority",
  "country",
  "updated_at",
] as const satisfies ReadonlyArray<keyof PersonFields>;
const PEOPLE_COLUMNS = ["id", ...FIELD_COLUMNS, "source", "status", "attributes", "created_at"] as const;
const LINK_COLUMNS = ["crm", "record_id", "person_id", "crm_role", "created_at"] as const;

/** The CRM's fields onto existing people: one compiled single-row UPDATE, run per person. */
async function updatePeople(trx: Db, updates: Map<string, PersonFields>): Promise<void> {
  const first = updates.entries().next();
  if (first.done) return;
  const params = (id: string, f: PersonFields) => [...FIELD_COLUMNS.map((c) => f[c]), id];
  const [id0, f0] = first.value;
  const query = trx
    .updateTable("people")
    .set(Object.fromEntries(FIELD_COLUMNS.map((c) => [c, f0[c]])) as PersonFields)
    .where("id", "=", id0)
    .compile();
  // The compiled text is reused for every person only if Kysely orders the parameters as `params` does.
  const expected = params(id0, f0);
  if (query.parameters.length !== expected.length || query.parameters.some((p, i) => p !== expected[i]))
    throw new Error("updatePeople: parameter order differs from the compiled query");
  await runPerRow(
    trx,
    query.sql,
    [...updates].map(([id, f]) => params(id, f)),
  );
}

/**
 * A deleted contact: its link goes, and the person with it unless another CRM record is linked to
 * them. A merged-away contact's person (activities, memberships, links) moves into the winner's.
 */
async function deleteContacts(ctx: StoreContext, deleted: DeletedIn[]): Promise<number> {
  const { trx, crm } = ctx;
  if (deleted.length === 0) return 0;
  const linked = await personIdsOf(
    trx,
    crm,
    deleted.flatMap((d) => [d.recordId, ...(d.mergedInto ? [d.mergedInto] : [])]),
  );
  let n = 0;
  for (const d of deleted) {
    const id = linked.get(d.recordId);
    if (!id) continue;
    const winner = d.mergedInto ? linked.get(d.mergedInto) : undefined;
    if (d.mergedInto && !winner) {
      // The winner has not come through yet: its record takes this person over.
      await trx
        .updateTable("person_crm_links")
        .set({ record_id: d.mergedInto })
        .where("crm", "=", crm)
        .where("record_id", "=", d.recordId)
        .execute();
      linked.set(d.mergedInto, id);
      n++;
      continue;
    }
    await trx.deleteFrom("person_crm_links").where("crm", "=", crm).where("record_id", "=", d.recordId).execute();
    if (winner && winner !== id) await mergePeople(ctx, id, winner);
    else if (!winner) {
      const others = await trx.selectFrom("person_crm_links").select("record_id").where("person_id", "=", id).limit(1).execute();
      if (others.length === 0) {
        for (const g of await groupsOfPeople(trx, [id])) ctx.touchedGroups.add(g);
        await trx.deleteFrom("people").where("id", "=", id).execute();
        await audit(ctx, "person.deleted_in_crm", id, { crm, recordId: d.recordId });
      }
    }
    n++;
  }
  return n;
}

/** Moves everything of `loser` onto `winner` and deletes `loser` (a merge in the CRM). */
export async function mergePeople(ctx: StoreContext, loser: string, winner: string): Promise<void> {
  const trx: Db = ctx.trx;
  for (const g of await groupsOfPeople(trx, [loser, winner])) ctx.touchedGroups.add(g);
  await trx.updateTable("person_crm_links").set({ person_id: winner }).where("person_id", "=", loser).execute();
  await trx.updateTable("activities").set({ person_id: winner }).where("person_id", "=", loser).execute();
  const rollup = await trx.selectFrom("activity_daily").selectAll().where("person_id", "=", loser).execute();
  for (const r of rollup) {
    await trx
      .insertInto("activity_daily")
      .values({ person_id: winner, type_id: r.type_id, day: r.day, count: r.count })
      .onConflict((oc) =>
        oc.columns(["person_id", "day", "type_id"]).doUpdateSet((eb) => ({ count: eb("activity_daily.count", "+", r.count) })),
      )
      .execute();
  }
  await trx.deleteFrom("activity_daily").where("person_id", "=", loser).execute();
  const theirs = await trx.selectFrom("group_members").select("group_id").where("person_id", "=", winner).execute();
  const taken = new Set(theirs.map((m) => m.group_id));
  const mine = await trx.selectFrom("group_members").select("group_id").where("person_id", "=", loser).execute();
  for (const m of mine) {
    if (taken.has(m.group_id)) continue;
    await trx
      .updateTable("group_members")
      .set({ person_id: winner })
      .where("group_id", "=", m.group_id)
      .where("person_id", "=", loser)
      .execute();
  }
  await trx.deleteFrom("people").where("id", "=", loser).execute();
  await audit(ctx, "person.merged_in_crm", winner, { crm: ctx.crm, mergedPersonId: loser });
}

const audit = (ctx: StoreContext, action: string, personId: string, details: Record<string, unknown>) =>
  writeAudit(ctx.trx, [
    {
      at: ctx.now.toISOString(),
      actorUserId: null,
      source: "system",
      action,
      entityType: "person",
      entityId: personId,
      groupId: null,
      details,
    },
  ]);

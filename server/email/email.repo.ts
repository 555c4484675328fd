import type { Selectable } from "kysely";
import type { Email, OutboxMessage, Workspace } from "../../shared/api/emails";
import type { Db } from "../db/create-db";
import type { EmailsTable } from "../db/schema";
import { chunks } from "../scores/scores.repo";
import type { TokenValues } from "./render";

/** Fields of an `emails` row that make an Email (callers may select more). */
type EmailRow = Omit<Selectable<EmailsTable>, "created_by" | "updated_by">;

export function toEmail(r: EmailRow): Email {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    subject: r.subject,
    htmlBody: r.html_body,
    textBody: r.text_body,
    status: r.status === "approved" ? "approved" : "draft",
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listWorkspaces(db: Db, approvedOnly: boolean): Promise<Workspace[]> {
  const rows = await db.selectFrom("workspaces").selectAll().orderBy("name").execute();
  const counts = await db
    .selectFrom("emails")
    .select(["workspace_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["workspace_id", "status"])
    .execute();
  const count = (ws: string, status?: string) =>
    counts.filter((c) => c.workspace_id === ws && (!status || c.status === status)).reduce((s, c) => s + Number(c.n), 0);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    emailCount: approvedOnly ? count(r.id, "approved") : count(r.id),
    approvedCount: count(r.id, "approved"),
  }));
}

export async function getEmailRow(db: Db, id: string): Promise<Email | null> {
  const row = await db.selectFrom("emails").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toEmail(row) : null;
}

export async function listEmails(db: Db, f: { workspaceId?: string | undefined; status?: string | undefined }): Promise<Email[]> {
  let q = db.selectFrom("emails").selectAll();
  if (f.workspaceId) q = q.where("workspace_id", "=", f.workspaceId);
  if (f.status) q = q.where("status", "=", f.status);
  return (await q.orderBy("name").orderBy("id").execute()).map(toEmail);
}

/** Active members of a group among `personIds`, with what their tokens need. */
export async function loadRecipients(db: Db, groupId: string, personIds: readonly string[]) {
  const out = [];
  for (const part of chunks(personIds)) {
    const rows = await db
      .selectFrom("group_members as m")
      .innerJoin("people as p", "p.id", "m.person_id")
      .leftJoin("accounts as a", "a.id", "p.account_id")
      .select([
        "p.id",
        "p.first_name",
        "p.last_name",
        "p.email",
        "p.job_title",
        "p.department",
        "p.status",
        "a.name as account_name",
        "a.domain as account_domain",
        "a.industry as account_industry",
      ])
      .where("m.group_id", "=", groupId)
      .where("m.status", "=", "active")
      .where("p.id", "in", part)
      .execute();
    out.push(...rows);
  }
  return out;
}

export type RecipientRow = Awaited<ReturnType<typeof loadRecipients>>[number];

export function recipientTokens(
  r: RecipientRow,
  group: { name: string; solutionInterest: string },
  sender: { name: string; email: string | null },
): TokenValues {
  return {
    "person.firstName": r.first_name,
    "person.lastName": r.last_name,
    "person.fullName": `${r.first_name} ${r.last_name}`.trim(),
    "person.email": r.email,
    "person.jobTitle": r.job_title,
    "person.department": r.department,
    "account.name": r.account_name,
    "account.domain": r.account_domain,
    "account.industry": r.account_industry,
    "group.name": group.name,
    "group.solutionInterest": group.solutionInterest,
    "sender.name": sender.name,
    "sender.email": sender.email,
  };
}

export async function loadGroupForEmail(db: Db, groupId: string) {
  return db
    .selectFrom("buying_groups as g")
    .innerJoin("solution_interests as s", "s.id", "g.solution_interest_id")
    .select(["g.id", "g.name", "s.name as solution_interest"])
    .where("g.id", "=", groupId)
    .executeTakeFirst();
}

export async function loadSender(db: Db, userId: string) {
  const u = await db.selectFrom("users").select(["name", "email"]).where("id", "=", userId).executeTakeFirst();
  return { name: u?.name ?? "Quorum", email: u?.email ?? null };
}

export async function optedOut(db: Db, personIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(personIds))
    for (const r of await db.selectFrom("email_opt_outs").select("person_id").where("person_id", "in", part).execute())
      out.add(r.person_id);
  return out;
}

/** Messages per person queued or sent since `since` (failed ones do not count toward the cap). */
export async function recentSends(db: Db, personIds: readonly string[], since: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks(personIds)) {
    const rows = await db
      .selectFrom("email_outbox")
      .select(["person_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("person_id", "in", part)
      .where("created_at", ">", since)
      .where("status", "!=", "failed")
      .groupBy("person_id")
      .execute();
    for (const r of rows) out.set(r.person_id, Number(r.n));
  }
  return out;
}

type OutboxRow = Awaited<ReturnType<typeof listOutboxRows>>[number];

async function listOutboxRows(db: Db, groupId: string, status: string | undefined, limit: number) {
  let q = db.selectFrom("email_outbox").selectAll().where("group_id", "=", groupId);
  if (status) q = q.where("status", "=", status);
  return q.orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
}

export function toOutboxMessage(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    messageId: r.message_id,
    emailId: r.email_id,
    groupId: r.group_id,
    personId: r.person_id,
    to: r.to_address,
    subject: r.subject,
    status: r.status as OutboxMessage["status"],
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

export async function listOutbox(db: Db, groupId: string, status: string | undefined, limit: number): Promise<OutboxMessage[]> {
  return (await listOutboxRows(db, groupId, status, limit)).map(toOutboxMessage);
}

/** A setting generated once: the first writer wins, every later reader gets the same value. */
export async function ensureSetting(db: Db, key: string, make: () => string): Promise<string> {
  await db
    .insertInto("app_settings")
    .values({ key, value: make() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.selectFrom("app_settings").select("value").where("key", "=", key).executeTakeFirstOrThrow();
  return row.value;
}

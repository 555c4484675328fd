import { createHash } from "node:crypto";
import type { z } from "zod";
import type {
  CreateEmailBody,
  Email,
  EmailPreview,
  QueuedMessage,
  SendEmailResult,
  SkippedRecipient,
  UpdateEmailBody,
  Workspace,
} from "../../shared/api/emails";
import { notFound, QuorumError } from "../../shared/errors";
import { writeAudit } from "../audit/audit.repo";
import { isUniqueViolation } from "../db/errors";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";
import type { Deps } from "../deps";
import { validationError } from "../http/validate";
import {
  getEmailRow,
  listEmails,
  listWorkspaces,
  loadGroupForEmail,
  loadRecipients,
  loadSender,
  optedOut,
  recentSends,
  recipientTokens,
} from "./email.repo";
import { notifyOutbox } from "./outbox.worker";
import { renderEmail, tokenProblems } from "./render";
import { sanitizeEmailHtml } from "./sanitize";
import { signUnsubscribeToken, unsubscribeSecret, unsubscribeUrl } from "./unsubscribe";

export { listWorkspaces };

export async function createWorkspace(deps: Deps, name: string): Promise<Workspace> {
  const id = newId("wsp");
  const at = deps.clock().toISOString();
  try {
    await deps.db.insertInto("workspaces").values({ id, name, created_at: at }).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new QuorumError(409, "conflict", `A workspace named '${name}' already exists. Pick another name.`, { name });
    throw err;
  }
  return { id, name, createdAt: at, emailCount: 0, approvedCount: 0 };
}

/** 400 naming each field whose tokens are unknown or malformed. */
function checkTokens(fields: Partial<Record<"subject" | "htmlBody" | "textBody", string | undefined>>) {
  const issues = Object.entries(fields).flatMap(([field, text]) =>
    text === undefined ? [] : tokenProblems(text).map((message) => ({ field, message })),
  );
  if (issues.length) throw validationError("request body", issues);
}

/** Sales see approved emails only: drafts are not theirs to send or read. */
export async function getEmail(deps: Deps, id: string, approvedOnly: boolean): Promise<Email> {
  const email = await getEmailRow(deps.db, id);
  if (!email || (approvedOnly && email.status !== "approved")) throw notFound("Email", id);
  return email;
}

export async function findEmails(
  deps: Deps,
  q: { workspaceId?: string | undefined; status?: string | undefined },
  approvedOnly: boolean,
) {
  if (approvedOnly && q.status === "draft") return [];
  return listEmails(deps.db, { workspaceId: q.workspaceId, status: approvedOnly ? "approved" : q.status });
}

/** The saved email plus what the sanitiser took out of its HTML on this save (absent when nothing). */
export type SavedEmail = Email & { removedFromHtml?: string[] };

const withRemoved = (email: Email, removed: string[]): SavedEmail =>
  removed.length ? { ...email, removedFromHtml: removed } : email;

export async function createEmail(deps: Deps, body: z.infer<typeof CreateEmailBody>, userId: string): Promise<SavedEmail> {
  checkTokens(body);
  const html = sanitizeEmailHtml(body.htmlBody);
  const ws = await deps.db.selectFrom("workspaces").select("id").where("id", "=", body.workspaceId).executeTakeFirst();
  if (!ws)
    throw new QuorumError(
      400,
      "validation_failed",
      `Invalid request body: workspaceId '${body.workspaceId}' is not a workspace.`,
      {
        issues: [{ field: "workspaceId", message: "is not a workspace" }],
      },
    );
  const id = newId("eml");
  const at = deps.clock().toISOString();
  await deps.db
    .insertInto("emails")
    .values({
      id,
      workspace_id: body.workspaceId,
      name: body.name,
      subject: body.subject,
      html_body: html.html,
      text_body: body.textBody,
      status: "draft",
      approved_by: null,
      approved_at: null,
      created_at: at,
      updated_at: at,
      created_by: userId,
      updated_by: userId,
    })
    .execute();
  return withRemoved(await getEmail(deps, id, false), html.removed);
}

/**
 * Edits an email. Its HTML is sanitised on save (scripts, event handlers, frames and `javascript:`
 * links removed; the answer's `removedFromHtml` lists what went). Changing the subject or a body of an approved email returns it to draft (the
 * approval is cleared); a rename keeps the approval. Messages already queued keep what they rendered.
 */
export async function updateEmail(
  deps: Deps,
  id: string,
  body: z.infer<typeof UpdateEmailBody>,
  userId: string,
): Promise<SavedEmail> {
  checkTokens(body);
  const current = await getEmail(deps, id, false);
  const html = body.htmlBody === undefined ? undefined : sanitizeEmailHtml(body.htmlBody);
  const contentChanged =
    (body.subject !== undefined && body.subject !== current.subject) ||
    (html !== undefined && html.html !== current.htmlBody) ||
    (body.textBody !== undefined && body.textBody !== current.textBody);
  await deps.db
    .updateTable("emails")
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.subject !== undefined ? { subject: body.subject } : {}),
      ...(html !== undefined ? { html_body: html.html } : {}),
      ...(body.textBody !== undefined ? { text_body: body.textBody } : {}),
      ...(contentChanged ? { status: "draft", approved_by: null, approved_at: null } : {}),
      updated_at: deps.clock().toISOString(),
      updated_by: userId,
    })
    .where("id", "=", id)
    .execute();
  return withRemoved(await getEmail(deps, id, false), html?.removed ?? []);
}

/** Rendering always starts from sanitised HTML, also for emails saved before the sanitiser existed. */
const safe = <T extends { htmlBody: string }>(email: T): T => ({ ...email, htmlBody: sanitizeEmailHtml(email.htmlBody).html });

export async function approveEmail(deps: Deps, id: string, userId: string): Promise<Email> {
  const current = await getEmail(deps, id, false);
  if (current.status === "approved") return current;
  const at = deps.clock().toISOString();
  await deps.db
    .updateTable("emails")
    .set({ status: "approved", approved_by: userId, approved_at: at, updated_at: at, updated_by: userId })
    .where("id", "=", id)
    .execute();
  return getEmail(deps, id, false);
}

async function groupOrThrow(deps: Deps, groupId: string) {
  const group = await loadGroupForEmail(deps.db, groupId);
  if (!group) throw notFound("Group", groupId);
  return { id: group.id, name: group.name, solutionInterest: group.solution_interest };
}

/** Renders an email for one member of a group, exactly as a send would (drafts too, for admins). */
export async function previewEmail(
  deps: Deps,
  emailId: string,
  input: { groupId: string; personId: string },
  user: { id: string; approvedOnly: boolean },
): Promise<EmailPreview> {
  const email = await getEmail(deps, emailId, user.approvedOnly);
  const group = await groupOrThrow(deps, input.groupId);
  const [r] = await loadRecipients(deps.db, group.id, [input.personId]);
  if (!r)
    throw new QuorumError(404, "not_found", `Person '${input.personId}' is not an active member of group '${group.id}'.`, {
      groupId: group.id,
      personId: input.personId,
    });
  const sender = await loadSender(deps.db, user.id);
  const out = renderEmail(safe(email), recipientTokens(r, group, sender));
  return { to: r.email, from: deps.config.email.from, replyTo: sender.email, ...out };
}

const hashRequest = (groupId: string, emailId: string, personIds: readonly string[]) =>
  createHash("sha256")
    .update(JSON.stringify([groupId, emailId, personIds]))
    .digest("hex");

const fromDomain = (from: string) => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "quorum.localhost";

/**
 * Queues an approved email for up to 50 members (`approvedOnly`: the caller may not see drafts, so a
 * draft is a 404 like a missing email, not a 409 that names it) of a group, in one transaction with the idempotency
 * record, the outbox rows and the audit entries. The same (user, key) again returns the stored answer
 * and queues nothing; with a different body it is a 409.
 */
export async function sendEmail(
  deps: Deps,
  groupId: string,
  input: { emailId: string; personIds: string[]; idempotencyKey: string },
  userId: string,
  approvedOnly = false,
): Promise<SendEmailResult> {
  const hash = hashRequest(groupId, input.emailId, input.personIds);
  const replay = async () => {
    const prior = await deps.db
      .selectFrom("email_send_requests")
      .select(["request_hash", "response"])
      .where("user_id", "=", userId)
      .where("idempotency_key", "=", input.idempotencyKey)
      .executeTakeFirst();
    if (!prior) return null;
    if (prior.request_hash !== hash)
      throw new QuorumError(
        409,
        "conflict",
        "This Idempotency-Key was already used for a different request (group, email or members). Use a new key for a new send.",
        { idempotencyKey: input.idempotencyKey },
      );
    return { ...parseJson<SendEmailResult>(prior.response, {} as SendEmailResult), replayed: true };
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const group = await groupOrThrow(deps, groupId);
  const stored = await getEmailRow(deps.db, input.emailId);
  // Sales only ever see approved emails: a draft answers exactly like an email that does not exist.
  if (!stored || (approvedOnly && stored.status !== "approved")) throw notFound("Email", input.emailId);
  const email = safe(stored);
  if (email.status !== "approved")
    throw new QuorumError(
      409,
      "conflict",
      `Email '${email.name}' is a draft: only approved emails can be sent. Ask a marketer to approve it.`,
      { emailId: email.id, status: email.status },
    );
  const now = deps.clock();
  const at = now.toISOString();
  const secret = await unsubscribeSecret(deps);
  const sender = await loadSender(deps.db, userId);
  const { email: cfg } = deps.config;
  const domain = fromDomain(cfg.from);

  try {
    const result = await deps.db.transaction().execute(async (trx) => {
      const members = new Map((await loadRecipients(trx, group.id, input.personIds)).map((r) => [r.id, r]));
      const optOuts = await optedOut(trx, input.personIds);
      const since = new Date(now.getTime() - cfg.capDays * 86_400_000).toISOString();
      const recent = await recentSends(trx, input.personIds, since);
      const requestId = newId("esr");
      const queued: QueuedMessage[] = [];
      const skipped: SkippedRecipient[] = [];
      const rows = [];
      for (const personId of input.personIds) {
        const r = members.get(personId);
        const skip = (code: SkippedRecipient["code"], reason: string) => skipped.push({ personId, code, reason });
        if (!r) skip("not_member", "is not an active member of this group");
        else if (!r.email) skip("no_email", "has no email address");
        else if (r.status !== "active") skip("inactive", `is marked '${r.status}'`);
        else if (optOuts.has(personId)) skip("opted_out", "opted out of sales emails");
        else if ((recent.get(personId) ?? 0) >= cfg.cap)
          skip(
            "frequency_cap",
            `already had ${recent.get(personId) ?? 0} sales emails in the last ${cfg.capDays} days (cap ${cfg.cap})`,
          );
        else {
          const rendered = renderEmail(email, recipientTokens(r, group, sender));
          const outboxId = newId("msg");
          const messageId = `<${outboxId}@${domain}>`;
          rows.push({
            id: outboxId,
            request_id: requestId,
            message_id: messageId,
            email_id: email.id,
            group_id: group.id,
            person_id: personId,
            from_address: cfg.from,
            reply_to: sender.email,
            to_address: r.email,
            subject: rendered.subject,
            html_body: rendered.html,
            text_body: rendered.text,
            unsubscribe_url: unsubscribeUrl(cfg.publicUrl, signUnsubscribeToken(secret, personId)),
            status: "queued",
            attempts: 0,
            next_attempt_at: at,
            lease_owner: null,
            lease_until: null,
            last_error: null,
            created_at: at,
            sent_at: null,
          });
          queued.push({ personId, outboxId, messageId, to: r.email });
        }
      }
      const result: SendEmailResult = { requestId, groupId: group.id, emailId: email.id, queued, skipped, replayed: false };
      await trx
        .insertInto("email_send_requests")
        .values({
          id: requestId,
          user_id: userId,
          idempotency_key: input.idempotencyKey,
          request_hash: hash,
          group_id: group.id,
          email_id: email.id,
          response: toJson(result),
          created_at: at,
        })
        .execute();
      for (const row of rows) await trx.insertInto("email_outbox").values(row).execute();
      await writeAudit(trx, [
        ...queued.map((q) => ({
          at,
          actorUserId: userId,
          source: "manual",
          action: "email.queued",
          entityType: "person",
          entityId: q.personId,
          groupId: group.id,
          details: { emailId: email.id, emailName: email.name, messageId: q.messageId, outboxId: q.outboxId },
        })),
        ...skipped.map((s) => ({
          at,
          actorUserId: userId,
          source: "manual",
          action: "email.skipped",
          entityType: "person",
          entityId: s.personId,
          groupId: group.id,
          details: { emailId: email.id, emailName: email.name, code: s.code, reason: s.reason },
        })),
      ]);
      return result;
    });
    if (result.queued.length) notifyOutbox();
    return result;
  } catch (err) {
    // A concurrent request with the same key won the race (PostgreSQL): answer like a replay.
    if (isUniqueViolation(err)) {
      const won = await replay();
      if (won) return won;
    }
    throw err;
  }
}

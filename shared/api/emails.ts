import { z } from "zod";
import { IdSchema, MAX_BULK_MEMBERS, requiredName, requiredText, safeString } from "./common";

/** Approved emails, workspaces and sending to buying-group members. */

export const WorkspaceBody = z.object({ name: requiredName(100) });

const Subject = requiredText(300);
const Body = (max: number) => safeString().max(max, `must be at most ${max} characters`);

export const CreateEmailBody = z.object({
  workspaceId: IdSchema,
  name: requiredName(200),
  subject: Subject,
  htmlBody: Body(200_000).min(1, "must not be empty"),
  textBody: Body(100_000).min(1, "must not be empty"),
});

/** Any content change to an approved email returns it to draft: it must be approved again. */
export const UpdateEmailBody = z
  .object({
    name: requiredName(200),
    subject: Subject,
    htmlBody: Body(200_000).min(1, "must not be empty"),
    textBody: Body(100_000).min(1, "must not be empty"),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "give at least one of name, subject, htmlBody, textBody");

export const EmailListQuery = z.object({
  workspaceId: IdSchema.optional(),
  status: z.enum(["draft", "approved"]).optional(),
});

export const PreviewEmailBody = z.object({ groupId: IdSchema, personId: IdSchema });

export const IDEMPOTENCY_KEY = z
  .string()
  .trim()
  .min(8, "must be at least 8 characters (use a UUID)")
  .max(200, "must be at most 200 characters");

export const SendEmailBody = z.object({
  emailId: IdSchema,
  personIds: z
    .array(IdSchema)
    .min(1, "give at least one member")
    .max(MAX_BULK_MEMBERS, `at most ${MAX_BULK_MEMBERS} members per request: select fewer and repeat`)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: "custom", path: [i], message: `person '${id}' is listed twice` });
        seen.add(id);
      });
    }),
  /** Or the `Idempotency-Key` header; one of them is required. */
  idempotencyKey: IDEMPOTENCY_KEY.optional(),
});

export const OutboxQuery = z.object({
  status: z.enum(["queued", "sent", "failed"]).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(500, "must be at most 500").default(100),
});

export interface Workspace {
  id: string;
  name: string;
  createdAt: string;
  emailCount: number;
  approvedCount: number;
}

export type EmailStatus = "draft" | "approved";

export interface Email {
  id: string;
  workspaceId: string;
  name: string;
  subject: string;
  htmlBody: string;
  textBody: string;
  status: EmailStatus;
  approvedBy: string | null;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Only in the answer to a create or edit: what the sanitiser removed from htmlBody on this save
   * (e.g. `<script>`, `onclick`, `javascript: link`). The stored HTML is the sanitised one.
   */
  removedFromHtml?: string[];
}

export interface EmailPreview {
  to: string | null;
  from: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  /** Tokens that had no value and no fallback (rendered as empty text). */
  missing: string[];
}

export type SkipReason = "not_member" | "no_email" | "inactive" | "opted_out" | "frequency_cap";

export interface QueuedMessage {
  personId: string;
  outboxId: string;
  messageId: string;
  to: string;
}

export interface SkippedRecipient {
  personId: string;
  code: SkipReason;
  reason: string;
}

export interface SendEmailResult {
  requestId: string;
  groupId: string;
  emailId: string;
  queued: QueuedMessage[];
  skipped: SkippedRecipient[];
  /** True when this answer is the stored result of an earlier request with the same idempotency key. */
  replayed: boolean;
}

export interface OutboxMessage {
  id: string;
  messageId: string;
  emailId: string;
  groupId: string;
  personId: string;
  to: string;
  subject: string;
  status: "queued" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

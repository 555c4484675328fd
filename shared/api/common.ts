import { z } from "zod";
import { unsafeNameReason, unsafeTextReason } from "./text";

/** Bulk member actions take at most this many members (seeds: "up to 50 at a time"). */
export const MAX_BULK_MEMBERS = 50;
/** One activity ingest request takes at most this many activities. */
export const MAX_ACTIVITY_BATCH = 10_000;

/**
 * A string that both databases store exactly as sent (no NUL, no lone surrogate): every string field of
 * every request schema is one, so the rule also holds for callers that bypass HTTP (CSV import).
 */
export const safeString = () =>
  z.string().superRefine((s, ctx) => {
    const reason = unsafeTextReason(s);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

export const IdSchema = safeString().trim().min(1, "must not be empty").max(64, "must be at most 64 characters");
export const IdParam = z.object({ id: IdSchema });

const text = (max: number) => safeString().trim().max(max, `must be at most ${max} characters`);
/** Optional free text: empty strings become null. */
export const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === "" ? null : v));
export const requiredText = (max: number) => text(max).min(1, "must not be empty");

const nameCheck = (s: string, ctx: z.core.$RefinementCtx<string>) => {
  const reason = unsafeNameReason(s);
  if (reason && !unsafeTextReason(s)) ctx.addIssue({ code: "custom", message: reason });
};
/** A name (person, account, user, token, template, role, stage, workspace, email…): no bidi or control characters. */
export const requiredName = (max: number) => requiredText(max).superRefine(nameCheck);
/** A name that may be empty (a person's last name). */
export const optionalName = (max: number) => text(max).superRefine(nameCheck);

export const IsoDateTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO-8601 date-time such as 2026-11-23T09:30:00Z",
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
  offset: z.coerce.number().int().min(0, "must be 0 or more").max(1_000_000).default(0),
});

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

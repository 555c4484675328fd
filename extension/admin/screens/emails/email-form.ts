/** Pure logic of the email editor: what a save changes, and whether it takes the approval away (server rule). */
import type { Email } from "../../../../shared/api/emails";

export interface EmailForm {
  name: string;
  subject: string;
  htmlBody: string;
  textBody: string;
}

export type EmailField = keyof EmailForm;
export const EMAIL_FIELDS: EmailField[] = ["name", "subject", "htmlBody", "textBody"];
/** Changing one of these returns an approved email to draft (server/email/email.service.ts updateEmail). */
export const CONTENT_FIELDS: EmailField[] = ["subject", "htmlBody", "textBody"];

export const EMPTY_EMAIL: EmailForm = { name: "", subject: "", htmlBody: "", textBody: "" };

export const formFromEmail = (e: Email): EmailForm => ({
  name: e.name,
  subject: e.subject,
  htmlBody: e.htmlBody,
  textBody: e.textBody,
});

/** The PATCH body: only the fields that differ from the saved email (empty when nothing changed). */
export function emailChanges(saved: EmailForm, form: EmailForm): Partial<EmailForm> {
  const out: Partial<EmailForm> = {};
  for (const k of EMAIL_FIELDS) if (form[k] !== saved[k]) out[k] = form[k];
  return out;
}

/** True when saving these changes would return an approved email to draft. */
export const losesApproval = (status: Email["status"], changes: Partial<EmailForm>) =>
  status === "approved" && CONTENT_FIELDS.some((k) => changes[k] !== undefined);

const LIMITS: Record<EmailField, number> = { name: 200, subject: 300, htmlBody: 200_000, textBody: 100_000 };

/** Required fields and lengths, as shared/api/emails.ts checks them (token problems are left to the server). */
export function checkEmail(f: EmailForm): Array<{ field: EmailField; key: "required" | "tooLong"; max?: number }> {
  const out: Array<{ field: EmailField; key: "required" | "tooLong"; max?: number }> = [];
  for (const k of EMAIL_FIELDS) {
    const v = k === "name" || k === "subject" ? f[k].trim() : f[k];
    if (!v) out.push({ field: k, key: "required" });
    else if (v.length > LIMITS[k]) out.push({ field: k, key: "tooLong", max: LIMITS[k] });
  }
  return out;
}

/** Server issues (`subject`, `htmlBody`, …) by field; several issues on one field are joined. */
export function issuesByField(issues: Array<{ field: string; message: string }>): Partial<Record<EmailField, string>> {
  const out: Partial<Record<EmailField, string>> = {};
  for (const i of issues) {
    const f = i.field.split(".")[0] as EmailField;
    if (!EMAIL_FIELDS.includes(f)) continue;
    out[f] = out[f] ? `${out[f]}; ${i.message}` : i.message;
  }
  return out;
}

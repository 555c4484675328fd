/**
 * Personalisation tokens: `{{person.firstName}}`, with an optional fallback `{{person.firstName | "there"}}`.
 * Values are HTML-escaped in the HTML body and inserted as they are in the subject and text body.
 */

export const TOKEN_FIELDS = [
  "person.firstName",
  "person.lastName",
  "person.fullName",
  "person.email",
  "person.jobTitle",
  "person.department",
  "account.name",
  "account.domain",
  "account.industry",
  "group.name",
  "group.solutionInterest",
  "sender.name",
  "sender.email",
] as const;
export type TokenField = (typeof TOKEN_FIELDS)[number];
export type TokenValues = Partial<Record<TokenField, string | null>>;

const TOKEN = /\{\{\s*([A-Za-z]+\.[A-Za-z]+)\s*(?:\|\s*"((?:[^"\\]|\\.)*)"\s*)?\}\}/g;
const KNOWN = new Set<string>(TOKEN_FIELDS);

/** Problems with the tokens of one template text: unknown fields and `{{` that is not a token. */
export function tokenProblems(template: string): string[] {
  const problems: string[] = [];
  for (const m of template.matchAll(TOKEN)) {
    if (!KNOWN.has(m[1]!)) problems.push(`uses unknown token {{${m[1]}}}; known tokens: ${TOKEN_FIELDS.join(", ")}`);
  }
  const leftover = template.replace(TOKEN, "");
  if (leftover.includes("{{") || leftover.includes("}}")) {
    problems.push('has a malformed token; write {{person.firstName}} or {{person.firstName | "fallback"}}');
  }
  return problems;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Renders one template text; `missing` collects tokens that had neither a value nor a fallback. */
export function renderTemplate(template: string, values: TokenValues, mode: "html" | "text", missing?: Set<string>): string {
  return template.replace(TOKEN, (_all, field: string, fallback: string | undefined) => {
    const raw = values[field as TokenField];
    let value = raw?.trim() ? raw : fallback !== undefined ? fallback.replace(/\\(.)/g, "$1") : "";
    if (!raw?.trim() && fallback === undefined) missing?.add(field);
    if (mode === "text") value = value.replace(/[\r\n]+/g, " ");
    return mode === "html" ? escapeHtml(value) : value;
  });
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  missing: string[];
}

/** Subject, HTML and text bodies of an email for one recipient. */
export function renderEmail(email: { subject: string; htmlBody: string; textBody: string }, values: TokenValues): RenderedEmail {
  const missing = new Set<string>();
  return {
    subject: renderTemplate(email.subject, values, "text", missing),
    html: renderTemplate(email.htmlBody, values, "html", missing),
    text: renderTemplate(email.textBody, values, "text", missing).replace(/ +$/gm, ""),
    missing: [...missing].sort(),
  };
}

/** Token expiry choices in the console: never, a number of days from now, or the end of a chosen date (UTC). */
export const EXPIRY_CHOICES = ["never", "30", "90", "365", "date"] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

const DAY_MS = 86_400_000;

/**
 * The `expiresAt` to send for a choice: null for never, an ISO date-time otherwise; `{ error }` when a
 * custom date is missing, malformed or not after today.
 */
export function expiryFor(
  choice: ExpiryChoice,
  date: string,
  now: Date,
): { expiresAt: string | null } | { error: "dateRequired" | "dateInPast" } {
  if (choice === "never") return { expiresAt: null };
  if (choice !== "date") return { expiresAt: new Date(now.getTime() + Number(choice) * DAY_MS).toISOString() };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { error: "dateRequired" };
  const at = Date.parse(`${date}T23:59:59.999Z`);
  if (Number.isNaN(at)) return { error: "dateRequired" };
  if (at <= now.getTime()) return { error: "dateInPast" };
  return { expiresAt: new Date(at).toISOString() };
}

/** How a token's validity reads: revoked, expired, expiring on a date, or never expiring. */
export function tokenState(tok: { revokedAt: string | null; expiresAt: string | null; expired: boolean }) {
  if (tok.revokedAt) return { kind: "revoked" as const, at: tok.revokedAt };
  if (tok.expiresAt && tok.expired) return { kind: "expired" as const, at: tok.expiresAt };
  if (tok.expiresAt) return { kind: "expires" as const, at: tok.expiresAt };
  return { kind: "noExpiry" as const, at: null };
}

import { randomBytes } from "node:crypto";

/** A new random id with a readable prefix, e.g. `grp_3kV9…` (16 url-safe characters after the prefix). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

export const nowIso = (now: Date = new Date()) => now.toISOString();

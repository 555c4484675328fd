import { CreateUserBody } from "../../shared/api/users";
import { USER_ROLES, type UserRole } from "../../shared/domain/roles";
import { tokenKey } from "../auth/token-secret";
import { createUserWithToken, isExpired, listTokens, revokeToken } from "../auth/tokens.repo";
import type { Config } from "../config";
import type { Db } from "../db/create-db";

const DAY_MS = 86_400_000;
const UNITS: Record<string, number> = { d: 1, w: 7, y: 365 };

/**
 * `--expires`: `90d`, `12w`, `1y` (from now), a date `2027-06-30` (end of that day, UTC) or a full ISO
 * date-time; `never` for no expiry. Returns the ISO expiry, null for never, or an error sentence.
 */
export function parseExpiry(text: string | undefined, now: Date): { expiresAt: string | null } | { error: string } {
  if (text === undefined || text === "never") return { expiresAt: null };
  const rel = /^(\d{1,5})([dwy])$/.exec(text.trim());
  let at: number;
  if (rel) at = now.getTime() + Number(rel[1]) * UNITS[rel[2]!]! * DAY_MS;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) at = Date.parse(`${text}T23:59:59.999Z`);
  else if (/^\d{4}-\d{2}-\d{2}T/.test(text)) at = Date.parse(text);
  else at = Number.NaN;
  if (Number.isNaN(at)) return { error: `--expires must look like 90d, 12w, 1y, 2027-06-30 or never (got '${text}')` };
  if (at <= now.getTime()) return { error: `--expires must be in the future (got '${text}')` };
  return { expiresAt: new Date(at).toISOString() };
}

const USAGE =
  "Usage: npm run quorum -- token create --role <admin|marketer|sales> [--name <name>] [--expires 90d|2027-06-30|never] | token list | token revoke <id or prefix>";

/** `token create|list|revoke`: works on the database directly, without a token. Returns the exit code. */
export async function runTokenCommand(
  db: Db,
  config: Config,
  args: string[],
  options: { role?: string | undefined; name?: string | undefined; expires?: string | undefined },
): Promise<number> {
  const [sub, arg] = args;
  const now = new Date();
  if (sub === "create") {
    const role = (options.role ?? "") as UserRole;
    if (!USER_ROLES.includes(role)) {
      console.error(`--role must be one of ${USER_ROLES.join(", ")}`);
      return 1;
    }
    const expiry = parseExpiry(options.expires, now);
    if ("error" in expiry) {
      console.error(expiry.error);
      return 1;
    }
    // The same rules as a user's name in the API (length, no control or bidi characters).
    const named = CreateUserBody.shape.name.safeParse(options.name ?? `${role} user`);
    if (!named.success) {
      console.error(
        `--name ${named.error.issues[0]?.message ?? "is not a valid name"}; give a short plain name such as --name "CRM sync"`,
      );
      return 1;
    }
    const name = named.data;
    const { token, tokenId } = await createUserWithToken(db, {
      name,
      role,
      tokenName: name,
      now: now.toISOString(),
      key: tokenKey(config),
      expiresAt: expiry.expiresAt,
    });
    const until = expiry.expiresAt ? `, valid until ${expiry.expiresAt}` : "";
    console.log(`Created ${role} token ${tokenId} for '${name}'${until}. It is shown once; store it now:\n${token}`);
    return 0;
  }
  if (sub === "list") {
    for (const t of await listTokens(db)) {
      const state = t.revoked_at
        ? `  REVOKED ${t.revoked_at}`
        : t.expires_at && isExpired(t.expires_at, now)
          ? `  EXPIRED ${t.expires_at}`
          : t.expires_at
            ? `  expires ${t.expires_at}`
            : "";
      const used = t.last_used_at ? `  last used ${t.last_used_at}` : "  never used";
      console.log(
        `${t.id}  ${t.prefix}…  ${t.role.padEnd(8)} ${t.userName}  created ${t.created_at}${used}${state}${t.hash_scheme === "sha256" ? "  (legacy hash until next use)" : ""}`,
      );
    }
    return 0;
  }
  if (sub === "revoke" && arg) {
    const n = await revokeToken(db, arg, now.toISOString());
    console.log(n ? `Revoked ${n} token(s).` : `No active token with id or prefix '${arg}'.`);
    return n ? 0 : 1;
  }
  console.error(USAGE);
  return 1;
}

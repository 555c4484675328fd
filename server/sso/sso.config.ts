import { z } from "zod";
import { USER_ROLES, type UserRole } from "../../shared/domain/roles";

/**
 * The single sign-on settings of the environment, parsed by server/config.ts (the only reader of the environment):
 * this file only says which variables there are and what they become.
 */
export interface SsoConfig {
  /** The identity provider's issuer URL exactly as its ID tokens carry it in `iss`. */
  issuer: string;
  /** The OAuth client id registered for the extension: the only `aud` Quorum accepts. */
  clientId: string;
  /** Only for providers that want one for the code exchange (Google Workspace); the server holds it, never the extension. */
  clientSecret: string | null;
  scopes: string;
  /** The ID-token claim that lists the user's groups (Okta and Keycloak `groups`, Entra ID `groups` or `roles`). */
  groupsClaim: string;
  /** Per role, the groups and email addresses that get it (`*`: everyone the provider signs in); the highest role wins. */
  roles: Record<UserRole, string[]>;
  /** Lifetime of Quorum's own access token: also the longest a disabled user or a revoked session keeps access. */
  accessTokenSeconds: number;
  /** A session's absolute end: then the browser signs in again (silently while the provider's own session lasts). */
  sessionHours: number;
  /** Key that signs access tokens (≥ 32 characters); null: generated once and kept in the database. */
  signingKey: string | null;
  /** Leeway for clock differences with the identity provider when checking `exp`/`iat`. */
  clockToleranceSeconds: number;
}

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** An issuer over plain http is accepted only on loopback (a local test provider); everything else must be https. */
const issuerUrl = z
  .url({ message: "must be the identity provider's issuer URL, such as https://login.example.com/oauth2/default" })
  .refine((v) => {
    const u = new URL(v);
    return u.protocol === "https:" || (u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname));
  }, "must use https (plain http only for a provider on 127.0.0.1 or localhost)");

export const SSO_ENV = {
  QUORUM_SSO_ISSUER: issuerUrl.optional(),
  QUORUM_SSO_CLIENT_ID: z.string().min(1).max(300).optional(),
  QUORUM_SSO_CLIENT_SECRET: z.string().min(1).optional(),
  QUORUM_SSO_SCOPES: z
    .string()
    .default("openid email profile")
    .refine((v) => v.split(/\s+/).includes("openid"), "must include openid, e.g. 'openid email profile groups'"),
  QUORUM_SSO_GROUPS_CLAIM: z.string().min(1).max(200).default("groups"),
  QUORUM_SSO_ADMINS: z.string().default(""),
  QUORUM_SSO_MARKETERS: z.string().default(""),
  QUORUM_SSO_SALES: z.string().default("*"),
  QUORUM_SSO_ACCESS_TOKEN_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  QUORUM_SSO_SESSION_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 90)
    .default(24),
  QUORUM_SSO_SIGNING_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  QUORUM_SSO_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
};

type SsoEnv = z.infer<z.ZodObject<typeof SSO_ENV>>;

export function ssoConfig(e: SsoEnv): SsoConfig | null {
  if (!e.QUORUM_SSO_ISSUER && !e.QUORUM_SSO_CLIENT_ID) return null;
  if (!e.QUORUM_SSO_ISSUER || !e.QUORUM_SSO_CLIENT_ID) {
    throw new Error(
      "Invalid configuration in the environment:\n  QUORUM_SSO_ISSUER and QUORUM_SSO_CLIENT_ID: single sign-on needs both (or neither)",
    );
  }
  const roles = {} as Record<UserRole, string[]>;
  for (const role of USER_ROLES) {
    const key = role === "admin" ? "QUORUM_SSO_ADMINS" : role === "marketer" ? "QUORUM_SSO_MARKETERS" : "QUORUM_SSO_SALES";
    roles[role] = list(e[key]);
  }
  return {
    issuer: e.QUORUM_SSO_ISSUER,
    clientId: e.QUORUM_SSO_CLIENT_ID,
    clientSecret: e.QUORUM_SSO_CLIENT_SECRET ?? null,
    scopes: e.QUORUM_SSO_SCOPES.trim().split(/\s+/).join(" "),
    groupsClaim: e.QUORUM_SSO_GROUPS_CLAIM,
    roles,
    accessTokenSeconds: e.QUORUM_SSO_ACCESS_TOKEN_SECONDS,
    sessionHours: e.QUORUM_SSO_SESSION_HOURS,
    signingKey: e.QUORUM_SSO_SIGNING_KEY ?? null,
    clockToleranceSeconds: e.QUORUM_SSO_CLOCK_TOLERANCE_SECONDS,
  };
}

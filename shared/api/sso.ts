import { z } from "zod";
import type { UserRole } from "../domain/roles";
import { IdSchema } from "./common";

/** RFC 7636: 43–128 characters of the unreserved set. */
const PkceVerifier = z
  .string()
  .regex(/^[A-Za-z0-9\-._~]{43,128}$/, "must be the PKCE code verifier: 43–128 characters of A–Z a–z 0–9 - . _ ~");
const Opaque = (what: string) =>
  z
    .string()
    .min(8, `must be the ${what} the extension generated (at least 8 characters)`)
    .max(512, "must be at most 512 characters")
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

/**
 * Where the identity provider sent the browser back: the extension's redirect URL (Chrome
 * `https://<extension id>.chromiumapp.org/…`, Firefox `https://<id>.extensions.allizom.org/…`) with `code` and `state`.
 */
export const SsoRedirectUrl = z
  .string()
  .max(8192, "must be at most 8192 characters")
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" && /^[a-z0-9-]+\.(chromiumapp\.org|extensions\.allizom\.org)$/.test(u.hostname);
    } catch {
      return false;
    }
  }, "must be the URL launchWebAuthFlow returned (https://<extension id>.chromiumapp.org/… or https://<id>.extensions.allizom.org/…)");

/** POST /auth/sso/token: the browser finished the provider's sign-in; the server redeems the code and checks the ID token. */
export const SsoTokenBody = z.object({
  redirectUrl: SsoRedirectUrl,
  codeVerifier: PkceVerifier,
  state: Opaque("state"),
  nonce: Opaque("nonce"),
  client: z.enum(["chrome", "firefox", "other"]).default("other"),
});
export type SsoTokenInput = z.infer<typeof SsoTokenBody>;

const RefreshToken = z.string().regex(/^qrt_[A-Za-z0-9_-]{20,100}$/, "must be a Quorum refresh token (qrt_…)");

export const SsoRefreshBody = z.object({ refreshToken: RefreshToken });
export type SsoRefreshInput = z.infer<typeof SsoRefreshBody>;

export const SessionParam = z.object({ id: IdSchema, sessionId: IdSchema });

/** What the extension needs to start a sign-in (GET /auth/sso/config). */
export type SsoPublicConfig =
  | { enabled: false }
  | { enabled: true; issuer: string; clientId: string; authorizationEndpoint: string; scopes: string };

/** A signed-in browser's credentials: a short-lived access token (a bearer like an API token) and a refresh token. */
export interface SsoTokens {
  accessToken: string;
  /** ISO-8601; renew before it (POST /auth/sso/refresh). */
  accessTokenExpiresAt: string;
  /** Single use: each refresh returns a new one, and presenting a used one ends the session. */
  refreshToken: string;
  /** ISO-8601: the session's absolute end; then sign in again. */
  sessionExpiresAt: string;
  user: { id: string; name: string; email: string | null; role: UserRole };
}

export interface SsoSessionSummary {
  id: string;
  userId: string;
  client: string;
  createdAt: string;
  lastRefreshedAt: string;
  expiresAt: string;
  /** true for the sign-in the request was made with (an admin console signed in with single sign-on) */
  current: boolean;
}

/**
 * Why an SSO request was refused (`error.details.reason` of a 401/403): the extension renews on
 * `access_token_expired`, signs in again (silently if it can) on the session reasons, and shows the message otherwise.
 */
export type SsoRefusal =
  | "access_token_expired"
  | "access_token_invalid"
  | "session_expired"
  | "session_revoked"
  | "user_disabled"
  | "refresh_token_reused"
  | "refresh_token_invalid"
  | "id_token_wrong_issuer"
  | "id_token_wrong_audience"
  | "id_token_bad_signature"
  | "id_token_expired"
  | "id_token_invalid"
  | "nonce_mismatch"
  | "provider_refused"
  | "no_role"
  | "sso_disabled";

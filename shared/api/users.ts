import { z } from "zod";
import { USER_ROLES, type UserRole } from "../domain/roles";
import { IdSchema, requiredName } from "./common";

/** admin | marketer | sales, with a message that lists them. */
export const UserRoleSchema = z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` });

const TokenName = requiredName(100);

/** When a token stops working: an ISO-8601 date-time in the future, or null/absent for never. */
export const TokenExpiry = z.iso
  .datetime({ offset: true, message: "must be an ISO-8601 date-time such as 2027-06-30T23:59:59Z, or null for never" })
  .nullish()
  .transform((v) => (v ? new Date(v).toISOString() : null));

/** A new user and their first token (`tokenName` defaults to "default"); the token is returned once. */
export const CreateUserBody = z.object({
  name: requiredName(200),
  role: UserRoleSchema,
  tokenName: TokenName.optional().default("default"),
  /** Expiry of the first token (null or absent: never). */
  tokenExpiresAt: TokenExpiry,
});
export type CreateUserInput = z.infer<typeof CreateUserBody>;

export const ChangeUserRoleBody = z.object({ role: UserRoleSchema });
export type ChangeUserRoleInput = z.infer<typeof ChangeUserRoleBody>;

export const CreateTokenBody = z.object({ name: TokenName, expiresAt: TokenExpiry });
export type CreateTokenInput = z.infer<typeof CreateTokenBody>;

export const UserTokenParam = z.object({ id: IdSchema, tokenId: IdSchema });

export interface UserSummary {
  id: string;
  name: string;
  /** the email address single sign-on linked (null for users made with an API token only) */
  email: string | null;
  role: UserRole;
  createdAt: string;
  /** when an admin disabled the user (they can neither sign in nor use a token); null: enabled */
  disabledAt: string | null;
  /** every token ever issued to the user, revoked ones included */
  tokens: number;
  /** tokens that still work (not revoked, not expired) */
  activeTokens: number;
  /** the latest use of any of the user's tokens, when the server records it (null otherwise) */
  lastUsedAt: string | null;
}

export interface TokenSummary {
  id: string;
  userId: string;
  name: string;
  /** the first characters of the token, to tell tokens apart (the token itself is never stored) */
  prefix: string;
  createdAt: string;
  /** the last request made with it, to within a minute (the server writes it at most once a minute) */
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** when it stops working; null: never */
  expiresAt: string | null;
  /** true once expiresAt has passed (it then answers 401 with reason `token_expired`) */
  expired: boolean;
  /** true for the token this request was made with */
  current: boolean;
}

/** GET /api/users: the users, and how long ending someone's access takes on this server. */
export interface UsersList {
  items: UserSummary[];
  access: {
    /** whether single sign-on is set up (QUORUM_SSO_ISSUER); without it nobody has sign-ins, only API tokens */
    sso: boolean;
    /**
     * QUORUM_SSO_ACCESS_TOKEN_SECONDS: an access token issued before a disable or an ended sign-in keeps working at
     * most this long (null without single sign-on: API tokens stop at the next request)
     */
    accessTokenSeconds: number | null;
  };
}

/** A newly issued token: `plainToken` is shown this once; only its keyed hash (HMAC-SHA256) is stored. */
export interface IssuedToken {
  token: TokenSummary;
  plainToken: string;
}

export interface CreatedUser extends IssuedToken {
  user: UserSummary;
}

import { z } from "zod";
import { USER_ROLES, type UserRole } from "../domain/roles";
import { IdSchema, requiredName } from "./common";

/** admin | marketer | sales, with a message that lists them. */
export const UserRoleSchema = z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(", ")}` });

const TokenName = requiredName(100);

/** A new user and their first token (`tokenName` defaults to "default"); the token is returned once. */
export const CreateUserBody = z.object({
  name: requiredName(200),
  role: UserRoleSchema,
  tokenName: TokenName.optional().default("default"),
});
export type CreateUserInput = z.infer<typeof CreateUserBody>;

export const ChangeUserRoleBody = z.object({ role: UserRoleSchema });
export type ChangeUserRoleInput = z.infer<typeof ChangeUserRoleBody>;

export const CreateTokenBody = z.object({ name: TokenName });
export type CreateTokenInput = z.infer<typeof CreateTokenBody>;

export const UserTokenParam = z.object({ id: IdSchema, tokenId: IdSchema });

export interface UserSummary {
  id: string;
  name: string;
  role: UserRole;
  createdAt: string;
  /** every token ever issued to the user, revoked ones included */
  tokens: number;
  /** tokens that still work */
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
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** true for the token this request was made with */
  current: boolean;
}

/** A newly issued token: `plainToken` is shown this once; only its SHA-256 is stored. */
export interface IssuedToken {
  token: TokenSummary;
  plainToken: string;
}

export interface CreatedUser extends IssuedToken {
  user: UserSummary;
}

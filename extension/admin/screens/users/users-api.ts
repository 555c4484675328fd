/** The users screen's server calls (admin only): typed wrappers over the console's client. */
import type { SsoSessionSummary } from "../../../../shared/api/sso";
import type { CreatedUser, IssuedToken, TokenSummary, UserSummary, UsersList } from "../../../../shared/api/users";
import type { UserRole } from "../../../../shared/domain/roles";
import { type AdminApi, expectOk, expectOkWithIssues } from "../../api";

/** What POST /api/users/:id/disable and /enable answer. */
export interface AccessChange {
  id: string;
  disabledAt: string | null;
  sessionsEnded: number;
  tokensRevoked: number;
}

export function usersApi(api: AdminApi) {
  return {
    list: () => expectOk<UsersList>(api.users.$get()),
    create: (json: { name: string; role: UserRole; tokenName: string; tokenExpiresAt: string | null }) =>
      expectOkWithIssues<CreatedUser>(api.users.$post({ json })),
    setRole: (id: string, role: UserRole) =>
      expectOkWithIssues<UserSummary>(api.users[":id"].role.$put({ param: { id }, json: { role } })),
    tokens: async (id: string) =>
      (await expectOk<{ items: TokenSummary[] }>(api.users[":id"].tokens.$get({ param: { id } }))).items,
    createToken: (id: string, name: string, expiresAt: string | null) =>
      expectOkWithIssues<IssuedToken>(api.users[":id"].tokens.$post({ param: { id }, json: { name, expiresAt } })),
    revoke: (id: string, tokenId: string) =>
      expectOkWithIssues<TokenSummary>(api.users[":id"].tokens[":tokenId"].revoke.$post({ param: { id, tokenId } })),
    /** The user's open single sign-on sessions ("sign-ins"), newest first. */
    sessions: async (id: string) =>
      (await expectOk<{ items: SsoSessionSummary[] }>(api.users[":id"].sessions.$get({ param: { id } }))).items,
    endSession: (id: string, sessionId: string) =>
      expectOkWithIssues<{ revoked: boolean }>(
        api.users[":id"].sessions[":sessionId"].revoke.$post({ param: { id, sessionId } }),
      ),
    /** 409 for yourself or the last enabled admin. */
    disable: (id: string) => expectOkWithIssues<AccessChange>(api.users[":id"].disable.$post({ param: { id } })),
    enable: (id: string) => expectOkWithIssues<AccessChange>(api.users[":id"].enable.$post({ param: { id } })),
  };
}

export type UsersClient = ReturnType<typeof usersApi>;

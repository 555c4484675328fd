/** The users screen's server calls (admin only): typed wrappers over the console's client. */
import type { CreatedUser, IssuedToken, TokenSummary, UserSummary } from "../../../../shared/api/users";
import type { UserRole } from "../../../../shared/domain/roles";
import { type AdminApi, expectOk, expectOkWithIssues } from "../../api";

export function usersApi(api: AdminApi) {
  return {
    list: async () => (await expectOk<{ items: UserSummary[] }>(api.users.$get())).items,
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
  };
}

export type UsersClient = ReturnType<typeof usersApi>;

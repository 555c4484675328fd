import type { AccountLookupResult } from "../../../shared/api/accounts";
import type { GroupSummary } from "../../../shared/api/groups";
import type { ReportedPage } from "../messages";
import type { ServerApi } from "../server-api";

/**
 * Resolves a CRM page to a Quorum account: CRM record id first, then the page's domain, then its name.
 * An exact CRM-id or domain match is unique; name matches may be several (the panel asks the user to link).
 */
export async function resolveAccount(api: ServerApi, page: ReportedPage): Promise<AccountLookupResult> {
  const byCrm = await api.lookupAccount({ crm: page.crm, recordId: page.recordId });
  if (byCrm.accounts.length > 0) return byCrm;
  if (page.domain) {
    const byDomain = await api.lookupAccount({ domain: page.domain });
    if (byDomain.accounts.length > 0) return byDomain;
  }
  if (page.name) return api.lookupAccount({ name: page.name });
  return { matchedBy: null, accounts: [] };
}

/** A group whose stage is won or lost: nothing left to do for a rep. */
export const isClosed = (g: Pick<GroupSummary, "stage">): boolean => g.stage?.kind === "success" || g.stage?.kind === "failure";

/** Open groups first (no stage, entry or in progress), then closed ones; most recently changed first within each. */
export function orderGroups<T extends Pick<GroupSummary, "stage" | "updatedAt">>(groups: readonly T[]): T[] {
  return [...groups].sort((a, b) => Number(isClosed(a)) - Number(isClosed(b)) || b.updatedAt.localeCompare(a.updatedAt));
}

/** The group the user picked for the account if it still exists, else the first of {@link orderGroups}. */
export function currentGroup(groups: readonly GroupSummary[], selectedId: string | null | undefined): GroupSummary | null {
  return groups.find((g) => g.id === selectedId) ?? orderGroups(groups)[0] ?? null;
}

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

/** The group the user picked for the account if it still exists, else the most recently modified one. */
export function currentGroup(groups: readonly GroupSummary[], selectedId: string | undefined): GroupSummary | null {
  const picked = groups.find((g) => g.id === selectedId);
  if (picked) return picked;
  return [...groups].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null;
}

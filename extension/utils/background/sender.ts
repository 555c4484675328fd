import { adapterForUrl, type CrmAdapter } from "../../crm";
import { CONTENT_REQUESTS, type RequestType } from "../messages";

export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

/**
 * Who may send what: content-script requests only from a tab whose URL a CRM adapter serves; every other request only
 * from the extension's own pages. Returns the tab id for content requests, "extension" for pages, or null to refuse.
 */
export function checkSender(
  type: RequestType,
  sender: SenderLike,
  ownId: string,
  ownOrigin: string,
  customAdapters: readonly CrmAdapter[],
): number | "extension" | null {
  if (sender.id !== ownId) return null;
  if (CONTENT_REQUESTS.has(type)) {
    const tabId = sender.tab?.id;
    if (tabId === undefined || !sender.url || !adapterForUrl(sender.url, customAdapters)) return null;
    return tabId;
  }
  if (!sender.url?.startsWith(ownOrigin)) return null;
  return "extension";
}

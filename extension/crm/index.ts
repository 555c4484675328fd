/** CRM adapters: pure DOM readers that recognise CRM account (company) record pages and the contacts visible on them. */
import { dynamicsAdapter } from "./dynamics";
import { hubspotAdapter } from "./hubspot";
import { usePageWords } from "./labels";
import { matchesAny } from "./match-pattern";
import { pipedriveAdapter } from "./pipedrive";
import { salesforceAdapter } from "./salesforce";
import type { AccountPage, CrmAdapter } from "./types";
import { PAGE_WORDS } from "./words";
import { zohoAdapter } from "./zoho";

export { type CustomAdapterConfig, CustomAdapterConfigError, createCustomAdapter, validateCustomAdapterConfig } from "./custom";
export { deepQuery, deepQueryAll, deepText, isHidden, OWN_UI_ATTRIBUTE } from "./dom";
export { dynamicsAdapter } from "./dynamics";
export { hubspotAdapter } from "./hubspot";
export { isMatchPattern, matchesPattern } from "./match-pattern";
export { pipedriveAdapter } from "./pipedrive";
export { salesforceAdapter, salesforceId18 } from "./salesforce";
export { normaliseDomain } from "./text";
export type { AccountPage, CrmAdapter, CrmId, PageContact } from "./types";
export { zohoAdapter } from "./zoho";
export { PAGE_WORDS, usePageWords };

// Everything that imports the adapters through this index (the background, tests) reads with the full dictionary;
// content scripts import adapters directly and get the dictionary from the background (see words.ts).
usePageWords(PAGE_WORDS);

export const builtinAdapters: readonly CrmAdapter[] = Object.freeze([
  salesforceAdapter,
  hubspotAdapter,
  dynamicsAdapter,
  pipedriveAdapter,
  zohoAdapter,
]);

function toUrl(url: URL | Location | string): URL | null {
  try {
    return new URL(typeof url === "string" ? url : url.href);
  } catch {
    return null;
  }
}

/**
 * The adapter serving this URL's site (whether or not the page is an account record), or null. User-configured
 * custom adapters are tried first, so a custom configuration can take over a host.
 */
export function adapterForUrl(url: URL | Location | string, customAdapters: readonly CrmAdapter[] = []): CrmAdapter | null {
  const u = toUrl(url);
  if (!u) return null;
  for (const adapter of [...customAdapters, ...builtinAdapters]) {
    if (matchesAny(adapter.matches, u) && (adapter.servesUrl?.(u) ?? true)) return adapter;
  }
  return null;
}

/** Convenience: find the adapter for `url` and read the account page; null when no adapter or not an account page. */
export function readAccountPage(
  url: URL | Location | string,
  doc: Document,
  customAdapters: readonly CrmAdapter[] = [],
): AccountPage | null {
  const u = toUrl(url);
  if (!u) return null;
  return adapterForUrl(u, customAdapters)?.read(u, doc) ?? null;
}

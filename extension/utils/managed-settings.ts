/**
 * Settings pushed by the organisation: Chrome reads them from enterprise policy (the manifest's
 * `storage.managed_schema`, extension/public/managed-schema.json), Firefox from policies.json ("3rdparty" →
 * "Extensions" → the add-on id). Both arrive in `storage.managed`; a value set there wins over the options page, which
 * shows it as set by the organisation and locked. See docs/deploy.md.
 */
import { browser } from "wxt/browser";
import type { CustomAdapterConfig } from "../crm";

export const SAAS_CRMS = ["salesforce", "hubspot", "dynamics", "pipedrive", "zoho"] as const;
export type SaasCrm = (typeof SAAS_CRMS)[number];

export interface ManagedSettings {
  serverUrl?: string;
  ssoIssuer?: string;
  ssoClientId?: string;
  enabledCrms?: SaasCrm[];
  customCrms?: CustomAdapterConfig[];
}

export type ManagedKey = keyof ManagedSettings;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/**
 * Keeps only well-formed values: a policy typo must not break the extension, so a wrong-typed value is ignored (and the
 * user's own setting applies) rather than trusted.
 */
export function parseManaged(raw: unknown): ManagedSettings {
  if (!raw || typeof raw !== "object") return {};
  const r = raw as Record<string, unknown>;
  const out: ManagedSettings = {};
  const serverUrl = str(r.serverUrl);
  if (serverUrl && /^https?:\/\/[^\s/]+/i.test(serverUrl)) out.serverUrl = serverUrl.replace(/\/+$/, "");
  const issuer = str(r.ssoIssuer);
  if (issuer && /^https?:\/\//i.test(issuer)) out.ssoIssuer = issuer;
  const clientId = str(r.ssoClientId);
  if (clientId) out.ssoClientId = clientId;
  if (Array.isArray(r.enabledCrms)) {
    out.enabledCrms = r.enabledCrms.filter((c): c is SaasCrm => (SAAS_CRMS as readonly unknown[]).includes(c));
  }
  if (Array.isArray(r.customCrms)) {
    out.customCrms = r.customCrms.flatMap((c) => {
      const o = (c ?? {}) as Record<string, unknown>;
      const host = str(o.host);
      const accountPathPattern = str(o.accountPathPattern);
      const contactLinkPattern = str(o.contactLinkPattern);
      return host && accountPathPattern && contactLinkPattern ? [{ host, accountPathPattern, contactLinkPattern }] : [];
    });
  }
  return out;
}

/** The organisation's settings, or none (no policy; Firefox without policies.json throws here). */
export async function loadManagedSettings(): Promise<ManagedSettings> {
  try {
    const area = (browser.storage as { managed?: { get(keys: null): Promise<Record<string, unknown>> } }).managed;
    return area ? parseManaged(await area.get(null)) : {};
  } catch {
    return {};
  }
}

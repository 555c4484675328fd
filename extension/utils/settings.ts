import { browser } from "wxt/browser";
import type { CustomAdapterConfig } from "../crm";
import type { Language } from "./i18n";
import { loadManagedSettings, type ManagedKey, type ManagedSettings, type SaasCrm } from "./managed-settings";

export interface Settings {
  /** e.g. "http://127.0.0.1:8787" (no trailing slash) */
  serverUrl: string;
  token: string;
  /** "auto" follows the browser's language */
  language: Language | "auto";
  customCrms: CustomAdapterConfig[];
  /** Single sign-on (server/sso): the issuer and client id; empty = the server's own (GET /auth/sso/config). */
  ssoIssuer?: string;
  ssoClientId?: string;
  /** The SaaS CRMs the content scripts act on; null = all. Only the organisation sets this (managed settings). */
  enabledCrms?: SaasCrm[] | null;
  /** Keys the organisation set (managed storage): shown locked in the options page; never saved from there. */
  managed?: ManagedKey[];
  /** Filled by the background: whether a single sign-on session is open for this server, and whose. */
  sso?: { signedIn: boolean; name: string | null; role: string | null };
}

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: "",
  token: "",
  language: "auto",
  customCrms: [],
  ssoIssuer: "",
  ssoClientId: "",
  enabledCrms: null,
  managed: [],
};
const KEY = "settings";

/** The user's settings with the organisation's managed values on top (those win). */
export function withManaged(local: Settings, managed: ManagedSettings): Settings {
  const keys = Object.keys(managed) as ManagedKey[];
  return { ...local, ...managed, enabledCrms: managed.enabledCrms ?? null, managed: keys };
}

/** Reads the settings (extension pages and background only: the token must never reach a content script). */
export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  const local = { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
  return withManaged({ ...local, managed: [], enabledCrms: null, sso: undefined }, await loadManagedSettings());
}

/** Saves what the user may set: values the organisation manages are kept as the user had them, never overwritten. */
export async function saveSettings(settings: Settings): Promise<void> {
  const stored = ((await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined) ?? {};
  const next: Partial<Settings> = { ...settings, serverUrl: normaliseServerUrl(settings.serverUrl) };
  for (const k of settings.managed ?? []) next[k] = stored[k] as never;
  delete next.managed;
  delete next.sso;
  delete next.enabledCrms;
  await browser.storage.local.set({ [KEY]: next });
}

/** "127.0.0.1:8787/" → "http://127.0.0.1:8787"; keeps an explicit scheme. */
export function normaliseServerUrl(input: string): string {
  const s = input.trim().replace(/\/+$/, "");
  if (s === "") return "";
  return /^https?:\/\//i.test(s) ? s : `http://${s}`;
}

/** A server address and a way to sign in: an API token, or an open single sign-on session. */
export const isConfigured = (s: Settings): boolean => s.serverUrl !== "" && (s.token !== "" || s.sso?.signedIn === true);

/** The match pattern for a server's origin, for `permissions.request`. */
export function originPattern(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

import { browser } from "wxt/browser";
import type { CustomAdapterConfig } from "../crm";
import type { Language } from "./i18n";

export interface Settings {
  /** e.g. "http://127.0.0.1:8787" (no trailing slash) */
  serverUrl: string;
  token: string;
  /** "auto" follows the browser's language */
  language: Language | "auto";
  customCrms: CustomAdapterConfig[];
}

export const DEFAULT_SETTINGS: Settings = { serverUrl: "", token: "", language: "auto", customCrms: [] };
const KEY = "settings";

/** Reads the settings (extension pages and background only: the token must never reach a content script). */
export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: { ...settings, serverUrl: normaliseServerUrl(settings.serverUrl) } });
}

/** "127.0.0.1:8787/" → "http://127.0.0.1:8787"; keeps an explicit scheme. */
export function normaliseServerUrl(input: string): string {
  const s = input.trim().replace(/\/+$/, "");
  if (s === "") return "";
  return /^https?:\/\//i.test(s) ? s : `http://${s}`;
}

export const isConfigured = (s: Settings): boolean => s.serverUrl !== "" && s.token !== "";

/** The match pattern for a server's origin, for `permissions.request`. */
export function originPattern(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

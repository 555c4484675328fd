/**
 * The options page's connection logic, without UI: check the address, ask the browser for a remote server's
 * permission, test the server and the token, and save only what passed (or, for a server that does not answer,
 * when the user says so).
 */
import { browser } from "wxt/browser";
import type { Send } from "../../models/panel-model";
import { errorText } from "../../utils/error-text";
import { type Language, translate } from "../../utils/i18n";
import type { Me } from "../../utils/messages";
import { normaliseServerUrl, originPattern, type Settings } from "../../utils/settings";

export type TestResult =
  | { ok: true; me: Me; text: string }
  /** `unreachable`: the server did not answer (saving anyway is allowed); otherwise it refused or the input is wrong */
  | { ok: false; unreachable: boolean; text: string };

/** Remote servers need their origin granted, asked for from this click (loopback is granted by the manifest). */
async function grantServer(url: string): Promise<boolean> {
  const pattern = originPattern(url);
  if (!pattern) return false;
  if (await browser.permissions.contains({ origins: [pattern] })) return true;
  return browser.permissions.request({ origins: [pattern] });
}

/** Tests the address and token as typed; every failure says what to do. */
export async function testConnection(
  send: Send,
  lang: Language,
  input: Pick<Settings, "serverUrl" | "token">,
): Promise<TestResult> {
  const serverUrl = normaliseServerUrl(input.serverUrl);
  const token = input.token.trim();
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
  if (serverUrl === "") return { ok: false, unreachable: false, text: t("enterServerUrl") };
  if (originPattern(serverUrl) === null)
    return { ok: false, unreachable: false, text: t("invalidServerUrl", { url: input.serverUrl.trim() }) };
  if (token === "") return { ok: false, unreachable: false, text: t("enterToken") };
  if (!(await grantServer(serverUrl))) {
    return { ok: false, unreachable: false, text: t("permissionDenied", { host: new URL(serverUrl).host }) };
  }
  const r = await send({ type: "connection/test", serverUrl, token });
  if (r.ok)
    return { ok: true, me: r.data, text: t("connectedAs", { name: r.data.name, role: r.data.role, version: r.data.apiVersion }) };
  if (r.error.kind === "unreachable") return { ok: false, unreachable: true, text: t("unreachableBody", { url: serverUrl }) };
  if (r.error.kind === "unauthorized") return { ok: false, unreachable: false, text: t("unauthorizedBody") };
  if (r.error.kind === "incompatible") return { ok: false, unreachable: false, text: r.error.message };
  return { ok: false, unreachable: false, text: errorText(lang, r.error) };
}

/** Saves the settings (token trimmed); returns the stored settings or the failure's text. */
export async function saveSettings(
  send: Send,
  lang: Language,
  next: Settings,
): Promise<{ ok: true; settings: Settings } | { ok: false; text: string }> {
  const r = await send({ type: "settings/save", settings: { ...next, token: next.token.trim() } });
  return r.ok ? { ok: true, settings: r.data } : { ok: false, text: errorText(lang, r.error) };
}

/**
 * The admin console signs in with the same credentials as the background: an API token from the settings, or else the
 * single sign-on session's access token. The console never renews it itself (a refresh token works once, and only the
 * background holds it): every request asks the background for a current access token, which it renews when due.
 */
import { createAdminApi } from "../admin/api";
import { send } from "../utils/send";
import type { Settings } from "../utils/settings";

/** The settings as the background reports them, with an SSO access token in `token` when no API token is set. */
export async function loadConsoleSettings(): Promise<Settings> {
  const r = await send({ type: "settings/get" });
  if (!r.ok) throw new Error(r.error.message);
  const settings = r.data;
  if (settings.token || !settings.sso?.signedIn) return settings;
  const token = await send({ type: "sso/access-token" });
  return token.ok ? { ...settings, token: token.data } : settings;
}

/** A fetch that puts the background's current access token on every request (timed out like the console's own). */
const ssoFetch: typeof fetch = async (input, init) => {
  const token = await send({ type: "sso/access-token" });
  const headers = new Headers(init?.headers);
  if (token.ok) headers.set("authorization", `Bearer ${token.data}`);
  return fetch(input, { ...init, headers, signal: AbortSignal.timeout(30_000) });
};

/** The console's API client: plain for API tokens, renewing through the background for an SSO session. */
export function createConsoleApi(url: string, token: string) {
  return /^eyJ[\w-]*\./.test(token) ? createAdminApi(url, token, ssoFetch) : createAdminApi(url, token);
}

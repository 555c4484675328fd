/** The SSO client wired to the browser: identity.launchWebAuthFlow, storage.local (trusted contexts only), fetch. */
import { browser } from "wxt/browser";
import { loadSettings } from "../settings";
import { createSsoClient, type SsoClient, type StoredSso } from "./sso-client";

const KEY = "sso";

export function createBrowserSsoClient(): SsoClient | undefined {
  const identity = (browser as unknown as { identity?: typeof browser.identity }).identity;
  if (!identity?.launchWebAuthFlow) return undefined;
  return createSsoClient({
    loadSettings,
    load: async () => ((await browser.storage.local.get(KEY))[KEY] as StoredSso | undefined) ?? null,
    save: async (session) => (session ? browser.storage.local.set({ [KEY]: session }) : browser.storage.local.remove(KEY)),
    fetch: (input, init) => fetch(input, init),
    launchWebAuthFlow: (details) => identity.launchWebAuthFlow(details),
    redirectUrl: () => identity.getRedirectURL(),
    // Firefox's redirect URL is on extensions.allizom.org; Chrome's on chromiumapp.org.
    client: identity.getRedirectURL().includes(".allizom.org") ? "firefox" : "chrome",
    now: () => Date.now(),
  });
}

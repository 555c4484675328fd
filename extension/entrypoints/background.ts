import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { createBackground } from "../utils/background/create-background";
import { registerCustomCrms } from "../utils/background/register-custom-crms";
import { provideCatalogues } from "../utils/i18n";
import { fr } from "../utils/i18n-fr";
import { nl } from "../utils/i18n-nl";
import { sv } from "../utils/i18n-sv";
import { createServerApi } from "../utils/server-api";
import { loadSettings, saveSettings } from "../utils/settings";
import { createBrowserSsoClient } from "../utils/sso/browser-sso";

export default defineBackground({
  type: "module",
  main() {
    // A service worker cannot import() on demand: every language is bundled (CRM-page lines, notifications).
    provideCatalogues({ nl, sv, fr });
    const background = createBackground({
      loadSettings,
      saveSettings,
      createApi: (url, token) => createServerApi(url, token),
      broadcast: (message) => {
        browser.runtime.sendMessage(message).catch(() => {
          // no extension page is open: nobody to tell
        });
      },
      registerCustomCrms,
      // the content script on a CRM tab reports its page again (its controls may show another group or state)
      notifyTab: (tabId, message) => {
        browser.tabs.sendMessage(tabId, message).catch(() => {});
      },
      activeTabId: async () => (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? null,
      browserLanguage: () => navigator.language,
      ownId: browser.runtime.id,
      ownOrigin: new URL("/", location.href).href,
      sso: createBrowserSsoClient(),
    });
    browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
      if ((message as { type?: string } | null)?.type?.startsWith("broadcast/")) return undefined;
      // sendResponse + `true` keeps the channel open in every browser (not all accept a returned promise)
      background.handle(message, sender).then(sendResponse);
      return true;
    });
    browser.tabs.onRemoved.addListener((tabId) => background.forgetTab(tabId));
    browser.tabs.onActivated.addListener(({ tabId }) => {
      browser.runtime.sendMessage({ type: "broadcast/page", tabId }).catch(() => {});
    });
    // The token lives in storage.local: keep that area out of content scripts where the browser allows it.
    const local = browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
    local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});
    // Chrome: the toolbar button opens the side panel.
    (browser as unknown as { sidePanel?: { setPanelBehavior(o: object): Promise<void> } }).sidePanel
      ?.setPanelBehavior({ openPanelOnActionClick: true })
      .catch(() => {});
    loadSettings()
      .then(registerCustomCrms)
      .catch(() => {});
  },
});

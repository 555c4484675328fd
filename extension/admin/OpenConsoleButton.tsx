/**
 * "Open admin console": shown on the options page and in the side panel to admins and marketers only. The role comes
 * from a successful connection test (`role`) or, without one, from the saved settings through the background's
 * `connection/test` message (the same `GET /api/me` the panel already makes); sales users and unconfigured or failing
 * connections get nothing.
 */
import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { Send } from "../models/panel-model";
import { isConfigured } from "../utils/settings";
import { defineMessages, useT } from "./i18n";
import { canUseConsole } from "./session";

export const consoleButtonMessages = defineMessages({
  en: { open: "Open admin console" },
  nl: { open: "Beheerconsole openen" },
  sv: { open: "Öppna administrationskonsolen" },
  fr: { open: "Ouvrir la console d'administration" },
});

/** `runtime.getURL`, typed here: its path union is generated into .wxt, which type checking leaves out. */
const extensionUrl = (path: string): string => (browser.runtime as unknown as { getURL(p: string): string }).getURL(path);

export function openAdminConsole(): void {
  void browser.tabs.create({ url: extensionUrl("/admin.html") });
}

/** Roles already looked up, per server and token, for the life of the page (the panel re-renders often). */
const roles = new Map<string, string>();

/** The signed-in role from the saved settings, or null (unconfigured, unreachable, refused). */
export async function roleFromSettings(send: Send): Promise<string | null> {
  try {
    const settings = await send({ type: "settings/get" });
    if (!settings.ok || !settings.data || !isConfigured(settings.data)) return null;
    const key = `${settings.data.serverUrl}\n${settings.data.token}`;
    const known = roles.get(key);
    if (known) return known;
    const me = await send({ type: "connection/test", serverUrl: settings.data.serverUrl, token: settings.data.token });
    if (!me.ok || typeof me.data?.role !== "string") return null;
    roles.set(key, me.data.role);
    return me.data.role;
  } catch {
    return null;
  }
}

export interface OpenConsoleButtonProps {
  send: Send;
  /** the role from a connection test just made; without it the saved settings are asked */
  userRole?: string | null;
  /** change it (e.g. after saving settings) to look the role up again */
  refresh?: unknown;
}

export function OpenConsoleButton({ send, userRole: role, refresh }: OpenConsoleButtonProps) {
  const t = useT(consoleButtonMessages);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    if (typeof role === "string") return;
    let live = true;
    void roleFromSettings(send).then((r) => {
      if (live) setSaved(r);
    });
    return () => {
      live = false;
    };
  }, [role, refresh]);

  const effective = typeof role === "string" ? role : saved;
  if (!effective || !canUseConsole(effective)) return null;
  return (
    <button type="button" class="open-console" data-testid="open-console" onClick={openAdminConsole}>
      {t("open")}
    </button>
  );
}

import { browser } from "wxt/browser";
import { createCustomAdapter } from "../../crm";
import type { Settings } from "../settings";

/** entrypoints/custom-crm.ts, built as an unlisted script (see there). */
export const CUSTOM_CRM_SCRIPT = "custom-crm.js";

const ID_PREFIX = "quorum-custom-";

/**
 * (Re)registers the content script for each self-hosted CRM whose host permission the user granted; hosts without a
 * grant are skipped (the options page requests it from a click). Returns how many are registered.
 */
export async function registerCustomCrms(settings: Settings): Promise<number> {
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return 0;
  const existing = await scripting.getRegisteredContentScripts();
  const ours = existing.filter((s) => s.id.startsWith(ID_PREFIX)).map((s) => s.id);
  if (ours.length > 0) await scripting.unregisterContentScripts({ ids: ours });
  const scripts = [];
  for (const [i, config] of settings.customCrms.entries()) {
    let matches: string[];
    try {
      matches = [...createCustomAdapter(config).matches];
    } catch {
      continue;
    }
    if (!(await browser.permissions.contains({ origins: matches }))) continue;
    scripts.push({ id: `${ID_PREFIX}${i}`, matches, js: [CUSTOM_CRM_SCRIPT], runAt: "document_idle" as const });
  }
  if (scripts.length > 0) await scripting.registerContentScripts(scripts);
  return scripts.length;
}

import { useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { type CustomAdapterConfig, createCustomAdapter } from "../../crm";
import { t } from "../../models/locale";
import { isManaged, ManagedHint } from "../../sso/OptionsAccount";
import type { Settings } from "../../utils/settings";

const EMPTY: CustomAdapterConfig = { host: "", accountPathPattern: "", contactLinkPattern: "" };

/** Self-hosted CRM hosts, folded away: most users never need them. */
export function CustomCrms({ settings, save }: { settings: Settings; save(next: Settings): Promise<void> }) {
  const [crm, setCrm] = useState<CustomAdapterConfig>(EMPTY);
  const [error, setError] = useState<string | null>(null);

  async function add() {
    let matches: string[];
    try {
      matches = [...createCustomAdapter(crm).matches];
    } catch (e) {
      return setError(e instanceof Error ? e.message : String(e));
    }
    if (!(await browser.permissions.request({ origins: matches }))) return setError(t("permissionDenied", { host: crm.host }));
    setError(null);
    await save({ ...settings, customCrms: [...settings.customCrms.filter((c) => c.host !== crm.host), crm] });
    setCrm(EMPTY);
  }

  return (
    <details class="custom-crms" open={settings.customCrms.length > 0}>
      <summary>
        <h2 id="custom-crms">{t("customCrms")}</h2>
      </summary>
      <p class="muted">{t("customCrmsHelp")}</p>
      <ManagedHint settings={settings} field="customCrms" />
      <ul class="plain">
        {settings.customCrms.map((c) => (
          <li key={c.host}>
            {c.host} · {c.accountPathPattern} · {c.contactLinkPattern}{" "}
            <button
              type="button"
              onClick={() => void save({ ...settings, customCrms: settings.customCrms.filter((x) => x.host !== c.host) })}
            >
              {t("removeCustomCrm", { host: c.host })}
            </button>
          </li>
        ))}
      </ul>
      <label class="field">
        <span>{t("customCrmHost")}</span>
        <input value={crm.host} onInput={(e) => setCrm({ ...crm, host: e.currentTarget.value })} />
      </label>
      <label class="field">
        <span>{t("accountPattern")}</span>
        <input value={crm.accountPathPattern} onInput={(e) => setCrm({ ...crm, accountPathPattern: e.currentTarget.value })} />
      </label>
      <label class="field">
        <span>{t("contactPattern")}</span>
        <input value={crm.contactLinkPattern} onInput={(e) => setCrm({ ...crm, contactLinkPattern: e.currentTarget.value })} />
      </label>
      <button type="button" onClick={add} disabled={isManaged(settings, "customCrms")}>
        {t("addCustomCrm")}
      </button>
      {error && <p role="alert">{error}</p>}
    </details>
  );
}

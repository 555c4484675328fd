import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { OpenConsoleButton } from "../admin/OpenConsoleButton";
import { type CustomAdapterConfig, createCustomAdapter } from "../crm";
import { setLanguage, t } from "../models/locale";
import type { Send } from "../models/panel-model";
import { isManaged, ManagedHint, OptionsAccount } from "../sso/OptionsAccount";
import { LANGUAGES, type Language } from "../utils/i18n";
import { DEFAULT_SETTINGS, normaliseServerUrl, originPattern, type Settings } from "../utils/settings";

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", nl: "Nederlands", sv: "Svenska", fr: "Français" };

/** Onboarding and settings: server, token, test connection, language, self-hosted CRM hosts. */
export function OptionsApp({ send }: { send: Send }) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const [testedRole, setTestedRole] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [crm, setCrm] = useState<CustomAdapterConfig>({ host: "", accountPathPattern: "", contactLinkPattern: "" });
  const [crmError, setCrmError] = useState<string | null>(null);

  function reload() {
    void send({ type: "settings/get" }).then((r) => {
      if (r.ok) {
        setSettings(r.data);
        setLanguage(r.data.language);
      }
    });
  }
  useEffect(reload, []);

  /** Remote servers need their origin granted: ask from this click (loopback is granted by the manifest). */
  async function grantServer(url: string): Promise<boolean> {
    const pattern = originPattern(normaliseServerUrl(url));
    if (!pattern) return false;
    if (await browser.permissions.contains({ origins: [pattern] })) return true;
    return browser.permissions.request({ origins: [pattern] });
  }

  async function testConnection() {
    setTest({ ok: true, text: t("testing") });
    const serverUrl = normaliseServerUrl(settings.serverUrl);
    if (!(await grantServer(serverUrl))) return setTest({ ok: false, text: t("permissionDenied", { host: serverUrl }) });
    const r = await send({ type: "connection/test", serverUrl, token: settings.token.trim() });
    setTestedRole(r.ok ? r.data.role : null);
    if (r.ok) setTest({ ok: true, text: t("connectedAs", { name: r.data.name, role: r.data.role, version: r.data.apiVersion }) });
    else {
      const text =
        r.error.kind === "unreachable"
          ? t("unreachableBody", { url: serverUrl })
          : r.error.kind === "unauthorized"
            ? t("unauthorizedBody")
            : r.error.message;
      setTest({ ok: false, text });
    }
  }

  async function save(next: Settings) {
    const r = await send({ type: "settings/save", settings: { ...next, token: next.token.trim() } });
    if (r.ok) {
      setSettings(r.data);
      setLanguage(r.data.language);
      setSaved(t("saved"));
    } else setSaved(r.error.message);
  }

  async function addCrm() {
    let matches: string[];
    try {
      matches = [...createCustomAdapter(crm).matches];
    } catch (e) {
      return setCrmError(e instanceof Error ? e.message : String(e));
    }
    if (!(await browser.permissions.request({ origins: matches }))) return setCrmError(t("permissionDenied", { host: crm.host }));
    setCrmError(null);
    const next = { ...settings, customCrms: [...settings.customCrms.filter((c) => c.host !== crm.host), crm] };
    await save(next);
    setCrm({ host: "", accountPathPattern: "", contactLinkPattern: "" });
  }

  return (
    <div class="options">
      <h1>{t("optionsTitle")}</h1>
      <section>
        <label class="field">
          <span>{t("serverUrl")}</span>
          <input
            name="serverUrl"
            placeholder="http://127.0.0.1:8787"
            value={settings.serverUrl}
            disabled={isManaged(settings, "serverUrl")}
            onInput={(e) => setSettings({ ...settings, serverUrl: e.currentTarget.value })}
          />
          <ManagedHint settings={settings} field="serverUrl" />
        </label>
        <label class="field">
          <span>{t("apiToken")}</span>
          <input
            name="token"
            type="password"
            autoComplete="off"
            value={settings.token}
            onInput={(e) => setSettings({ ...settings, token: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{t("language")}</span>
          <select
            name="language"
            value={settings.language}
            onChange={(e) => setSettings({ ...settings, language: e.currentTarget.value as Settings["language"] })}
          >
            <option value="auto">{t("languageAuto")}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="button" onClick={testConnection}>
            {t("testConnection")}
          </button>
          <button type="button" class="primary" onClick={() => void save(settings)}>
            {t("save")}
          </button>
        </div>
        {test && (
          <p role="status" data-testid="connection-result" class={test.ok ? "ok" : "err"}>
            {test.text}
          </p>
        )}
        {saved && <p role="status">{saved}</p>}
        <OpenConsoleButton send={send} userRole={testedRole} refresh={saved} />
      </section>
      <OptionsAccount send={send} settings={settings} onChange={reload} />
      <section aria-labelledby="custom-crms">
        <h2 id="custom-crms">{t("customCrms")}</h2>
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
        <button type="button" onClick={addCrm} disabled={isManaged(settings, "customCrms")}>
          {t("addCustomCrm")}
        </button>
        {crmError && <p role="alert">{crmError}</p>}
      </section>
    </div>
  );
}

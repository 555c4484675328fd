import { useEffect, useRef, useState } from "preact/hooks";
import { OpenConsoleButton } from "../../admin/OpenConsoleButton";
import { language, setLanguage, t } from "../../models/locale";
import type { Send } from "../../models/panel-model";
import { isManaged, ManagedHint, OptionsAccount } from "../../sso/OptionsAccount";
import { LANGUAGES, type Language } from "../../utils/i18n";
import { DEFAULT_SETTINGS, isConfigured, type Settings } from "../../utils/settings";
import { CustomCrms } from "./CustomCrms";
import { saveSettings, type TestResult, testConnection } from "./connection";

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", nl: "Nederlands", sv: "Svenska", fr: "Français" };

/**
 * Onboarding and settings. Sections are separate components (connection, language, self-hosted CRMs) so more can be
 * added (single sign-on, settings managed by the organisation) without touching the others. Save tests the connection
 * first and stores only settings that work; a server that does not answer can be saved on purpose.
 */
export function OptionsApp({ send }: { send: Send }) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [loaded, setLoaded] = useState(false);
  const [result, setResult] = useState<TestResult | { ok: true; text: string; me?: undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const lang = language.value;
  // Stored settings that arrive after the user started typing must not wipe what they typed.
  const typed = useRef(false);

  function reload() {
    void send({ type: "settings/get" }).then((r) => {
      if (r.ok) {
        if (!typed.current) setSettings(r.data);
        void setLanguage(r.data.language);
      }
      setLoaded(true);
    });
  }
  useEffect(reload, []);

  async function persist(next: Settings): Promise<boolean> {
    const r = await saveSettings(send, lang, next);
    if (!r.ok) {
      setResult({ ok: false, unreachable: false, text: t("notSavedBecause", { reason: r.text }) });
      return false;
    }
    setSettings(r.settings);
    void setLanguage(r.settings.language);
    setSavedAt(Date.now());
    return true;
  }

  async function run(save: boolean) {
    setBusy(true);
    setResult({ ok: true, text: t("testing") });
    const tested = await testConnection(send, lang, settings);
    if (save && tested.ok && (await persist(settings)))
      setResult({ ok: true, me: tested.me, text: `${tested.text}. ${t("saved")}` });
    else setResult(save && !tested.ok ? { ...tested, text: t("notSavedBecause", { reason: tested.text }) } : tested);
    setBusy(false);
  }

  async function saveUntested() {
    if (await persist(settings)) setResult({ ok: true, text: t("savedUntested") });
  }

  const field = (key: "serverUrl" | "token") => (e: { currentTarget: HTMLInputElement }) => {
    typed.current = true;
    setSettings({ ...settings, [key]: e.currentTarget.value });
  };
  return (
    <div class="options">
      <h1>{t("optionsTitle")}</h1>
      <section aria-labelledby="connection-title">
        <h2 id="connection-title" class="sr-only">
          {t("serverUrl")}
        </h2>
        {loaded && !isConfigured(settings) && (
          <p class="help" data-testid="token-help">
            {t("tokenHelp")}
          </p>
        )}
        <label class="field">
          <span>{t("serverUrl")}</span>
          <input
            name="serverUrl"
            placeholder="http://127.0.0.1:8787"
            value={settings.serverUrl}
            disabled={isManaged(settings, "serverUrl")}
            onInput={field("serverUrl")}
          />
          <ManagedHint settings={settings} field="serverUrl" />
        </label>
        <label class="field">
          <span>{t("apiToken")}</span>
          <input name="token" type="password" autoComplete="off" value={settings.token} onInput={field("token")} />
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
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => void run(false)}>
            {t("testConnection")}
          </button>
          <button type="button" class="primary" disabled={busy} onClick={() => void run(true)}>
            {t("save")}
          </button>
          {result && !result.ok && result.unreachable && (
            <button type="button" onClick={() => void saveUntested()}>
              {t("saveAnyway")}
            </button>
          )}
        </div>
        {result && (
          <p role={result.ok ? "status" : "alert"} data-testid="connection-result" class={result.ok ? "ok" : "err"}>
            {result.text}
          </p>
        )}
        <OpenConsoleButton send={send} userRole={result?.ok ? (result.me?.role ?? null) : null} refresh={savedAt} />
      </section>
      <OptionsAccount
        send={send}
        settings={settings}
        onChange={() => {
          typed.current = false;
          reload();
        }}
      />
      <CustomCrms settings={settings} save={async (next) => void (await persist(next))} />
    </div>
  );
}

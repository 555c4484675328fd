import { useT } from "../admin/i18n";
import type { Send } from "../models/panel-model";
import type { ManagedKey } from "../utils/managed-settings";
import type { Settings } from "../utils/settings";
import { ssoMessages } from "./messages";
import { SignInButton } from "./SignInButton";

export const isManaged = (settings: Settings, key: ManagedKey): boolean => settings.managed?.includes(key) === true;

/** "Set by your organisation" under a field whose value comes from managed storage (the field itself is disabled). */
export function ManagedHint({ settings, field }: { settings: Settings; field: ManagedKey }) {
  const t = useT(ssoMessages);
  if (!isManaged(settings, field)) return null;
  return (
    <small class="managed-hint" data-testid={`managed-${field}`}>
      {t("managed")}
    </small>
  );
}

/**
 * The options page's account section: the organisation's notice when it manages settings, and single sign-on (who is
 * signed in, sign out; or the sign-in button) when a server address is set.
 */
export function OptionsAccount({ send, settings, onChange }: { send: Send; settings: Settings; onChange: () => void }) {
  const t = useT(ssoMessages);
  const sso = settings.sso;
  return (
    <section aria-labelledby="sso-account" data-testid="sso-account">
      <h2 id="sso-account">{t("account")}</h2>
      {(settings.managed?.length ?? 0) > 0 && <p role="note">{t("managedNotice")}</p>}
      {sso?.signedIn ? (
        <p>
          {t("signedInAs", { name: sso.name ?? "", role: sso.role ?? "" })}{" "}
          <button type="button" onClick={() => void send({ type: "sso/sign-out" }).then(onChange)}>
            {t("signOut")}
          </button>
        </p>
      ) : settings.serverUrl ? (
        <>
          <SignInButton serverUrl={settings.serverUrl} onSignedIn={onChange} />
          <p class="muted">{t("orApiToken")}</p>
        </>
      ) : null}
    </section>
  );
}

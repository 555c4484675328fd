import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { useT } from "../admin/i18n";
import { send } from "../utils/send";
import { originPattern } from "../utils/settings";
import type { SsoStatus } from "../utils/sso/sso-client";
import { ssoMessages } from "./messages";

/**
 * Starts the organisation's sign-in (the background runs launchWebAuthFlow) and reports the outcome. A refusal shows
 * the server's or provider's own message.
 */
export function SignInButton({ serverUrl, onSignedIn }: { serverUrl: string; onSignedIn?: (status: SsoStatus) => void }) {
  const t = useT(ssoMessages);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signIn() {
    setBusy(true);
    setError(null);
    // A remote server needs host access, asked for within this click (the local server is in the manifest already).
    const origin = originPattern(serverUrl);
    if (origin && !(await browser.permissions.request({ origins: [origin] }).catch(() => false))) {
      setBusy(false);
      return;
    }
    const r = await send({ type: "sso/sign-in", interactive: true });
    setBusy(false);
    if (r.ok) onSignedIn?.(r.data);
    else setError(r.error.message);
  }
  return (
    <>
      <button type="button" class="primary" data-testid="sso-sign-in" disabled={busy} onClick={() => void signIn()}>
        {busy ? t("signingIn") : t("signIn")}
      </button>
      {error && (
        <p role="alert" class="error" data-testid="sso-error">
          {error}
        </p>
      )}
    </>
  );
}

/** The side panel's state when the organisation configured the server but nobody is signed in yet. */
export function PanelSignIn({
  serverUrl,
  onSignedIn,
  children,
}: {
  serverUrl: string;
  onSignedIn: () => void;
  children?: ComponentChildren;
}) {
  const t = useT(ssoMessages);
  return (
    <section class="state state-info" role="status" data-testid="panel-state">
      <h2>{t("signInTitle")}</h2>
      <p>{t("signInBody")}</p>
      <div class="actions">
        <SignInButton serverUrl={serverUrl} onSignedIn={onSignedIn} />
        {children}
      </div>
    </section>
  );
}

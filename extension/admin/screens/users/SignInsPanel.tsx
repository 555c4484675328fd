import { useEffect, useRef, useState } from "preact/hooks";
import type { SsoSessionSummary } from "../../../../shared/api/sso";
import type { UserSummary, UsersList } from "../../../../shared/api/users";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { errorMessage } from "../../api";
import { useT } from "../../i18n";
import { formatLifetime } from "./lifetime";
import { messages } from "./messages";
import type { UsersClient } from "./users-api";

interface Props {
  client: UsersClient;
  user: UserSummary;
  access: UsersList["access"];
}

/**
 * A user's open single sign-on sessions ("sign-ins": one per browser that signed in), each with "End sign-in" after a
 * confirmation. An ended sign-in cannot be renewed, so its browser loses access within one access-token lifetime.
 */
export function SignInsPanel({ client, user, access }: Props) {
  const t = useT(messages);
  const lang = language.value;
  const [sessions, setSessions] = useState<SsoSessionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  async function load() {
    setLoadError(null);
    try {
      setSessions(await client.sessions(user.id));
    } catch (e) {
      setLoadError(t("signInsFailed", { message: errorMessage(e) }));
    }
  }

  useEffect(() => {
    void load();
  }, [user.id]);

  const clientName = (s: SsoSessionSummary) =>
    s.client === "chrome" ? t("clientChrome") : s.client === "firefox" ? t("clientFirefox") : t("clientOther");
  const lifetime = formatLifetime(lang, access.accessTokenSeconds ?? 300);

  async function end(s: SsoSessionSummary) {
    setBusy(true);
    setEndError(null);
    try {
      await client.endSession(user.id, s.id);
      setConfirming(null);
      setNotice(t("signInEnded", { client: clientName(s) }));
      await load();
    } catch (err) {
      setEndError(t("endFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="sign-ins-panel" aria-labelledby="sign-ins-title" data-testid="sign-ins-panel">
      <h2 id="sign-ins-title">{t("signInsOf", { name: user.name })}</h2>
      <p class="muted sign-ins-intro">{access.sso ? t("signInsIntro", { lifetime }) : t("ssoOff")}</p>
      <p role="status" aria-live="polite" class="users-notice">
        {notice}
      </p>
      {loadError ? (
        <p role="alert">
          {loadError}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      ) : sessions === null ? (
        <p class="muted">{t("loadingSignIns")}</p>
      ) : sessions.length === 0 ? (
        <p class="muted" data-testid="no-sign-ins">
          {t("noSignIns", { name: user.name })}
        </p>
      ) : (
        <ul class="token-list sign-in-list">
          {sessions.map((s) => {
            const started = formatDateTime(lang, s.createdAt);
            return (
              <li key={s.id} class="token-item" data-testid="sign-in-row">
                <div class="token-main">
                  <strong>{clientName(s)}</strong>
                  {s.current && <span class="token-current"> · {t("currentSignIn")}</span>}
                </div>
                <div class="muted token-meta">
                  {t("signedInAt", { date: started })}
                  {" · "}
                  {t("renewedAt", { date: formatDateTime(lang, s.lastRefreshedAt) })}
                  {" · "}
                  {t("endsAt", { date: formatDateTime(lang, s.expiresAt) })}
                </div>
                {confirming !== s.id && (
                  <button
                    type="button"
                    class="token-revoke"
                    aria-label={t("endSignInOf", { client: clientName(s), date: started })}
                    onClick={() => {
                      setEndError(null);
                      setNotice("");
                      setConfirming(s.id);
                    }}
                  >
                    {t("endSignIn")}
                  </button>
                )}
                {confirming === s.id && (
                  <fieldset class="confirm" aria-label={t("endSignInOf", { client: clientName(s), date: started })}>
                    <p>{t("endConfirm", { client: clientName(s), date: started, lifetime })}</p>
                    {s.current && <p class="token-own-warning">{t("endOwn", { lifetime })}</p>}
                    <button type="button" class="danger" disabled={busy} onClick={() => void end(s)}>
                      {busy ? t("ending") : t("endSignIn")}
                    </button>
                    <button type="button" onClick={() => setConfirming(null)} ref={cancelRef}>
                      {t("cancel")}
                    </button>
                    {endError && <p role="alert">{endError}</p>}
                  </fieldset>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

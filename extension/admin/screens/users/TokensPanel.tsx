import { useEffect, useRef, useState } from "preact/hooks";
import type { TokenSummary, UserSummary } from "../../../../shared/api/users";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { ApiFieldError, errorMessage } from "../../api";
import { useT } from "../../i18n";
import { routeHref } from "../../router";
import { ExpiryField } from "./ExpiryField";
import { type ExpiryChoice, expiryFor, tokenState } from "./expiry";
import { messages } from "./messages";
import { TokenReveal } from "./TokenReveal";
import type { UsersClient } from "./users-api";

interface Props {
  client: UsersClient;
  user: UserSummary;
  /** the token list or the user's counts changed (reload the users table) */
  onChanged: () => void;
  /** the signed-in admin revoked the token this console uses */
  onRevokedOwn: () => void;
}

/** One user's tokens: list, issue a new one (shown once), revoke with confirmation. */
export function TokensPanel({ client, user, onChanged, onRevokedOwn }: Props) {
  const t = useT(messages);
  const lang = language.value;
  const [tokens, setTokens] = useState<TokenSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [expiryDate, setExpiryDate] = useState("");
  const [expiryError, setExpiryError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  async function load() {
    setLoadError(null);
    try {
      setTokens(await client.tokens(user.id));
    } catch (e) {
      setLoadError(t("loadFailed", { message: errorMessage(e) }));
    }
  }

  useEffect(() => {
    void load();
  }, [user.id]);

  async function createToken(e: Event) {
    e.preventDefault();
    setBusy(true);
    setNameError(null);
    setFormError(null);
    setExpiryError(null);
    const chosen = expiryFor(expiry, expiryDate, new Date());
    if ("error" in chosen) {
      setExpiryError(t(chosen.error));
      setBusy(false);
      return;
    }
    try {
      const res = await client.createToken(user.id, name, chosen.expiresAt);
      setIssued(res.plainToken);
      setNotice(t("tokenCreated", { name: res.token.name }));
      setName("");
      await load();
      onChanged();
    } catch (err) {
      const issues = err instanceof ApiFieldError ? err.issues : [];
      const nameIssue = issues.find((i) => i.field === "name");
      const expiryIssue = issues.find((i) => i.field === "expiresAt");
      if (nameIssue) setNameError(nameIssue.message);
      if (expiryIssue) setExpiryError(expiryIssue.message);
      if (!nameIssue && !expiryIssue) setFormError(t("tokenFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: TokenSummary) {
    setBusy(true);
    setRevokeError(null);
    try {
      await client.revoke(user.id, token.id);
      setConfirming(null);
      if (token.current) {
        setNotice(t("revokedOwn"));
        onRevokedOwn();
        return;
      }
      setNotice(t("revoked", { name: token.name }));
      await load();
      onChanged();
    } catch (err) {
      setRevokeError(t("revokeFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  const stateText = (st: ReturnType<typeof tokenState>) =>
    st.kind === "revoked"
      ? t("revokedAt", { date: formatDateTime(lang, st.at) })
      : st.kind === "expired"
        ? t("expiredOn", { date: formatDateTime(lang, st.at) })
        : st.kind === "expires"
          ? `${t("active")} · ${t("expiresOn", { date: formatDateTime(lang, st.at) })}`
          : `${t("active")} · ${t("noExpiry")}`;

  return (
    <section class="tokens-panel" aria-labelledby="tokens-title" data-testid="tokens-panel">
      <div class="tokens-head">
        <h2 id="tokens-title">{t("tokensOf", { name: user.name })}</h2>
        <a href={routeHref("users")}>{t("close")}</a>
      </div>
      <p role="status" aria-live="polite" class="users-notice">
        {notice}
      </p>
      {issued && <TokenReveal owner={user.name} token={issued} onDone={() => setIssued(null)} />}
      {loadError ? (
        <p role="alert">
          {loadError}{" "}
          <button type="button" onClick={() => void load()}>
            {t("retry")}
          </button>
        </p>
      ) : tokens === null ? (
        <p class="muted">{t("loadingTokens")}</p>
      ) : tokens.length === 0 ? (
        <p class="muted">{t("noTokens")}</p>
      ) : (
        <ul class="token-list">
          {tokens.map((tok) => (
            <li key={tok.id} class={tok.revokedAt || tok.expired ? "token-item revoked" : "token-item"} data-testid="token-row">
              <div class="token-main">
                <strong>{tok.name}</strong> <code>{tok.prefix}…</code>
                {tok.current && <span class="token-current"> · {t("current")}</span>}
              </div>
              <div class="muted token-meta">
                {t("created")} {formatDateTime(lang, tok.createdAt)}
                {" · "}
                <span data-testid="token-last-used">
                  {tok.lastUsedAt ? `${t("lastUsed")} ${formatDateTime(lang, tok.lastUsedAt)}` : t("neverUsed")}
                </span>
                {" · "}
                <span data-testid="token-state" class={`token-state-${tokenState(tok).kind}`}>
                  {stateText(tokenState(tok))}
                </span>
              </div>
              {!tok.revokedAt && !tok.expired && confirming !== tok.id && (
                <button
                  type="button"
                  class="token-revoke"
                  aria-label={t("revokeToken", { name: tok.name })}
                  onClick={() => {
                    setRevokeError(null);
                    setConfirming(tok.id);
                  }}
                >
                  {t("revoke")}
                </button>
              )}
              {confirming === tok.id && (
                <fieldset class="confirm" aria-label={t("revokeToken", { name: tok.name })}>
                  <p>{t("revokeConfirm", { name: tok.name, prefix: tok.prefix })}</p>
                  {tok.current && <p class="token-own-warning">{t("revokeOwn")}</p>}
                  <button type="button" class="danger" disabled={busy} onClick={() => void revoke(tok)}>
                    {busy ? t("revoking") : t("confirmRevoke")}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)} ref={cancelRef}>
                    {t("cancel")}
                  </button>
                  {revokeError && <p role="alert">{revokeError}</p>}
                </fieldset>
              )}
            </li>
          ))}
        </ul>
      )}
      {user.disabledAt ? (
        <p class="muted token-form" data-testid="disabled-no-token">
          {t("disabledNoToken", { name: user.name })}
        </p>
      ) : (
        <form class="token-form" onSubmit={(e) => void createToken(e)}>
          <h3>{t("newToken")}</h3>
          <div class="admin-toolbar">
            <label class="field">
              <span>{t("tokenName")}</span>
              <input
                name="tokenName"
                value={name}
                maxLength={100}
                aria-invalid={nameError ? true : undefined}
                aria-describedby={nameError ? "token-name-error" : "token-name-hint"}
                onInput={(e) => setName(e.currentTarget.value)}
              />
              <small id="token-name-hint" class="muted">
                {t("tokenNameHint")}
              </small>
              {nameError && (
                <span id="token-name-error" class="field-error">
                  {nameError}
                </span>
              )}
            </label>
            <ExpiryField
              idPrefix="token"
              choice={expiry}
              date={expiryDate}
              error={expiryError}
              onChoice={(c) => {
                setExpiry(c);
                setExpiryError(null);
              }}
              onDate={(d) => {
                setExpiryDate(d);
                setExpiryError(null);
              }}
            />
            <button type="submit" class="primary" disabled={busy}>
              {t("createToken")}
            </button>
          </div>
          {formError && <p role="alert">{formError}</p>}
        </form>
      )}
    </section>
  );
}

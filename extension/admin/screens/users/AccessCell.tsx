import { useEffect, useRef, useState } from "preact/hooks";
import type { UserSummary, UsersList } from "../../../../shared/api/users";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { ApiError, errorMessage } from "../../api";
import { useT } from "../../i18n";
import { formatLifetime } from "./lifetime";
import { messages } from "./messages";
import type { UsersClient } from "./users-api";

interface Props {
  client: UsersClient;
  user: UserSummary;
  isMe: boolean;
  access: UsersList["access"];
  /** the user was disabled or enabled (reload the list) */
  onChanged: () => void;
}

/**
 * A user's state in the list ("Disabled since …" or Enabled) with Disable (after a confirmation saying what happens)
 * or Enable. The server refuses disabling yourself and the last enabled admin; the refusal is shown in the cell.
 */
export function AccessCell({ client, user, isMe, access, onChanged }: Props) {
  const t = useT(messages);
  const lang = language.value;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = `access-${user.id}`;

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  async function disable() {
    setBusy(true);
    setError(null);
    try {
      const res = await client.disable(user.id);
      setConfirming(false);
      setNotice(t("disabledDone", { name: user.name, sessions: res.sessionsEnded, tokens: res.tokensRevoked }));
      onChanged();
    } catch (err) {
      setConfirming(false);
      // The server's two refusals (409): yourself, or the last enabled admin.
      const refused = err instanceof ApiError && err.status === 409;
      setError(
        refused && isMe
          ? t("disableSelf")
          : refused && user.role === "admin"
            ? t("disableLastAdmin", { name: user.name })
            : t("disableFailed", { name: user.name, message: errorMessage(err) }),
      );
    } finally {
      setBusy(false);
    }
  }

  async function enable() {
    setBusy(true);
    setError(null);
    try {
      await client.enable(user.id);
      setNotice(t("enabledDone", { name: user.name }));
      onChanged();
    } catch (err) {
      setError(t("enableFailed", { name: user.name, message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  const lifetime = access.accessTokenSeconds === null ? null : formatLifetime(lang, access.accessTokenSeconds);
  return (
    <div class="access-cell" data-testid="user-access">
      <div class="access-row">
        {user.disabledAt ? (
          <span class="user-state user-state-disabled" data-testid="user-state">
            {t("disabledSince", { date: formatDateTime(lang, user.disabledAt) })}
          </span>
        ) : (
          <span class="user-state user-state-enabled" data-testid="user-state">
            {t("enabled")}
          </span>
        )}
        {user.disabledAt ? (
          <button type="button" disabled={busy} aria-label={t("enableUser", { name: user.name })} onClick={() => void enable()}>
            {busy ? t("enabling") : t("enable")}
          </button>
        ) : (
          !confirming && (
            <button
              type="button"
              aria-label={t("disableUser", { name: user.name })}
              aria-describedby={error ? `${id}-error` : undefined}
              onClick={() => {
                setError(null);
                setNotice("");
                setConfirming(true);
              }}
            >
              {t("disable")}
            </button>
          )
        )}
      </div>
      {confirming && (
        <fieldset class="confirm" aria-label={t("disableUser", { name: user.name })}>
          <p>
            {lifetime === null
              ? t("disableConfirmTokens", { name: user.name })
              : t("disableConfirmSso", { name: user.name, lifetime })}
          </p>
          <button type="button" class="danger" disabled={busy} onClick={() => void disable()}>
            {busy ? t("disabling") : t("confirmDisable")}
          </button>
          <button type="button" onClick={() => setConfirming(false)} ref={cancelRef}>
            {t("cancel")}
          </button>
        </fieldset>
      )}
      {error && (
        <p role="alert" id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
      <span role="status" aria-live="polite" class="muted role-saved">
        {notice}
      </span>
    </div>
  );
}

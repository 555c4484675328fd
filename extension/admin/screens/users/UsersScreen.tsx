import { useEffect, useMemo, useState } from "preact/hooks";
import type { UserSummary, UsersList } from "../../../../shared/api/users";
import { USER_ROLES, type UserRole } from "../../../../shared/domain/roles";
import { language } from "../../../models/locale";
import { formatDate, formatDateTime } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { ApiFieldError, errorMessage } from "../../api";
import { useT } from "../../i18n";
import { routeHref } from "../../router";
import { useSession } from "../../session";
import { AccessCell } from "./AccessCell";
import { ExpiryField } from "./ExpiryField";
import { type ExpiryChoice, expiryFor } from "./expiry";
import { messages } from "./messages";
import { SignInsPanel } from "./SignInsPanel";
import { TokenReveal } from "./TokenReveal";
import { TokensPanel } from "./TokensPanel";
import { type UsersClient, usersApi } from "./users-api";
import "./users.css";

/**
 * Users and API tokens (admins only; the shell hides it from others): `#/users`, `#/users/<user id>` opens their tokens
 * and sign-ins. Each row shows whether the user is disabled, with Disable / Enable.
 */
export function UsersScreen({ route }: ScreenProps) {
  const { api, me } = useSession();
  const t = useT(messages);
  const lang = language.value;
  const client = useMemo(() => usersApi(api), [api]);
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [access, setAccess] = useState<UsersList["access"]>({ sso: false, accessTokenSeconds: null });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  async function load() {
    setLoadError(null);
    try {
      const list = await client.list();
      setUsers(list.items);
      setAccess(list.access);
    } catch (e) {
      setLoadError(t("loadFailed", { message: errorMessage(e) }));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  if (signedOut) {
    return (
      <section class="users-screen">
        <h1>{t("title")}</h1>
        <p role="alert">{t("revokedOwn")}</p>
      </section>
    );
  }

  const selected = route.id && users ? (users.find((u) => u.id === route.id) ?? null) : null;
  // Last use is recorded (to within a minute) since issue 16: always a column.
  const showLastUsed = true;
  return (
    <section class={selected ? "users-screen with-tokens" : "users-screen"}>
      <h1>{t("title")}</h1>
      <p class="muted users-intro">{t("intro")}</p>
      <NewUserForm client={client} onCreated={() => void load()} />
      <div class="users-layout">
        <section aria-labelledby="users-title" class="users-list">
          <h2 id="users-title">{t("users")}</h2>
          {loadError ? (
            <p role="alert">
              {loadError}{" "}
              <button type="button" onClick={() => void load()}>
                {t("retry")}
              </button>
            </p>
          ) : users === null ? (
            <p class="muted" role="status">
              {t("loading")}
            </p>
          ) : (
            <div class="users-table-wrap">
              <table class="admin-table users-table">
                <thead>
                  <tr>
                    <th scope="col">{t("name")}</th>
                    <th scope="col">{t("role")}</th>
                    <th scope="col">{t("created")}</th>
                    <th scope="col">{t("tokens")}</th>
                    {showLastUsed && <th scope="col">{t("lastUsed")}</th>}
                    <th scope="col">{t("access")}</th>
                    <th scope="col">
                      <span class="sr-only">{t("actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr
                      key={u.id}
                      data-testid="user-row"
                      class={u.disabledAt ? "user-disabled" : undefined}
                      aria-current={u.id === selected?.id ? "true" : undefined}
                    >
                      <th scope="row">
                        {u.name}
                        {u.id === me.id && <span class="muted"> ({t("you")})</span>}
                        {u.email && <span class="muted user-email">{u.email}</span>}
                      </th>
                      <td>
                        <RoleCell client={client} user={u} isMe={u.id === me.id} onSaved={() => void load()} />
                      </td>
                      <td>{formatDate(lang, u.createdAt)}</td>
                      <td>{t("tokenCount", { active: u.activeTokens, total: u.tokens })}</td>
                      {showLastUsed && <td>{u.lastUsedAt ? formatDateTime(lang, u.lastUsedAt) : t("never")}</td>}
                      <td>
                        <AccessCell
                          client={client}
                          user={u}
                          isMe={u.id === me.id}
                          access={access}
                          onChanged={() => void load()}
                        />
                      </td>
                      <td>
                        <a
                          href={routeHref("users", u.id)}
                          aria-label={t("manageTokensOf", { name: u.name })}
                          aria-current={u.id === selected?.id ? "page" : undefined}
                        >
                          {t("manageTokens")}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {route.id && users && !selected && <p role="alert">{t("userMissing", { id: route.id })}</p>}
        {selected && (
          // Remounted when the user is disabled or enabled: their tokens were revoked and their sign-ins ended.
          <div class="user-panels" key={`${selected.id}:${selected.disabledAt ?? ""}`}>
            <TokensPanel client={client} user={selected} onChanged={() => void load()} onRevokedOwn={() => setSignedOut(true)} />
            <SignInsPanel client={client} user={selected} access={access} />
          </div>
        )}
      </div>
    </section>
  );
}

type UserFields = "name" | "role" | "tokenName" | "tokenExpiresAt";

function NewUserForm({ client, onCreated }: { client: UsersClient; onCreated: () => void }) {
  const t = useT(messages);
  const [name, setName] = useState("");
  const [role, setRole] = useState<UserRole>("sales");
  const [tokenName, setTokenName] = useState(() => t("defaultTokenName"));
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [expiryDate, setExpiryDate] = useState("");
  const [errors, setErrors] = useState<Partial<Record<UserFields, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<{ owner: string; token: string } | null>(null);
  const [notice, setNotice] = useState("");

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError(null);
    const chosen = expiryFor(expiry, expiryDate, new Date());
    if ("error" in chosen) {
      setErrors({ tokenExpiresAt: t(chosen.error) });
      setBusy(false);
      return;
    }
    try {
      const res = await client.create({ name, role, tokenName, tokenExpiresAt: chosen.expiresAt });
      setIssued({ owner: res.user.name, token: res.plainToken });
      setNotice(t("userCreated", { name: res.user.name }));
      setName("");
      onCreated();
    } catch (err) {
      const fields: Partial<Record<UserFields, string>> = {};
      if (err instanceof ApiFieldError) {
        for (const i of err.issues)
          if (i.field === "name" || i.field === "role" || i.field === "tokenName" || i.field === "tokenExpiresAt")
            fields[i.field] ??= i.message;
      }
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(t("createFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  const describe = (field: UserFields, hint?: string) => (errors[field] ? `new-user-${field}-error` : hint);
  const fieldError = (field: UserFields) =>
    errors[field] ? (
      <span id={`new-user-${field}-error`} class="field-error">
        {errors[field]}
      </span>
    ) : null;

  return (
    <section class="new-user" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t("newUser")}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div class="admin-toolbar">
          <label class="field">
            <span>{t("name")}</span>
            <input
              name="name"
              value={name}
              maxLength={200}
              autoComplete="off"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describe("name")}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            {fieldError("name")}
          </label>
          <label class="field">
            <span>{t("role")}</span>
            <select
              name="role"
              value={role}
              aria-invalid={errors.role ? true : undefined}
              aria-describedby={describe("role", "new-user-role-help")}
              onChange={(e) => setRole(e.currentTarget.value as UserRole)}
            >
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(r)}
                </option>
              ))}
            </select>
            {fieldError("role")}
          </label>
          <label class="field">
            <span>{t("tokenName")}</span>
            <input
              name="tokenName"
              value={tokenName}
              maxLength={100}
              autoComplete="off"
              aria-invalid={errors.tokenName ? true : undefined}
              aria-describedby={describe("tokenName", "new-user-token-hint")}
              onInput={(e) => setTokenName(e.currentTarget.value)}
            />
            {fieldError("tokenName")}
          </label>
          <ExpiryField
            idPrefix="new-user"
            choice={expiry}
            date={expiryDate}
            error={errors.tokenExpiresAt ?? null}
            onChoice={setExpiry}
            onDate={setExpiryDate}
          />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t("creating") : t("createUser")}
          </button>
        </div>
        <p class="muted new-user-help">
          <span id="new-user-role-help">{t("roleHelp")}</span> <span id="new-user-token-hint">{t("tokenNameHint")}</span>
        </p>
        {formError && <p role="alert">{formError}</p>}
      </form>
      <p role="status" aria-live="polite" class="users-notice">
        {notice}
      </p>
      {issued && <TokenReveal owner={issued.owner} token={issued.token} onDone={() => setIssued(null)} />}
    </section>
  );
}

/** A user's role with a Save button once changed; the server's refusal (last admin) is shown in the row. */
function RoleCell({
  client,
  user,
  isMe,
  onSaved,
}: {
  client: UsersClient;
  user: UserSummary;
  isMe: boolean;
  onSaved: () => void;
}) {
  const t = useT(messages);
  const [role, setRole] = useState<UserRole>(user.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmSelf, setConfirmSelf] = useState(false);
  const [notice, setNotice] = useState("");
  const changed = role !== user.role;
  const id = `role-${user.id}`;

  useEffect(() => {
    // the list was reloaded with a new role for this user: follow it unless an edit is pending
    if (!busy) setRole(user.role);
  }, [user.role]);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const saved = await client.setRole(user.id, role);
      setConfirmSelf(false);
      setNotice(t("roleSaved", { name: saved.name, role: t(saved.role) }));
      onSaved();
    } catch (err) {
      setConfirmSelf(false);
      setError(t("roleFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  const demotingSelf = isMe && user.role === "admin" && role !== "admin";
  return (
    <div class="role-cell">
      <div class="role-row">
        <select
          id={id}
          aria-label={t("roleOf", { name: user.name })}
          value={role}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setRole(e.currentTarget.value as UserRole);
            setError(null);
            setConfirmSelf(false);
            setNotice("");
          }}
        >
          {USER_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(r)}
            </option>
          ))}
        </select>
        {changed && !confirmSelf && (
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => (demotingSelf ? setConfirmSelf(true) : void save())}
          >
            {busy ? t("saving") : t("saveRole")}
          </button>
        )}
      </div>
      {confirmSelf && (
        <fieldset class="confirm" aria-label={t("saveRole")}>
          <p>{t("selfDemote")}</p>
          <button type="button" class="danger" disabled={busy} onClick={() => void save()}>
            {busy ? t("saving") : t("confirmSelfDemote")}
          </button>
          <button type="button" onClick={() => setConfirmSelf(false)}>
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

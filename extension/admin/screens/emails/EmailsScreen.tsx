import { useEffect, useState } from "preact/hooks";
import type { Email, Workspace } from "../../../../shared/api/emails";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import { EmailEditor } from "./EmailEditor";
import "./emails.css";
import { EmailFields } from "./EmailFields";
import { checkEmail, EMPTY_EMAIL, type EmailField, type EmailForm, issuesByField } from "./email-form";
import { follow } from "./follow";
import { messages } from "./messages";
import { OutboxPanel } from "./OutboxPanel";

/** `#/emails[?workspace=<id>]`: workspaces and their emails; `#/emails/<emailId>`: edit, preview and approve one. */
export function EmailsScreen({ route }: ScreenProps) {
  return (
    <section class="emails">
      {route.id ? <EmailEditor key={route.id} id={route.id} /> : <Overview workspaceId={route.query.get("workspace")} />}
    </section>
  );
}

function Overview({ workspaceId }: { workspaceId: string | null }) {
  const t = useT(messages);
  const { api, me } = useSession();
  const lang = language.value;
  const canWrite = me.role === "admin" || me.role === "marketer";
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [emails, setEmails] = useState<Email[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wsName, setWsName] = useState("");
  const [wsError, setWsError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  async function loadWorkspaces() {
    try {
      setWorkspaces((await expectOk<{ items: Workspace[] }>(api.workspaces.$get())).items);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  useEffect(() => {
    void loadWorkspaces();
  }, [api]);

  const selected = workspaces?.find((w) => w.id === workspaceId) ?? workspaces?.[0] ?? null;
  useEffect(() => {
    if (!selected) return;
    setEmails(null);
    expectOk<{ items: Email[] }>(api.emails.$get({ query: { workspaceId: selected.id } })).then(
      (r) => setEmails(r.items),
      (e) => setError(errorMessage(e)),
    );
  }, [selected?.id]);

  async function createWorkspace(e: Event) {
    e.preventDefault();
    setWsError(null);
    if (!wsName.trim()) return setWsError(t("required"));
    try {
      const ws = await expectOkWithIssues<Workspace>(api.workspaces.$post({ json: { name: wsName.trim() } }));
      setWsName("");
      await loadWorkspaces();
      navigate(routeHref("emails", null, { workspace: ws.id }), { replace: true });
    } catch (err) {
      setWsError(err instanceof ApiFieldError && err.issues[0] ? err.issues[0].message : errorMessage(err));
    }
  }

  return (
    <>
      <h1>{t("title")}</h1>
      <div role="alert">{error && <p class="state state-error">{t("loadFailed", { message: error })}</p>}</div>
      <div class="emails-layout">
        <nav class="workspaces card" aria-labelledby="ws-title">
          <h2 id="ws-title">{t("workspaces")}</h2>
          {!workspaces && <p role="status">{t("loading")}</p>}
          {workspaces?.length === 0 && <p class="muted">{t("noWorkspaces")}</p>}
          <ul class="plain ws-list">
            {workspaces?.map((w) => {
              const href = routeHref("emails", null, { workspace: w.id });
              return (
                <li key={w.id}>
                  <a href={href} onClick={follow(href, true)} aria-current={w.id === selected?.id ? "true" : undefined}>
                    <span>{w.name}</span>
                    <span class="muted small">{t("wsCounts", { emails: w.emailCount, approved: w.approvedCount })}</span>
                  </a>
                </li>
              );
            })}
          </ul>
          {canWrite && (
            <form class="ws-new" onSubmit={createWorkspace} noValidate>
              <div class="field">
                <label for="ws-name">{t("newWorkspace")}</label>
                <input
                  id="ws-name"
                  value={wsName}
                  maxLength={100}
                  aria-invalid={wsError ? true : undefined}
                  aria-describedby={wsError ? "ws-name-error" : undefined}
                  onInput={(e) => {
                    setWsName((e.currentTarget as HTMLInputElement).value);
                    setWsError(null);
                  }}
                />
                {wsError && (
                  <span id="ws-name-error" class="field-error" role="alert">
                    {wsError}
                  </span>
                )}
              </div>
              <button type="submit">{t("createWorkspace")}</button>
            </form>
          )}
        </nav>
        <section class="email-list" aria-labelledby="emails-title">
          <h2 id="emails-title">{selected ? t("emailsOf", { name: selected.name }) : t("emails")}</h2>
          {selected && canWrite && (
            <p>
              <button type="button" class="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
                {t("newEmail")}
              </button>
            </p>
          )}
          {selected && creating && <NewEmail workspaceId={selected.id} onCancel={() => setCreating(false)} />}
          {selected && !emails && <p role="status">{t("loading")}</p>}
          {emails?.length === 0 && <p class="muted">{t("noEmails")}</p>}
          {emails && emails.length > 0 && (
            <div class="table-scroll">
              <table class="admin-table">
                <caption class="sr-only">{t("emailsOf", { name: selected?.name ?? "" })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("name")}</th>
                    <th scope="col">{t("subject")}</th>
                    <th scope="col">{t("status")}</th>
                    <th scope="col">{t("updated")}</th>
                  </tr>
                </thead>
                <tbody>
                  {emails.map((m) => {
                    const href = routeHref("emails", m.id);
                    return (
                      <tr key={m.id} data-email-id={m.id}>
                        <td>
                          <a href={href} onClick={follow(href)}>
                            {m.name}
                          </a>
                        </td>
                        <td>{m.subject}</td>
                        <td>
                          <span class={`badge status-${m.status}`}>{t(m.status)}</span>
                        </td>
                        <td>{formatDateTime(lang, m.updatedAt)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      {me.role === "admin" && <OutboxPanel />}
    </>
  );
}

function NewEmail({ workspaceId, onCancel }: { workspaceId: string; onCancel: () => void }) {
  const t = useT(messages);
  const { api } = useSession();
  const [form, setForm] = useState<EmailForm>(EMPTY_EMAIL);
  const [errors, setErrors] = useState<Partial<Record<EmailField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function create(e: Event) {
    e.preventDefault();
    setFormError(null);
    const problems = checkEmail(form);
    if (problems.length) {
      setErrors(
        Object.fromEntries(
          problems.map((p) => [p.field, p.key === "tooLong" ? t("tooLong", { max: p.max ?? 0 }) : t("required")]),
        ),
      );
      setFormError(t("fixFields"));
      return;
    }
    setSaving(true);
    try {
      const email = await expectOkWithIssues<Email>(
        api.emails.$post({ json: { workspaceId, ...form, name: form.name.trim(), subject: form.subject.trim() } }),
      );
      navigate(routeHref("emails", email.id));
    } catch (err) {
      if (err instanceof ApiFieldError) {
        setErrors(issuesByField(err.issues));
        setFormError(err.issues.length ? t("fixFields") : err.message);
      } else setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form class="card email-new" onSubmit={create} noValidate aria-labelledby="new-email-title">
      <h3 id="new-email-title">{t("newEmail")}</h3>
      <div role="alert">{formError && <p class="state state-error">{formError}</p>}</div>
      <EmailFields
        idPrefix="new-email"
        form={form}
        errors={errors}
        onChange={(k, v) => {
          setForm((f) => ({ ...f, [k]: v }));
          setErrors((x) => ({ ...x, [k]: undefined }));
        }}
      />
      <p class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {t("createEmail")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("cancel")}
        </button>
      </p>
    </form>
  );
}

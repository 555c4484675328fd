import { useEffect, useState } from "preact/hooks";
import type { Email, Workspace } from "../../../../shared/api/emails";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useT } from "../../i18n";
import { routeHref } from "../../router";
import { useSession } from "../../session";
import { EmailFields } from "./EmailFields";
import {
  checkEmail,
  EMPTY_EMAIL,
  type EmailField,
  type EmailForm,
  emailChanges,
  formFromEmail,
  issuesByField,
  losesApproval,
} from "./email-form";
import { follow } from "./follow";
import { messages } from "./messages";
import { PreviewPanel } from "./PreviewPanel";

/** One email: edit its name, subject and bodies (content edits take an approval away), approve it, preview it. */
export function EmailEditor({ id }: { id: string }) {
  const t = useT(messages);
  const { api, me } = useSession();
  const lang = language.value;
  const canWrite = me.role === "admin" || me.role === "marketer";
  const [email, setEmail] = useState<Email | null>(null);
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<EmailForm>(EMPTY_EMAIL);
  const [errors, setErrors] = useState<Partial<Record<EmailField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    expectOk<Email>(api.emails[":id"].$get({ param: { id } })).then(
      (e) => {
        setEmail(e);
        setForm(formFromEmail(e));
        expectOk<{ items: Workspace[] }>(api.workspaces.$get()).then(
          (r) => setWorkspace(r.items.find((w) => w.id === e.workspaceId) ?? null),
          () => {},
        );
      },
      (e) => setLoadError(errorMessage(e)),
    );
  }, [api, id]);

  const back = routeHref("emails", null, email ? { workspace: email.workspaceId } : {});
  if (loadError)
    return (
      <>
        <h1>{t("title")}</h1>
        <p role="alert" class="state state-error">
          {t("loadFailed", { message: loadError })}
        </p>
        <a href={back} onClick={follow(back)}>
          {t("back")}
        </a>
      </>
    );
  if (!email) return <p role="status">{t("loading")}</p>;

  const saved = formFromEmail(email);
  const changes = emailChanges(saved, form);
  const dirty = Object.keys(changes).length > 0;

  async function save(e: Event) {
    e.preventDefault();
    if (!email) return;
    setFormError(null);
    setNotice(null);
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
    if (!dirty) return setNotice(t("nothingChanged"));
    setBusy(true);
    try {
      const wasApproved = email.status === "approved";
      const next = await expectOkWithIssues<Email>(api.emails[":id"].$patch({ param: { id: email.id }, json: changes }));
      setEmail(next);
      setForm(formFromEmail(next));
      setErrors({});
      const savedText = wasApproved && next.status === "draft" ? t("savedBackToDraft") : t("saved");
      // The server sanitises the HTML: say what it took out, so the author is not surprised later.
      setNotice(
        next.removedFromHtml?.length
          ? `${savedText} ${t("htmlCleaned", { removed: next.removedFromHtml.join(", ") })}`
          : savedText,
      );
    } catch (err) {
      if (err instanceof ApiFieldError) {
        setErrors(issuesByField(err.issues));
        setFormError(err.issues.length ? t("fixFields") : err.message);
      } else setFormError(t("saveFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  async function approve() {
    if (!email) return;
    setFormError(null);
    setNotice(null);
    setBusy(true);
    try {
      const next = await expectOk<Email>(api.emails[":id"].approve.$post({ param: { id: email.id } }));
      setEmail(next);
      setNotice(t("approvedNotice"));
    } catch (err) {
      setFormError(t("approveFailed", { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p>
        <a href={back} onClick={follow(back)}>
          {workspace ? t("backTo", { name: workspace.name }) : t("back")}
        </a>
      </p>
      <h1>{email.name}</h1>
      <p class="email-status" data-status={email.status}>
        <span class={`badge status-${email.status}`}>{t(email.status)}</span>{" "}
        <span class="muted">
          {email.status === "approved" && email.approvedAt
            ? t("approvedAt", { at: formatDateTime(lang, email.approvedAt) })
            : t("draftHint")}
        </span>
      </p>
      <div class="email-layout">
        <form class="card email-edit" onSubmit={save} noValidate aria-labelledby="edit-title">
          <h2 id="edit-title">{t("content")}</h2>
          <p class="muted">{t("approvalRule")}</p>
          <div role="alert">{formError && <p class="state state-error">{formError}</p>}</div>
          <EmailFields
            idPrefix="email"
            form={form}
            errors={errors}
            disabled={!canWrite}
            onChange={(k, v) => {
              setForm((f) => ({ ...f, [k]: v }));
              setErrors((x) => ({ ...x, [k]: undefined }));
              setNotice(null);
            }}
          />
          {losesApproval(email.status, changes) && <p class="state warning">{t("willReturnToDraft")}</p>}
          <p class="actions">
            <button type="submit" class="primary" disabled={busy || !canWrite || !dirty}>
              {t("save")}
            </button>
            <button type="button" disabled={busy || !dirty} onClick={() => setForm(saved)}>
              {t("discard")}
            </button>
            <button
              type="button"
              class="approve"
              disabled={busy || !canWrite || email.status === "approved" || dirty}
              aria-describedby="approve-hint"
              onClick={() => void approve()}
            >
              {t("approve")}
            </button>
            <span id="approve-hint" class="muted small">
              {email.status === "approved" ? t("alreadyApproved") : dirty ? t("saveBeforeApprove") : t("approveHint")}
            </span>
          </p>
          <p role="status" class="notice">
            {notice}
          </p>
        </form>
        <PreviewPanel
          emailId={email.id}
          dirty={dirty}
          version={[email.updatedAt, email.subject, email.htmlBody, email.textBody].join("\u0000")}
        />
      </div>
    </>
  );
}

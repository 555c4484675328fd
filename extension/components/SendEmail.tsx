import { useEffect, useState } from "preact/hooks";
import type { Email, EmailPreview, SendEmailResult, Workspace } from "../../shared/api/emails";
import type { Member } from "../../shared/api/groups";
import { t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { MAX_BULK_MEMBERS } from "../utils/limits";

interface Props {
  model: PanelModel;
  recipients: Member[];
  onClose(): void;
}

/**
 * Send an approved email to the selected members: workspace → email → preview (text version) → send (≤ 50), then a
 * result per recipient. The idempotency key is kept until a send succeeds, so a retry after a failure cannot send twice.
 */
export function SendEmail({ model, recipients, onClose }: Props) {
  const groupId = model.groupId.value!;
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspaceId, setWorkspaceId] = useState("");
  const [emails, setEmails] = useState<Email[]>([]);
  const [emailId, setEmailId] = useState("");
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const [result, setResult] = useState<SendEmailResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const first = recipients[0];

  useEffect(() => {
    void model.send({ type: "emails/workspaces" }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setWorkspaces(r.data);
      setWorkspaceId(r.data[0]?.id ?? "");
    });
  }, []);
  useEffect(() => {
    if (!workspaceId) return;
    void model.send({ type: "emails/list", workspaceId }).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setEmails(r.data);
      setEmailId(r.data[0]?.id ?? "");
    });
  }, [workspaceId]);
  useEffect(() => {
    setPreview(null);
    if (!emailId || !first) return;
    void model.send({ type: "emails/preview", emailId, groupId, personId: first.personId }).then((r) => {
      if (r.ok) setPreview(r.data);
      else setError(r.error.message);
    });
  }, [emailId, first?.personId]);

  async function sendNow() {
    if (recipients.length > MAX_BULK_MEMBERS) return setError(t("tooMany", { max: MAX_BULK_MEMBERS }));
    setBusy(true);
    const r = await model.send({
      type: "emails/send",
      groupId,
      emailId,
      personIds: recipients.map((m) => m.personId),
      idempotencyKey: key,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setResult(r.data);
    setKey(crypto.randomUUID());
  }

  const nameOf = (personId: string) => recipients.find((m) => m.personId === personId)?.name ?? personId;
  return (
    <section class="assign" aria-labelledby="send-email" data-testid="send-email">
      <h3 id="send-email">{t("sendEmail")}</h3>
      {recipients.length === 0 && <p>{t("chooseRecipients")}</p>}
      <label class="field">
        <span>{t("workspace")}</span>
        <select value={workspaceId} onChange={(e) => setWorkspaceId(e.currentTarget.value)}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t("approvedEmail")}</span>
        <select value={emailId} onChange={(e) => setEmailId(e.currentTarget.value)}>
          {emails.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {workspaceId && emails.length === 0 && <p class="muted">{t("noApprovedEmails")}</p>}
      {preview && first && (
        <figure class="summary" data-testid="email-preview">
          <figcaption class="muted">{t("previewFor", { name: first.name })}</figcaption>
          <strong>{preview.subject}</strong>
          <pre style={{ whiteSpace: "pre-wrap", font: "inherit", margin: 0 }}>{preview.text}</pre>
        </figure>
      )}
      {error && <p role="alert">{t("actionFailed", { message: error })}</p>}
      {result && (
        <ul class="plain" data-testid="send-result" role="status">
          {result.queued.map((q) => (
            <li key={q.personId} class="ok">
              {t("sentTo", { to: `${nameOf(q.personId)} <${q.to}>` })}
            </li>
          ))}
          {result.skipped.map((s) => (
            <li key={s.personId} class="err">
              {t("notSent", { name: nameOf(s.personId), reason: s.reason })}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || !emailId || recipients.length === 0} onClick={sendNow}>
          {t("sendTo", { count: recipients.length })}
        </button>
        <button type="button" onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </section>
  );
}

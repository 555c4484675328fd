import { useEffect, useRef, useState } from "preact/hooks";
import type { Email, EmailPreview, SendEmailResult, SkipReason, Workspace } from "../../shared/api/emails";
import type { Member } from "../../shared/api/groups";
import { language, t } from "../models/locale";
import type { PanelModel } from "../models/panel-model";
import { errorText } from "../utils/error-text";
import type { MessageKey } from "../utils/i18n";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import { useDialog } from "./use-dialog";

interface Props {
  model: PanelModel;
  recipients: Member[];
  onClose(): void;
  onViewTimeline(): void;
}

const SKIP_KEYS: Record<SkipReason, MessageKey> = {
  no_email: "notSentNoEmail",
  inactive: "notSentInactive",
  opted_out: "notSentOptedOut",
  frequency_cap: "notSentCap",
  not_member: "notSentNotMember",
};

/**
 * Send an approved email to the selected members: workspace → email → preview (text version) → send (≤ 50), then a
 * result per recipient. One compose is one idempotency key: a repeated or double click, or a retry after a failure,
 * sends nothing more, and once sent the button becomes "Sent to N · view in timeline". Closing and opening Send email
 * again starts a new compose. Focus moves in when it opens; Escape closes it.
 */
export function SendEmail({ model, recipients: selected, onClose, onViewTimeline }: Props) {
  // The compose is for the members selected when it opened.
  const [recipients] = useState(selected);
  const groupId = model.groupId.value!;
  const lang = language.value;
  const ref = useDialog<HTMLElement>(onClose, "h3");
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspaceId, setWorkspaceId] = useState("");
  const [emails, setEmails] = useState<Email[]>([]);
  const [emailId, setEmailId] = useState("");
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const [result, setResult] = useState<SendEmailResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Fixed for the life of this compose, and the request's recipients with it.
  const [key] = useState(() => crypto.randomUUID());
  // Set synchronously: a double click runs the handler twice before the "busy" render.
  const inFlight = useRef(false);
  const first = recipients[0];

  useEffect(() => {
    void model.send({ type: "emails/workspaces" }).then((r) => {
      if (!r.ok) return setError(errorText(lang, r.error));
      setWorkspaces(r.data);
      setWorkspaceId(r.data[0]?.id ?? "");
    });
  }, []);
  useEffect(() => {
    if (!workspaceId) return;
    void model.send({ type: "emails/list", workspaceId }).then((r) => {
      if (!r.ok) return setError(errorText(lang, r.error));
      setEmails(r.data);
      setEmailId(r.data[0]?.id ?? "");
    });
  }, [workspaceId]);
  useEffect(() => {
    setPreview(null);
    if (!emailId || !first) return;
    void model.send({ type: "emails/preview", emailId, groupId, personId: first.personId }).then((r) => {
      if (r.ok) setPreview(r.data);
      else setError(errorText(lang, r.error));
    });
  }, [emailId, first?.personId]);

  async function sendNow() {
    if (inFlight.current || result) return;
    if (recipients.length > MAX_BULK_MEMBERS) return setError(t("tooMany", { max: MAX_BULK_MEMBERS }));
    inFlight.current = true;
    setBusy(true);
    const r = await model.send({
      type: "emails/send",
      groupId,
      emailId,
      personIds: recipients.map((m) => m.personId),
      idempotencyKey: key,
    });
    setBusy(false);
    if (!r.ok) {
      // The same key again on retry: if the first attempt did reach the server, nothing is sent twice.
      inFlight.current = false;
      return setError(errorText(lang, r.error));
    }
    setError(null);
    setResult(r.data);
  }

  const nameOf = (personId: string) => recipients.find((m) => m.personId === personId)?.name ?? "";
  const locked = result !== null;
  return (
    <section ref={ref} class="assign" aria-labelledby="send-email" data-testid="send-email">
      <h3 id="send-email" tabIndex={-1}>
        {t("sendEmail")}
      </h3>
      {recipients.length === 0 && <p>{t("chooseRecipients")}</p>}
      <label class="field">
        <span>{t("workspace")}</span>
        <select value={workspaceId} disabled={locked} onChange={(e) => setWorkspaceId(e.currentTarget.value)}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t("approvedEmail")}</span>
        <select value={emailId} disabled={locked} onChange={(e) => setEmailId(e.currentTarget.value)}>
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
          <pre class="preview-text">{preview.text}</pre>
        </figure>
      )}
      {error && <p role="alert">{error}</p>}
      {result && (
        <ul class="plain" data-testid="send-result" role="status">
          {result.queued.map((q) => (
            <li key={q.personId} class="ok">
              {t("queuedFor", { name: nameOf(q.personId), to: q.to })}
            </li>
          ))}
          {result.skipped.map((s) => (
            <li key={s.personId} class="err">
              {t(SKIP_KEYS[s.code] ?? "notSentNotMember", { name: nameOf(s.personId) })}
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        {locked ? (
          <button type="button" class="primary" data-testid="sent-view-timeline" onClick={onViewTimeline}>
            {t("sentToView", { count: result.queued.length })}
          </button>
        ) : (
          <button
            type="button"
            class="primary"
            data-testid="send-now"
            aria-disabled={busy || undefined}
            disabled={!emailId || recipients.length === 0}
            onClick={sendNow}
          >
            {busy ? t("sending") : t("sendTo", { count: recipients.length })}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {t("close")}
        </button>
      </div>
    </section>
  );
}

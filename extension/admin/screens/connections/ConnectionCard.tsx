import { useEffect, useState } from "preact/hooks";
import type { Connection, SyncRun } from "../../../../shared/api/connections";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { errorMessage } from "../../api";
import { useT } from "../../i18n";
import { formatRoleMapping, isActive, parseRoleMapping } from "./connection-form";
import type { ConnectionsClient } from "./connections-api";
import { messages } from "./messages";

/** One connection: status and reason, live progress of its run (polled like the JobsPanel), actions, write-back settings. */
export function ConnectionCard({
  conn,
  client,
  onChanged,
}: {
  conn: Connection;
  client: ConnectionsClient;
  onChanged: () => void;
}) {
  const t = useT(messages);
  const lang = language.value;
  const [run, setRun] = useState<SyncRun | null>(conn.lastRun);
  const [notice, setNotice] = useState<{ kind: "status" | "alert"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const wb = conn.settings.writeback;
  const [enabled, setEnabled] = useState(wb.enabled);
  const [target, setTarget] = useState(wb.target);
  const [field, setField] = useState(wb.field ?? "");
  const [mappingText, setMappingText] = useState(formatRoleMapping(wb.roleMapping));

  useEffect(() => setRun(conn.lastRun), [conn.lastRun?.id, conn.lastRun?.status]);
  useEffect(() => {
    if (!run || !isActive(run)) return;
    const timer = setInterval(async () => {
      try {
        const next = await client.run(run.id);
        setRun(next);
        if (!isActive(next)) onChanged();
      } catch {
        /* the next tick tries again */
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [run?.id, run?.status]);

  async function act(fn: () => Promise<string | null>) {
    setBusy(true);
    setNotice(null);
    try {
      const text = await fn();
      if (text) setNotice({ kind: "status", text });
    } catch (e) {
      setNotice({ kind: "alert", text: t("actionFailed", { message: errorMessage(e) }) });
    } finally {
      setBusy(false);
    }
  }
  const sync = (kind: "incremental" | "full") =>
    act(async () => {
      setRun((await client.sync(conn.id, kind)).run);
      return null;
    });
  const saveSettings = () =>
    act(async () => {
      const { mapping, errors } = parseRoleMapping(mappingText);
      if (errors[0]) throw new Error(t("roleMappingBad", { line: errors[0].line, text: errors[0].text }));
      await client.update(conn.id, {
        settings: { ...conn.settings, writeback: { enabled, target, field: field.trim() || null, roleMapping: mapping } },
      });
      onChanged();
      return t("saved");
    });

  const p = run?.progress;
  const id = `conn-${conn.id}`;
  return (
    <article class="connection" aria-labelledby={`${id}-name`} data-connection={conn.id}>
      <h2 id={`${id}-name`}>
        {conn.name} <span class="muted">({t(conn.crm)})</span>
      </h2>
      <p>
        {t("status")}: <strong class={`status-${conn.status}`}>{t(conn.status)}</strong>
        {conn.statusReason && <span class="reason"> — {conn.statusReason}</span>}
      </p>
      <p class="muted">
        {t("lastSync")}: {conn.lastSyncAt ? formatDateTime(lang, conn.lastSyncAt) : t("never")}
      </p>
      {run && (
        <div class="run" aria-live="polite">
          <p>
            <strong>{t(`run_${run.status}`)}</strong>
            {run.stream && isActive(run) ? ` · ${t("stream", { stream: run.stream })}` : ""}
          </p>
          {p && (
            <p>
              {t("progress", {
                fetched: p.fetched,
                written: p.written,
                deleted: p.deleted,
                skipped: p.skipped,
                calls: p.apiCalls,
              })}
            </p>
          )}
          {run.error && <p role="alert">{run.error}</p>}
          {run.skipped.length > 0 && (
            <details>
              <summary>{t("skippedTitle")}</summary>
              <ul class="skipped">
                {run.skipped.map((k) => (
                  <li key={`${k.stream}/${k.recordId}/${k.reason}`}>
                    <code>{k.recordId}</code> ({k.stream}): {k.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <p class="actions">
        {conn.authKind === "oauth" && (
          <button
            type="button"
            class={conn.status === "needs_sign_in" ? "primary" : ""}
            disabled={busy}
            onClick={() =>
              act(async () => {
                const { authorizeUrl } = await client.signIn(conn.id);
                window.open(authorizeUrl, "_blank", "noopener");
                return t("signInOpened");
              })
            }
          >
            {t("signIn")}
          </button>
        )}{" "}
        <button
          type="button"
          class="primary"
          disabled={busy || conn.status === "needs_sign_in" || isActive(run)}
          onClick={() => sync("incremental")}
        >
          {t("syncNow")}
        </button>{" "}
        <button type="button" disabled={busy || conn.status === "needs_sign_in" || isActive(run)} onClick={() => sync("full")}>
          {t("fullSync")}
        </button>{" "}
        <button
          type="button"
          disabled={busy}
          onClick={() => act(async () => t("testOk", { who: (await client.test(conn.id)).signedInAs }))}
        >
          {t("test")}
        </button>{" "}
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() =>
            confirm(t("confirmRemove", { name: conn.name })) &&
            act(async () => {
              await client.remove(conn.id);
              onChanged();
              return null;
            })
          }
        >
          {t("remove")}
        </button>
      </p>
      {notice && <p role={notice.kind}>{notice.text}</p>}
      <fieldset class="writeback">
        <legend>
          <label>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> {t("writeback")}
          </label>
        </legend>
        {conn.crm === "salesforce" && (
          <label>
            {t("target")}
            <select value={target} onChange={(e) => setTarget(e.currentTarget.value as typeof target)}>
              <option value="contact_field">{t("contact_field")}</option>
              <option value="opportunity_contact_role">{t("opportunity_contact_role")}</option>
            </select>
          </label>
        )}
        {(conn.crm === "hubspot" || target === "contact_field") && (
          <label>
            {t("field")}
            <input
              value={field}
              placeholder={conn.crm === "hubspot" ? "hs_buying_role" : "Buying_Role__c"}
              onInput={(e) => setField(e.currentTarget.value)}
            />
          </label>
        )}
        <label>
          {t("roleMapping")}
          <textarea
            rows={4}
            value={mappingText}
            placeholder="decision-maker = DECISION_MAKER"
            onInput={(e) => setMappingText(e.currentTarget.value)}
          />
        </label>
        <button type="button" disabled={busy} onClick={saveSettings}>
          {t("saveSettings")}
        </button>
        {(wb.enabled || conn.writebackOutbox.sent + conn.writebackOutbox.queued + conn.writebackOutbox.failed > 0) && (
          <p class="wb-summary">
            {t("wbSummary", {
              sent: conn.writebackOutbox.sent,
              queued: conn.writebackOutbox.queued,
              failed: conn.writebackOutbox.failed,
            })}
          </p>
        )}
        {conn.writebackOutbox.failures.length > 0 && (
          <details class="wb-failures" open={conn.writebackOutbox.failed > 0}>
            <summary>{t("wbFailuresTitle")}</summary>
            <ul>
              {conn.writebackOutbox.failures.map((f) => (
                <li key={`${f.recordId}/${f.at}/${f.value}`}>
                  <code>{f.recordId}</code> {f.value ?? t("wbCleared")}: {f.error} ({t(`wb_${f.status}`)},{" "}
                  {t("wbAttempts", { n: f.attempts })})
                </li>
              ))}
            </ul>
          </details>
        )}
      </fieldset>
    </article>
  );
}

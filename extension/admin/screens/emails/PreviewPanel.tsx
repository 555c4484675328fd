import { useEffect, useRef, useState } from "preact/hooks";
import type { EmailPreview } from "../../../../shared/api/emails";
import type { GroupSummary, Member } from "../../../../shared/api/groups";
import { errorMessage, expectOk } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { messages } from "./messages";
import { hasRemoteContent, previewDocument } from "./preview-html";

const SEARCH_DEBOUNCE_MS = 300;

/**
 * Renders the saved email for one member of one group, exactly as a send would: pick a group (search by name), then one
 * of its active members. The HTML is shown in a sandboxed frame (no scripts, no same origin) that loads nothing from the
 * network until the user clicks "Load remote images"; the text as it is.
 */
export function PreviewPanel({ emailId, dirty, version }: { emailId: string; dirty: boolean; version: string }) {
  const t = useT(messages);
  const { api } = useSession();
  const [q, setQ] = useState("");
  const [groups, setGroups] = useState<GroupSummary[] | null>(null);
  const [groupId, setGroupId] = useState("");
  const [members, setMembers] = useState<Member[] | null>(null);
  const [personId, setPersonId] = useState("");
  const [preview, setPreview] = useState<EmailPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Remote images stay blocked until the user asks, per preview (a new preview blocks them again).
  const [remote, setRemote] = useState(false);
  const search = useRef(0);

  useEffect(() => {
    const n = ++search.current;
    const timer = setTimeout(
      () => {
        expectOk<{ items: GroupSummary[] }>(
          api.groups.$get({ query: { ...(q.trim() ? { q: q.trim() } : {}), limit: "20" } }),
        ).then(
          (r) => {
            if (n !== search.current) return;
            setGroups(r.items);
            if (r.items.length === 1 && r.items[0]) setGroupId(r.items[0].id);
          },
          (e) => n === search.current && setError(errorMessage(e)),
        );
      },
      q ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    setMembers(null);
    setPersonId("");
    if (!groupId) return;
    expectOk<{ items: Member[] }>(api.groups[":id"].members.$get({ param: { id: groupId }, query: {} })).then(
      (r) => {
        const active = r.items.filter((m) => m.status === "active");
        setMembers(active);
        if (active[0]) setPersonId(active[0].personId);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [groupId]);

  // A saved change makes the shown preview stale: render again with the same member.
  useEffect(() => {
    if (preview && groupId && personId) void run();
  }, [version]);

  async function run() {
    setError(null);
    setBusy(true);
    setRemote(false);
    try {
      setPreview(
        await expectOk<EmailPreview>(api.emails[":id"].preview.$post({ param: { id: emailId }, json: { groupId, personId } })),
      );
    } catch (e) {
      setPreview(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const groupOptions = groups ?? [];
  const chosen = groupOptions.some((g) => g.id === groupId);
  return (
    <section class="card email-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t("preview")}</h2>
      <p class="muted">{t("previewHint")}</p>
      <div class="field">
        <label for="preview-q">{t("searchGroups")}</label>
        <input id="preview-q" type="search" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="preview-group">{t("group")}</label>
        <select
          id="preview-group"
          value={chosen ? groupId : ""}
          onChange={(e) => setGroupId((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{groups === null ? t("loading") : groupOptions.length ? t("chooseGroup") : t("noGroups")}</option>
          {groupOptions.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="preview-person">{t("member")}</label>
        <select
          id="preview-person"
          value={personId}
          disabled={!members?.length}
          onChange={(e) => setPersonId((e.currentTarget as HTMLSelectElement).value)}
        >
          {!members?.length && <option value="">{groupId && members ? t("noMembers") : t("chooseGroupFirst")}</option>}
          {members?.map((m) => (
            <option key={m.personId} value={m.personId}>
              {m.name} · {m.roleName}
              {m.email ? ` · ${m.email}` : ""}
            </option>
          ))}
        </select>
      </div>
      <p class="actions">
        <button type="button" disabled={busy || !groupId || !personId} onClick={() => void run()}>
          {t("showPreview")}
        </button>
        {dirty && <span class="muted small">{t("previewSaved")}</span>}
      </p>
      <div role="alert">{error && <p class="state state-error">{t("previewFailed", { message: error })}</p>}</div>
      <div aria-live="polite">
        {preview && (
          <div class="preview-result">
            <dl class="facts preview-headers">
              <dt>{t("to")}</dt>
              <dd>{preview.to ?? t("noAddress")}</dd>
              <dt>{t("from")}</dt>
              <dd>{preview.from}</dd>
              {preview.replyTo && (
                <>
                  <dt>{t("replyTo")}</dt>
                  <dd>{preview.replyTo}</dd>
                </>
              )}
              <dt>{t("subject")}</dt>
              <dd class="preview-subject">{preview.subject}</dd>
            </dl>
            {preview.missing.length > 0 && (
              <p class="state warning">{t("missingTokens", { tokens: preview.missing.join(", ") })}</p>
            )}
            <h3>{t("textBody")}</h3>
            <pre class="preview-text">{preview.text}</pre>
            <h3>{t("htmlBody")}</h3>
            {hasRemoteContent(preview.html) && (
              <p class="state warning remote-content" data-testid="remote-content">
                {remote ? t("remoteLoaded") : t("remoteBlocked")}{" "}
                {!remote && (
                  <button type="button" onClick={() => setRemote(true)}>
                    {t("loadRemote")}
                  </button>
                )}
              </p>
            )}
            <iframe
              class="preview-html"
              title={t("htmlPreviewTitle")}
              sandbox=""
              srcdoc={previewDocument(preview.html, remote)}
            />
          </div>
        )}
      </div>
    </section>
  );
}

import { useEffect, useMemo, useState } from "preact/hooks";
import type { RoleTemplate } from "../../../../shared/api/templates";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useFocusRequest, useUnsavedChangesPrompt } from "../../hooks";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import { ConditionBuilder } from "./ConditionBuilder";
import { describedBy, Field, FieldErrors } from "./FieldErrors";
import { fieldId, mapIssues, nearestField } from "./field-issues";
import { type TemplateKey, templateMessages } from "./messages";
import { formatShare, roleShares, WEIGHTING_VALUES, WEIGHTINGS, type Weighting } from "./shares";
import { TemplatePreview } from "./TemplatePreview";
import {
  type DraftIssue,
  emptyDraft,
  fromTemplate,
  keyFromName,
  knownTemplateFields,
  moveRole,
  newRole,
  type RoleDraft,
  type TemplateDraft,
  toTemplateBody,
  validateTemplateDraft,
} from "./template-form";

const idFor = (path: string) => fieldId("tpl", path);

type Notice = { kind: "ok" | "error"; text: string } | null;

/** One role template: roles in priority order with live shares, conditions, save draft / publish / delete, preview. */
export function TemplateEditor({ routeId }: { routeId: string }) {
  const t = useT(templateMessages);
  const { api } = useSession();
  const lang = language.value;
  const isNew = routeId === "new";
  const [id, setId] = useState<string | null>(isNew ? null : routeId);
  const [meta, setMeta] = useState<RoleTemplate | null>(null);
  const [draft, setDraft] = useState<TemplateDraft | null>(isNew ? emptyDraft() : null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(isNew);
  const [attempted, setAttempted] = useState(false);
  const [issues, setIssues] = useState<DraftIssue[]>([]);
  const [busy, setBusy] = useState<null | "save" | "publish" | "delete">(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const setFocusId = useFocusRequest();

  useEffect(() => {
    if (isNew) return;
    expectOk<RoleTemplate>(api["role-templates"][":id"].$get({ param: { id: routeId } }))
      .then((tpl) => {
        setMeta(tpl);
        setDraft(fromTemplate(tpl));
      })
      .catch((e) => setLoadError(errorMessage(e)));
  }, [routeId]);

  useUnsavedChangesPrompt(dirty);

  const known = useMemo(() => (draft ? knownTemplateFields(draft) : new Set<string>()), [draft]);
  const byField = useMemo(
    () =>
      mapIssues(
        issues.map((i) => ({ field: i.field, message: i.key ? t(i.key) : i.message })),
        known,
      ),
    [issues, known, lang],
  );
  const errorsAt = (path: string) => byField.get(path);

  if (loadError)
    return (
      <>
        <p>
          <a href={routeHref("templates")}>{t("back")}</a>
        </p>
        <p role="alert" class="state state-error">
          {loadError}
        </p>
      </>
    );
  if (!draft)
    return (
      <p role="status" class="muted">
        {t("loading")}
      </p>
    );

  const update = (fn: (d: TemplateDraft) => TemplateDraft) => {
    const next = fn(draft);
    setDraft(next);
    setDirty(true);
    if (attempted) setIssues(validateTemplateDraft(next));
  };
  const updateRole = (uid: string, patch: Partial<RoleDraft>) =>
    update((d) => ({ ...d, roles: d.roles.map((r) => (r.uid === uid ? { ...r, ...patch } : r)) }));

  function showProblems(list: DraftIssue[], text: string) {
    setIssues(list);
    setNotice({ kind: "error", text });
    const first = list[0];
    if (first) setFocusId(idFor(nearestField(first.field, known)));
  }

  async function save(current: TemplateDraft): Promise<RoleTemplate | null> {
    setAttempted(true);
    const problems = validateTemplateDraft(current);
    if (problems.length > 0) {
      showProblems(problems, t("fixProblems", { count: problems.length }));
      return null;
    }
    setIssues([]);
    const body = toTemplateBody(current);
    try {
      const saved =
        id === null
          ? await expectOkWithIssues<RoleTemplate>(api["role-templates"].$post({ json: body }))
          : await expectOkWithIssues<RoleTemplate>(api["role-templates"][":id"].$put({ param: { id }, json: body }));
      setMeta(saved);
      setDirty(false);
      if (saved.id !== id) {
        setId(saved.id);
        // The URL follows the new draft without remounting the editor (what was typed and the message stay).
        history.replaceState(null, "", routeHref("templates", saved.id));
      }
      return saved;
    } catch (e) {
      if (e instanceof ApiFieldError && e.issues.length > 0) showProblems(e.issues, t("serverRefused", { message: e.message }));
      else setNotice({ kind: "error", text: t("serverRefused", { message: errorMessage(e) }) });
      return null;
    }
  }

  async function onSave() {
    setBusy("save");
    setNotice(null);
    const before = meta?.status;
    const saved = await save(draft!);
    setBusy(null);
    if (saved)
      setNotice({
        kind: "ok",
        text:
          before && before !== "draft" ? t("savedNewDraft", { version: saved.version }) : t("saved", { version: saved.version }),
      });
  }

  async function onPublish() {
    setBusy("publish");
    setNotice(null);
    let target = meta;
    if (!target || dirty || target.status !== "draft") target = await save(draft!);
    if (!target) return setBusy(null);
    try {
      const live = await expectOkWithIssues<RoleTemplate>(
        api["role-templates"][":id"].publish.$post({ param: { id: target.id } }),
      );
      setMeta(live);
      setNotice({ kind: "ok", text: t("published", { version: live.version }) });
    } catch (e) {
      setNotice({ kind: "error", text: t("serverRefused", { message: errorMessage(e) }) });
    } finally {
      setBusy(null);
    }
  }

  async function onDelete() {
    if (!id) return;
    setBusy("delete");
    setNotice(null);
    try {
      await expectOk(api["role-templates"][":id"].$delete({ param: { id } }));
      setConfirmDelete(false);
      setNotice({ kind: "ok", text: t("deleted") });
      navigate(routeHref("templates"));
    } catch (e) {
      setConfirmDelete(false);
      setNotice({ kind: "error", text: t("serverRefused", { message: errorMessage(e) }) });
    } finally {
      setBusy(null);
    }
  }

  const shares = roleShares(draft.roles.map((r) => r.weighting));
  const status = meta?.status ?? "draft";
  const publishDisabled = busy !== null || (status === "live" && !dirty);
  const formErrors = [...(byField.get("") ?? []), ...(byField.get("roles") ?? [])];

  return (
    <div class="tpl-editor">
      <p>
        <a href={routeHref("templates")}>{t("back")}</a>
      </p>
      <h1>
        {id === null ? t("editorTitleNew") : t("editorTitle", { name: meta?.name ?? draft.name })}{" "}
        {meta && (
          <span class={`tpl-status tpl-status-${meta.status}`}>
            {t(`status_${meta.status}` as TemplateKey)} · {t("versionLabel", { version: meta.version })}
          </span>
        )}
      </h1>
      {meta && meta.status !== "draft" && !dirty && (
        <p class="tpl-note">{meta.status === "live" ? t("liveNote") : t("retiredNote")}</p>
      )}
      {meta && (
        <p class="muted">
          {t("updatedAt", { when: formatDateTime(lang, meta.updatedAt) })}
          {dirty && <strong class="tpl-dirty"> · {t("unsaved")}</strong>}
        </p>
      )}
      <form
        class="tpl-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <div class="tpl-meta">
          <Field id={idFor("name")} label={t("fieldName")} errors={errorsAt("name")}>
            <input
              {...describedBy(idFor("name"), errorsAt("name"))}
              value={draft.name}
              maxLength={200}
              onInput={(e) => update((d) => ({ ...d, name: e.currentTarget.value }))}
            />
          </Field>
          <Field id={idFor("description")} label={t("fieldDescription")} errors={errorsAt("description")}>
            <textarea
              {...describedBy(idFor("description"), errorsAt("description"))}
              rows={2}
              value={draft.description}
              onInput={(e) => update((d) => ({ ...d, description: e.currentTarget.value }))}
            />
          </Field>
        </div>

        <h2 id="tpl-roles-h">{t("rolesHeading")}</h2>
        <p class="muted">{t("rolesHelp")}</p>
        <ol class="plain tpl-roles" aria-labelledby="tpl-roles-h">
          {draft.roles.map((r, i) => {
            const base = `roles.${i}`;
            const label = r.name.trim() || t("unnamedRole");
            const share = shares[i] ?? 0;
            return (
              <li
                key={r.uid}
                class="card tpl-role"
                id={idFor(base)}
                tabIndex={-1}
                aria-label={t("roleLegend", { n: i + 1, name: label })}
              >
                <div class="tpl-role-head">
                  <h3>{t("roleLegend", { n: i + 1, name: label })}</h3>
                  <div class="tpl-share" title={t("shareHelp")}>
                    <span>{t("share", { share: formatShare(lang, share) })}</span>
                    <span class="tpl-share-bar" aria-hidden="true">
                      <span style={{ width: `${(share * 100).toFixed(2)}%` }} />
                    </span>
                  </div>
                  <div class="tpl-role-tools">
                    <button
                      type="button"
                      id={`${idFor(base)}-up`}
                      disabled={i === 0}
                      aria-label={t("moveUpLabel", { name: label })}
                      onClick={() => {
                        update((d) => ({ ...d, roles: moveRole(d.roles, i, -1) }));
                        setFocusId(i - 1 === 0 ? `${idFor(`roles.${i - 1}`)}-down` : `${idFor(`roles.${i - 1}`)}-up`);
                      }}
                    >
                      ↑ {t("moveUp")}
                    </button>
                    <button
                      type="button"
                      id={`${idFor(base)}-down`}
                      disabled={i === draft.roles.length - 1}
                      aria-label={t("moveDownLabel", { name: label })}
                      onClick={() => {
                        update((d) => ({ ...d, roles: moveRole(d.roles, i, 1) }));
                        setFocusId(
                          i + 1 === draft.roles.length - 1 ? `${idFor(`roles.${i + 1}`)}-up` : `${idFor(`roles.${i + 1}`)}-down`,
                        );
                      }}
                    >
                      ↓ {t("moveDown")}
                    </button>
                    <button
                      type="button"
                      class="tpl-remove"
                      disabled={draft.roles.length === 1}
                      aria-label={t("removeRoleLabel", { name: label })}
                      onClick={() => {
                        update((d) => ({ ...d, roles: d.roles.filter((x) => x.uid !== r.uid) }));
                        setFocusId(idFor(`roles.${Math.max(0, i - 1)}`));
                      }}
                    >
                      {t("removeRole")}
                    </button>
                  </div>
                </div>
                <FieldErrors id={idFor(base)} messages={errorsAt(base)} />
                <div class="tpl-role-fields">
                  <Field id={idFor(`${base}.name`)} label={t("roleName")} errors={errorsAt(`${base}.name`)}>
                    <input
                      {...describedBy(idFor(`${base}.name`), errorsAt(`${base}.name`))}
                      value={r.name}
                      maxLength={100}
                      onInput={(e) => {
                        const name = e.currentTarget.value;
                        updateRole(r.uid, r.keyEdited ? { name } : { name, key: keyFromName(name) || r.key });
                      }}
                    />
                  </Field>
                  <Field id={idFor(`${base}.key`)} label={t("roleKey")} errors={errorsAt(`${base}.key`)} hint={t("roleKeyHelp")}>
                    <input
                      {...describedBy(idFor(`${base}.key`), errorsAt(`${base}.key`), `${idFor(`${base}.key`)}-hint`)}
                      value={r.key}
                      maxLength={50}
                      spellcheck={false}
                      onInput={(e) => updateRole(r.uid, { key: e.currentTarget.value, keyEdited: true })}
                    />
                  </Field>
                  <Field id={idFor(`${base}.weighting`)} label={t("weighting")} errors={errorsAt(`${base}.weighting`)}>
                    <select
                      {...describedBy(idFor(`${base}.weighting`), errorsAt(`${base}.weighting`))}
                      value={r.weighting}
                      onChange={(e) => updateRole(r.uid, { weighting: e.currentTarget.value as Weighting })}
                    >
                      {WEIGHTINGS.map((w) => (
                        <option key={w} value={w}>
                          {t("weightingOption", { label: t(`w_${w}` as TemplateKey), value: WEIGHTING_VALUES[w] })}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field
                    id={idFor(`${base}.membersRequired`)}
                    label={t("membersRequired")}
                    errors={errorsAt(`${base}.membersRequired`)}
                  >
                    <input
                      {...describedBy(idFor(`${base}.membersRequired`), errorsAt(`${base}.membersRequired`))}
                      type="number"
                      min={1}
                      max={100}
                      step={1}
                      value={r.membersRequired}
                      onInput={(e) => updateRole(r.uid, { membersRequired: e.currentTarget.value })}
                    />
                  </Field>
                  <div class="tpl-flags">
                    <label>
                      <input
                        type="checkbox"
                        id={idFor(`${base}.countsTowardCompleteness`)}
                        checked={r.countsTowardCompleteness}
                        onChange={(e) => updateRole(r.uid, { countsTowardCompleteness: e.currentTarget.checked })}
                      />{" "}
                      {t("countsToward")}
                    </label>
                    <label>
                      <input
                        type="checkbox"
                        id={idFor(`${base}.decisionMaker`)}
                        checked={r.decisionMaker}
                        onChange={(e) => updateRole(r.uid, { decisionMaker: e.currentTarget.checked })}
                      />{" "}
                      {t("decisionMaker")}
                    </label>
                  </div>
                </div>
                <h4 class="tpl-conditions-h">{t("conditionsHeading")}</h4>
                <FieldErrors
                  id={idFor(`${base}.conditions`)}
                  messages={r.conditions ? undefined : errorsAt(`${base}.conditions`)}
                />
                <ConditionBuilder
                  value={r.conditions}
                  onChange={(conditions) => updateRole(r.uid, { conditions })}
                  base={`${base}.conditions`}
                  errorsAt={errorsAt}
                  idFor={idFor}
                  roleName={label}
                />
              </li>
            );
          })}
        </ol>
        <p>
          <button
            type="button"
            onClick={() => {
              const index = draft.roles.length;
              update((d) => ({ ...d, roles: [...d.roles, newRole(d.roles.map((x) => x.key))] }));
              setFocusId(idFor(`roles.${index}.name`));
            }}
          >
            {t("addRole")}
          </button>
        </p>

        {formErrors.length > 0 && (
          <p class="field-error" id={idFor("")}>
            {formErrors.join(" · ")}
          </p>
        )}
        <div class="actions tpl-actions">
          <button type="submit" disabled={busy !== null}>
            {busy === "save" ? t("saving") : t("saveDraft")}
          </button>
          <button
            type="button"
            class="primary"
            disabled={publishDisabled}
            aria-describedby={status === "live" && !dirty ? "tpl-live-hint" : undefined}
            onClick={() => void onPublish()}
          >
            {busy === "publish" ? t("publishing") : t("publish")}
          </button>
          {status === "live" && !dirty && (
            <span class="muted" id="tpl-live-hint">
              {t("liveNoChanges")}
            </span>
          )}
          {id !== null &&
            (confirmDelete ? (
              <span class="tpl-confirm">
                <span>{t("confirmDelete")}</span>{" "}
                <button type="button" class="danger" disabled={busy !== null} onClick={() => void onDelete()}>
                  {t("confirmDeleteYes")}
                </button>{" "}
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  {t("cancel")}
                </button>
              </span>
            ) : (
              <button type="button" class="tpl-remove" disabled={busy !== null} onClick={() => setConfirmDelete(true)}>
                {t("delete")}
              </button>
            ))}
        </div>
        <div aria-live="polite" class="tpl-notice-region">
          {notice && (
            <p
              role={notice.kind === "error" ? "alert" : "status"}
              class={notice.kind === "error" ? "state state-error" : "state tpl-ok-box"}
            >
              {notice.text}
            </p>
          )}
        </div>
      </form>
      <TemplatePreview templateId={id} dirty={dirty} />
    </div>
  );
}

import { useEffect, useMemo, useState } from "preact/hooks";
import { STAGE_KINDS, type StageKind, type StageModel } from "../../../../shared/api/stages";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useFocusRequest, useUnsavedChangesPrompt } from "../../hooks";
import { useT } from "../../i18n";
import { navigate, routeHref } from "../../router";
import { useSession } from "../../session";
import { describedBy, Field, FieldErrors } from "../templates/FieldErrors";
import { type FieldIssue, fieldId, mapIssues, nearestField } from "../templates/field-issues";
import { type StageKey, stageMessages } from "./messages";
import {
  addStage,
  copyDraft,
  fromStageModel,
  knownStageFields,
  moveStage,
  nextStageUid,
  type RuleDraft,
  removeStage,
  type StageIssue,
  type StageModelDraft,
  starterModel,
  toggleTransition,
  toStageModelBody,
  updateStage,
  validateStageModel,
} from "./stage-form";
import { TransitionMatrix } from "./TransitionMatrix";

const idFor = (path: string) => fieldId("stg", path);
type Notice = { kind: "ok" | "error"; text: string } | null;

/** One stage model: stages and kinds, allowed transitions (matrix), automatic rules; draft → publish; live ones are copied. */
export function StageEditor({ routeId }: { routeId: string }) {
  const t = useT(stageMessages);
  const { api } = useSession();
  const lang = language.value;
  const isNew = routeId === "new";
  const [id, setId] = useState<string | null>(isNew ? null : routeId);
  const [meta, setMeta] = useState<StageModel | null>(null);
  const [draft, setDraft] = useState<StageModelDraft | null>(() =>
    isNew
      ? starterModel({
          entry: t("starterEntry"),
          inProgress: t("starterInProgress"),
          success: t("starterSuccess"),
          failure: t("starterFailure"),
        })
      : null,
  );
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(isNew);
  const [attempted, setAttempted] = useState(false);
  const [issues, setIssues] = useState<StageIssue[]>([]);
  const [busy, setBusy] = useState<null | "save" | "publish" | "delete">(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const setFocusId = useFocusRequest();

  useEffect(() => {
    if (isNew) return;
    expectOk<StageModel>(api["stage-models"][":id"].$get({ param: { id: routeId } }))
      .then((m) => {
        setMeta(m);
        setDraft(fromStageModel(m));
      })
      .catch((e) => setLoadError(errorMessage(e)));
  }, [routeId]);

  useUnsavedChangesPrompt(dirty);

  const known = useMemo(() => (draft ? knownStageFields(draft) : new Set<string>()), [draft]);
  const byField = useMemo(
    () =>
      mapIssues(
        issues.map((i) => ({ field: i.field, message: i.key ? t(i.key) : i.message })),
        known,
      ),
    [issues, known, lang],
  );
  const checks = useMemo(() => (draft ? validateStageModel(draft).warnings : []), [draft]);

  if (loadError)
    return (
      <>
        <p>
          <a href={routeHref("stages")}>{t("back")}</a>
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

  const readOnly = meta?.status === "live" && id === meta.id;
  const errorsAt = (path: string) => byField.get(path);
  const stageName = (uid: string | null, i?: number) => {
    if (uid === null) return t("anyStage");
    const s = draft.stages.find((x) => x.uid === uid);
    return s ? s.name || t("unnamedStage", { n: (i ?? draft.stages.indexOf(s)) + 1 }) : t("deletedStageName");
  };

  const update = (fn: (d: StageModelDraft) => StageModelDraft) => {
    const next = fn(draft);
    setDraft(next);
    setDirty(true);
    if (attempted) setIssues(validateStageModel(next).errors);
  };
  const updateRule = (uid: string, patch: Partial<RuleDraft>) =>
    update((d) => ({ ...d, rules: d.rules.map((r) => (r.uid === uid ? { ...r, ...patch } : r)) }));

  function showProblems(list: FieldIssue[], text: string) {
    setIssues(list);
    setNotice({ kind: "error", text });
    const first = list[0];
    if (first) setFocusId(idFor(nearestField(first.field, known)));
  }

  async function save(current: StageModelDraft): Promise<StageModel | null> {
    setAttempted(true);
    const problems = validateStageModel(current).errors;
    if (problems.length > 0) {
      showProblems(problems, t("fixProblems", { count: problems.length }));
      return null;
    }
    setIssues([]);
    const body = toStageModelBody(current);
    try {
      const saved =
        id === null
          ? await expectOkWithIssues<StageModel>(api["stage-models"].$post({ json: body }))
          : await expectOkWithIssues<StageModel>(api["stage-models"][":id"].$put({ param: { id }, json: body }));
      setMeta(saved);
      setDirty(false);
      if (saved.id !== id) {
        setId(saved.id);
        history.replaceState(null, "", routeHref("stages", saved.id));
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
    const saved = await save(draft!);
    setBusy(null);
    if (saved) setNotice({ kind: "ok", text: t("saved") });
  }

  async function onPublish() {
    setBusy("publish");
    setNotice(null);
    let target = meta && id === meta.id ? meta : null;
    if (!target || dirty) target = await save(draft!);
    if (!target) return setBusy(null);
    try {
      const live = await expectOkWithIssues<StageModel>(api["stage-models"][":id"].publish.$post({ param: { id: target.id } }));
      setMeta(live);
      setNotice({ kind: "ok", text: t("published") });
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
      await expectOk(api["stage-models"][":id"].$delete({ param: { id } }));
      setConfirmDelete(false);
      setNotice({ kind: "ok", text: t("deleted") });
      navigate(routeHref("stages"));
    } catch (e) {
      setConfirmDelete(false);
      setNotice({ kind: "error", text: t("serverRefused", { message: errorMessage(e) }) });
    } finally {
      setBusy(null);
    }
  }

  function editAsDraft() {
    setDraft(copyDraft(draft!, t("copyName", { name: draft!.name })));
    setId(null);
    setDirty(true);
    setNotice(null);
    setFocusId(idFor("name"));
  }

  const kindLabel = (k: StageKind) => t(`kind_${k}` as StageKey);
  const stageWarnings = (i: number) => checks.filter((w) => w.field === `stages.${i}`);
  const modelWarnings = checks.filter((w) => w.field === "stages");
  const transitionErrors = draft.transitions
    .map((tr, i) => ({ i, tr, errors: errorsAt(`transitions.${i}`) }))
    .filter((x) => x.errors);
  const status = id === null ? "new" : (meta?.status ?? "draft");

  return (
    <div class="stg-editor">
      <p>
        <a href={routeHref("stages")}>{t("back")}</a>
      </p>
      <h1>
        {id === null ? t("editorTitleNew") : t("editorTitle", { name: meta?.name ?? draft.name })}{" "}
        {status !== "new" && <span class={`tpl-status tpl-status-${status}`}>{t(`status_${status}` as StageKey)}</span>}
      </h1>
      {readOnly && (
        <div class="tpl-note">
          <p>{t("liveNote")}</p>
          <button type="button" class="primary" onClick={editAsDraft}>
            {t("editAsDraft")}
          </button>
        </div>
      )}
      {meta && id === meta.id && (
        <p class="muted">
          {t("updatedAt", { when: formatDateTime(lang, meta.updatedAt) })}
          {dirty && <strong class="tpl-dirty"> · {t("unsaved")}</strong>}
        </p>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSave();
        }}
      >
        <fieldset class="stg-fieldset" disabled={readOnly}>
          <Field id={idFor("name")} label={t("fieldName")} errors={errorsAt("name")} class="stg-name">
            <input
              {...describedBy(idFor("name"), errorsAt("name"))}
              value={draft.name}
              maxLength={200}
              onInput={(e) => update((d) => ({ ...d, name: e.currentTarget.value }))}
            />
          </Field>

          <h2 id="stg-stages-h">{t("stagesHeading")}</h2>
          <p class="muted">{t("stagesHelp")}</p>
          <div class="tpl-table-wrap">
            <table class="admin-table stg-stages" aria-labelledby="stg-stages-h" id={idFor("stages")} tabIndex={-1}>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t("stageName")}</th>
                  <th scope="col">{t("stageKind")}</th>
                  <th scope="col">
                    <span class="sr-only">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.stages.map((s, i) => {
                  const label = s.name || t("unnamedStage", { n: i + 1 });
                  const warnings = stageWarnings(i);
                  return (
                    <tr key={s.uid} id={idFor(`stages.${i}`)} tabIndex={-1}>
                      <td>{i + 1}</td>
                      <td>
                        <input
                          {...describedBy(idFor(`stages.${i}.name`), errorsAt(`stages.${i}.name`))}
                          aria-label={t("stageNameOf", { n: i + 1 })}
                          value={s.name}
                          maxLength={100}
                          onInput={(e) => update((d) => updateStage(d, s.uid, { name: e.currentTarget.value }))}
                        />
                        <FieldErrors id={idFor(`stages.${i}.name`)} messages={errorsAt(`stages.${i}.name`)} />
                        <FieldErrors id={idFor(`stages.${i}`)} messages={errorsAt(`stages.${i}`)} />
                        {warnings.map((w) => (
                          <p key={w.key} class="stg-warning">
                            {t(`warn_${w.key}` as StageKey, w.params)}
                          </p>
                        ))}
                      </td>
                      <td>
                        <select
                          {...describedBy(idFor(`stages.${i}.kind`), errorsAt(`stages.${i}.kind`))}
                          aria-label={t("stageKindOf", { name: label })}
                          value={s.kind}
                          onChange={(e) => update((d) => updateStage(d, s.uid, { kind: e.currentTarget.value as StageKind }))}
                        >
                          {STAGE_KINDS.map((k) => (
                            <option key={k} value={k}>
                              {kindLabel(k)}
                            </option>
                          ))}
                        </select>
                        <FieldErrors id={idFor(`stages.${i}.kind`)} messages={errorsAt(`stages.${i}.kind`)} />
                      </td>
                      <td class="stg-tools">
                        <button
                          type="button"
                          id={`${idFor(`stages.${i}`)}-up`}
                          disabled={i === 0}
                          aria-label={t("moveUpLabel", { name: label })}
                          onClick={() => {
                            update((d) => moveStage(d, i, -1));
                            setFocusId(`${idFor(`stages.${i - 1}`)}-${i - 1 === 0 ? "down" : "up"}`);
                          }}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          id={`${idFor(`stages.${i}`)}-down`}
                          disabled={i === draft.stages.length - 1}
                          aria-label={t("moveDownLabel", { name: label })}
                          onClick={() => {
                            update((d) => moveStage(d, i, 1));
                            setFocusId(`${idFor(`stages.${i + 1}`)}-${i + 1 === draft.stages.length - 1 ? "up" : "down"}`);
                          }}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          class="tpl-remove"
                          aria-label={t("removeStageLabel", { name: label })}
                          onClick={() => {
                            update((d) => removeStage(d, s.uid));
                            setFocusId(idFor("stages"));
                          }}
                        >
                          {t("remove")}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <FieldErrors id={idFor("stages")} messages={errorsAt("stages")} />
          {modelWarnings.map((w) => (
            <p key={w.key} class="stg-warning">
              {t(`warn_${w.key}` as StageKey, w.params)}
            </p>
          ))}
          <p>
            <button
              type="button"
              onClick={() => {
                const index = draft.stages.length;
                update((d) => addStage(d, ""));
                setFocusId(idFor(`stages.${index}.name`));
              }}
            >
              {t("addStage")}
            </button>
          </p>

          <h2 id="stg-transitions-h">{t("transitionsHeading")}</h2>
          <p class="muted">{t("transitionsHelp")}</p>
          <TransitionMatrix
            draft={draft}
            readOnly={readOnly}
            onToggle={(from, to) => update((d) => toggleTransition(d, from, to))}
            errorsAt={(i) => errorsAt(`transitions.${i}`)}
            idFor={idFor}
          />
          {transitionErrors.map(({ i, tr, errors }) => (
            <p key={i} class="field-error" id={`${idFor(`transitions.${i}`)}-error`}>
              {stageName(tr.from)} → {stageName(tr.to)}: {errors!.join(" · ")}
            </p>
          ))}
          <FieldErrors id={idFor("transitions")} messages={errorsAt("transitions")} />

          <h2 id="stg-rules-h">{t("rulesHeading")}</h2>
          <p class="muted">{t("rulesHelp")}</p>
          {draft.rules.length === 0 && <p class="muted">{t("noRules")}</p>}
          <ol class="plain stg-rules" aria-labelledby="stg-rules-h" id={idFor("rules")} tabIndex={-1}>
            {draft.rules.map((r, i) => {
              const base = `rules.${i}`;
              const stageOptions = (value: string | null, allowAny: boolean) => (
                <>
                  {allowAny && <option value="">{t("anyStage")}</option>}
                  {draft.stages.map((s, k) => (
                    <option key={s.uid} value={s.uid}>
                      {s.name || t("unnamedStage", { n: k + 1 })}
                    </option>
                  ))}
                  {value !== null && !draft.stages.some((s) => s.uid === value) && (
                    <option value={value}>{t("deletedStageName")}</option>
                  )}
                </>
              );
              return (
                <li key={r.uid} class="card stg-rule" id={idFor(base)} tabIndex={-1}>
                  <div class="stg-rule-row">
                    <Field id={idFor(`${base}.from`)} label={t("ruleFrom")} errors={errorsAt(`${base}.from`)}>
                      <select
                        {...describedBy(idFor(`${base}.from`), errorsAt(`${base}.from`))}
                        value={r.from ?? ""}
                        onChange={(e) => updateRule(r.uid, { from: e.currentTarget.value || null })}
                      >
                        {stageOptions(r.from, true)}
                      </select>
                    </Field>
                    <Field id={idFor(`${base}.to`)} label={t("ruleTo")} errors={errorsAt(`${base}.to`)}>
                      <select
                        {...describedBy(idFor(`${base}.to`), errorsAt(`${base}.to`))}
                        value={r.to}
                        onChange={(e) => updateRule(r.uid, { to: e.currentTarget.value })}
                      >
                        {stageOptions(r.to, false)}
                      </select>
                    </Field>
                    <Field
                      id={idFor(`${base}.minCompleteness`)}
                      label={t("ruleMinCompleteness")}
                      errors={errorsAt(`${base}.minCompleteness`)}
                    >
                      <input
                        {...describedBy(idFor(`${base}.minCompleteness`), errorsAt(`${base}.minCompleteness`))}
                        type="number"
                        min={0}
                        max={100}
                        value={r.minCompleteness}
                        onInput={(e) => updateRule(r.uid, { minCompleteness: e.currentTarget.value })}
                      />
                    </Field>
                    <Field
                      id={idFor(`${base}.minEngagement`)}
                      label={t("ruleMinEngagement")}
                      errors={errorsAt(`${base}.minEngagement`)}
                    >
                      <input
                        {...describedBy(idFor(`${base}.minEngagement`), errorsAt(`${base}.minEngagement`))}
                        type="number"
                        min={0}
                        value={r.minEngagement}
                        onInput={(e) => updateRule(r.uid, { minEngagement: e.currentTarget.value })}
                      />
                    </Field>
                    <label class="stg-check">
                      <input
                        type="checkbox"
                        id={idFor(`${base}.openOpportunity`)}
                        checked={r.openOpportunity}
                        onChange={(e) => updateRule(r.uid, { openOpportunity: e.currentTarget.checked })}
                      />{" "}
                      {t("ruleOpenOpportunity")}
                    </label>
                    <button
                      type="button"
                      class="tpl-remove"
                      aria-label={t("removeRuleLabel", { n: i + 1 })}
                      onClick={() => {
                        update((d) => ({ ...d, rules: d.rules.filter((x) => x.uid !== r.uid) }));
                        setFocusId(idFor("rules"));
                      }}
                    >
                      {t("remove")}
                    </button>
                  </div>
                  {(["openOpportunity", ""] as const).map((f) => {
                    const path = f ? `${base}.${f}` : base;
                    return <FieldErrors key={f} id={idFor(path)} messages={errorsAt(path)} />;
                  })}
                </li>
              );
            })}
          </ol>
          <FieldErrors id={idFor("rules")} messages={errorsAt("rules")} />
          <p>
            <button
              type="button"
              disabled={draft.stages.length === 0}
              onClick={() => {
                const index = draft.rules.length;
                const target = draft.stages.find((s) => s.kind === "success") ?? draft.stages[0]!;
                update((d) => ({
                  ...d,
                  rules: [
                    ...d.rules,
                    {
                      uid: nextStageUid(),
                      from: null,
                      to: target.uid,
                      minCompleteness: "",
                      minEngagement: "",
                      openOpportunity: false,
                    },
                  ],
                }));
                setFocusId(idFor(`rules.${index}.from`));
              }}
            >
              {t("addRule")}
            </button>
          </p>
        </fieldset>

        <FieldErrors id={idFor("")} messages={errorsAt("")} />
        {!readOnly && (
          <div class="actions tpl-actions">
            <button type="submit" disabled={busy !== null}>
              {busy === "save" ? t("saving") : t("saveDraft")}
            </button>
            <button type="button" class="primary" disabled={busy !== null} onClick={() => void onPublish()}>
              {busy === "publish" ? t("publishing") : t("publish")}
            </button>
            {id !== null && (
              <DeleteButton busy={busy !== null} confirm={confirmDelete} setConfirm={setConfirmDelete} onDelete={onDelete} />
            )}
          </div>
        )}
        {readOnly && (
          <div class="actions">
            <DeleteButton busy={busy !== null} confirm={confirmDelete} setConfirm={setConfirmDelete} onDelete={onDelete} />
          </div>
        )}
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
    </div>
  );
}

function DeleteButton(props: {
  busy: boolean;
  confirm: boolean;
  setConfirm: (v: boolean) => void;
  onDelete: () => Promise<void>;
}) {
  const t = useT(stageMessages);
  if (!props.confirm)
    return (
      <button type="button" class="tpl-remove" disabled={props.busy} onClick={() => props.setConfirm(true)}>
        {t("delete")}
      </button>
    );
  return (
    <span class="tpl-confirm">
      <span>{t("confirmDelete")}</span>
      <button type="button" class="danger" disabled={props.busy} onClick={() => void props.onDelete()}>
        {t("confirmDeleteYes")}
      </button>
      <button type="button" onClick={() => props.setConfirm(false)}>
        {t("cancel")}
      </button>
    </span>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import type { SolutionInterest } from "../../../../shared/api/solution-interests";
import type { StageModel } from "../../../../shared/api/stages";
import type { RoleTemplate } from "../../../../shared/api/templates";
import type { ScreenProps } from "../../AdminApp";
import { ApiError, ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useT } from "../../i18n";
import { navigate, route, routeHref } from "../../router";
import { useSession } from "../../session";
import "./interests.css";
import {
  addTags,
  checkInterest,
  EMPTY_INTEREST,
  type FieldProblem,
  formFromInterest,
  type InterestField,
  type InterestForm,
  interestBody,
  issueField,
} from "./interest-form";
import { JobsPanel } from "./JobsPanel";
import { messages } from "./messages";
import { TagInput } from "./TagInput";

const SEARCH_DEBOUNCE_MS = 250;

const FIELDS: InterestField[] = ["name", "description", "roleTemplateId", "stageModelId", "keywords", "products"];

interface Choices {
  templates: RoleTemplate[];
  models: StageModel[];
}

/** `#/interests`: every solution interest; `#/interests/new`: create one; `#/interests/<id>`: edit it and run its jobs. */
export function InterestsScreen({ route }: ScreenProps) {
  return route.id ? <InterestDetail key={route.id} id={route.id} /> : <InterestList />;
}

function useChoices(): { choices: Choices | null; error: string | null } {
  const { api } = useSession();
  const [state, setState] = useState<{ choices: Choices | null; error: string | null }>({ choices: null, error: null });
  useEffect(() => {
    let live = true;
    Promise.all([
      expectOk<{ items: RoleTemplate[] }>(api["role-templates"].$get({ query: {} })),
      expectOk<{ items: StageModel[] }>(api["stage-models"].$get()),
    ]).then(
      ([t, m]) => live && setState({ choices: { templates: t.items, models: m.items }, error: null }),
      (e) => live && setState({ choices: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}

function InterestList() {
  const t = useT(messages);
  const { api } = useSession();
  const { choices } = useChoices();
  const [items, setItems] = useState<SolutionInterest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState(route.value.query.get("q") ?? "");
  const search = useRef(0);
  useEffect(() => {
    const n = ++search.current;
    const query = q.trim();
    const timer = setTimeout(
      () => {
        // The server searches name, description, keywords and products (`?q=`, case and accents ignored).
        const args = (query ? { query: { q: query } } : undefined) as never;
        expectOk<{ items: SolutionInterest[] }>(api["solution-interests"].$get(args)).then(
          (r) => n === search.current && setItems(r.items),
          (e) => n === search.current && setError(errorMessage(e)),
        );
        navigate(routeHref("interests", null, query ? { q: query } : {}), { replace: true });
      },
      query ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [api, q]);
  const templateName = (id: string) => {
    const tpl = choices?.templates.find((x) => x.id === id);
    return tpl ? t("templateVersion", { name: tpl.name, version: tpl.version }) : id;
  };
  const modelName = (id: string | null) => (id ? (choices?.models.find((m) => m.id === id)?.name ?? id) : t("none"));
  return (
    <section class="interests">
      <h1>{t("title")}</h1>
      <div class="admin-toolbar">
        <div class="field">
          <label for="si-search">{t("search")}</label>
          <input
            id="si-search"
            type="search"
            value={q}
            placeholder={t("searchPlaceholder")}
            onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <a class="button-link primary" href={routeHref("interests", "new")}>
          {t("new")}
        </a>
      </div>
      {error && (
        <p role="alert" class="state state-error">
          {t("loadFailed", { message: error })}
        </p>
      )}
      {!items && !error && <p role="status">{t("loading")}</p>}
      {items && items.length === 0 && <p class="muted">{q.trim() ? t("noMatch", { q: q.trim() }) : t("empty")}</p>}
      {items && items.length > 0 && (
        <div class="table-scroll">
          <table class="admin-table">
            <caption class="sr-only">{t("title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("roleTemplate")}</th>
                <th scope="col">{t("stageModel")}</th>
                <th scope="col">{t("keywords")}</th>
                <th scope="col">{t("products")}</th>
                <th scope="col">{t("groups")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((si) => (
                <tr key={si.id}>
                  <td>
                    <a href={routeHref("interests", si.id)}>{si.name}</a>
                    {si.description && <div class="muted small">{si.description}</div>}
                  </td>
                  <td>{templateName(si.roleTemplateId)}</td>
                  <td>{modelName(si.stageModelId)}</td>
                  <td>{si.keywords.join(", ")}</td>
                  <td>{si.products.join(", ")}</td>
                  <td>
                    <a href={routeHref("browse", null, { solutionInterestId: si.id })}>
                      {t("groupCount", { count: si.groupCount })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InterestDetail({ id }: { id: string }) {
  const t = useT(messages);
  const { api, me } = useSession();
  const isNew = id === "new";
  const { choices, error: choicesError } = useChoices();
  const [interest, setInterest] = useState<SolutionInterest | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<InterestForm>(EMPTY_INTEREST);
  // Typed into a tag input but not added yet: counted in on save.
  const [pending, setPending] = useState({ keywords: "", products: "" });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<InterestField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  // Deleting with groups: the user types the interest's name to confirm.
  const [typed, setTyped] = useState("");
  const canWrite = me.role === "admin" || me.role === "marketer";

  useEffect(() => {
    if (isNew) return;
    expectOk<SolutionInterest>(api["solution-interests"][":id"].$get({ param: { id } })).then(
      (si) => {
        setInterest(si);
        setForm(formFromInterest(si));
      },
      (e) => setLoadError(errorMessage(e)),
    );
  }, [api, id]);

  // A new interest starts on the newest live template.
  useEffect(() => {
    if (!isNew || !choices || form.roleTemplateId) return;
    const live = choices.templates.filter((x) => x.status === "live");
    if (live.length === 1) setForm((f) => ({ ...f, roleTemplateId: live[0]!.id }));
  }, [choices]);

  const set = <K extends InterestField>(key: K, value: InterestForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
    if (fieldErrors[key]) setFieldErrors((e) => ({ ...e, [key]: undefined }));
  };

  const problemText = (p: FieldProblem) =>
    p.key === "tooLong" ? t("tooLong", { max: p.max ?? 0 }) : p.key === "required" ? t("required") : t(p.key);

  async function save(e: Event) {
    e.preventDefault();
    setFormError(null);
    setSaved(false);
    const full: InterestForm = {
      ...form,
      keywords: addTags(form.keywords, pending.keywords),
      products: addTags(form.products, pending.products),
    };
    setForm(full);
    setPending({ keywords: "", products: "" });
    const problems = checkInterest(full);
    if (problems.length) {
      setFieldErrors(Object.fromEntries(problems.map((p) => [p.field, problemText(p)])));
      setFormError(t("fixFields"));
      return;
    }
    setFieldErrors({});
    setSaving(true);
    try {
      const body = interestBody(full);
      const si = isNew
        ? await expectOkWithIssues<SolutionInterest>(api["solution-interests"].$post({ json: body }))
        : await expectOkWithIssues<SolutionInterest>(api["solution-interests"][":id"].$put({ param: { id }, json: body }));
      if (isNew) {
        navigate(routeHref("interests", si.id), { replace: true });
        return;
      }
      setInterest(si);
      setForm(formFromInterest(si));
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiFieldError) {
        const byField: Partial<Record<InterestField, string>> = {};
        const other: string[] = [];
        for (const i of err.issues) {
          const f = issueField(i.field, FIELDS);
          if (f) byField[f] = byField[f] ? `${byField[f]}; ${i.message}` : i.message;
          else other.push(i.message);
        }
        // A name clash (409) has no issues: it belongs to the name.
        if (err.issues.length === 0 && err.status === 409) byField.name = err.message;
        setFieldErrors(byField);
        setFormError(Object.keys(byField).length ? [t("fixFields"), ...other].join(" ") : err.message);
      } else setFormError(t("saveFailed", { message: errorMessage(err) }));
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    setDeleteError(null);
    const count = interest?.groupCount ?? 0;
    try {
      // With groups: the count the user confirmed goes along; the server refuses if it changed meanwhile.
      const query = count > 0 ? { confirmGroups: String(count) } : {};
      await expectOk(api["solution-interests"][":id"].$delete({ param: { id }, query }));
      navigate(routeHref("interests"));
    } catch (err) {
      setConfirmDelete(false);
      setTyped("");
      setDeleteError(errorMessage(err));
      // Groups were added or removed since the page loaded: show the new count and say what changed.
      const fresh = await expectOk<SolutionInterest>(api["solution-interests"][":id"].$get({ param: { id } })).catch(() => null);
      if (fresh) {
        setInterest((cur) => (cur ? { ...cur, groupCount: fresh.groupCount } : fresh));
        if (err instanceof ApiError && err.status === 409 && fresh.groupCount !== count)
          setDeleteError(t("deleteGroupsChanged", { count: fresh.groupCount }));
      }
    }
  }

  if (loadError)
    return (
      <section class="interests">
        <h1>{t("title")}</h1>
        <p role="alert" class="state state-error">
          {t("loadFailed", { message: loadError })}
        </p>
        <a href={routeHref("interests")}>{t("back")}</a>
      </section>
    );
  if (!isNew && !interest) return <p role="status">{t("loading")}</p>;

  const templates = choices?.templates ?? [];
  const liveTemplates = templates.filter((x) => x.status === "live" || x.id === form.roleTemplateId);
  const err = (k: InterestField) => fieldErrors[k];
  const described = (k: InterestField) => (err(k) ? `si-${k}-error` : undefined);
  const fieldError = (k: InterestField) =>
    err(k) ? (
      <span id={`si-${k}-error`} class="field-error">
        {err(k)}
      </span>
    ) : null;

  return (
    <section class="interests">
      <p>
        <a href={routeHref("interests")}>{t("back")}</a>
      </p>
      <h1>{isNew ? t("new") : interest?.name}</h1>
      {choicesError && (
        <p role="alert" class="state state-error">
          {t("loadFailed", { message: choicesError })}
        </p>
      )}
      <div class="interest-layout">
        <form class="interest-form card" onSubmit={save} noValidate aria-labelledby="si-form-title">
          <h2 id="si-form-title">{t("details")}</h2>
          <div role="alert" aria-live="assertive">
            {formError && <p class="state state-error">{formError}</p>}
          </div>
          <div class="field">
            <label for="si-name">{t("name")}</label>
            <input
              id="si-name"
              value={form.name}
              maxLength={200}
              required
              aria-invalid={err("name") ? true : undefined}
              aria-describedby={described("name")}
              onInput={(e) => set("name", (e.currentTarget as HTMLInputElement).value)}
            />
            {fieldError("name")}
          </div>
          <div class="field">
            <label for="si-description">{t("description")}</label>
            <textarea
              id="si-description"
              rows={3}
              value={form.description}
              aria-invalid={err("description") ? true : undefined}
              aria-describedby={described("description")}
              onInput={(e) => set("description", (e.currentTarget as HTMLTextAreaElement).value)}
            />
            {fieldError("description")}
          </div>
          <div class="field">
            <label for="si-template">{t("roleTemplate")}</label>
            <select
              id="si-template"
              value={form.roleTemplateId}
              aria-invalid={err("roleTemplateId") ? true : undefined}
              aria-describedby={["si-template-hint", described("roleTemplateId")].filter(Boolean).join(" ")}
              onChange={(e) => set("roleTemplateId", (e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t("choose")}</option>
              {liveTemplates.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {t("templateVersion", { name: tpl.name, version: tpl.version })}
                  {tpl.status !== "live" ? ` (${t(tpl.status === "draft" ? "draft" : "retired")})` : ""}
                </option>
              ))}
            </select>
            <span id="si-template-hint" class="muted hint">
              {t("templateHint")}
            </span>
            {fieldError("roleTemplateId")}
          </div>
          <div class="field">
            <label for="si-model">{t("stageModel")}</label>
            <select
              id="si-model"
              value={form.stageModelId}
              aria-invalid={err("stageModelId") ? true : undefined}
              aria-describedby={described("stageModelId")}
              onChange={(e) => set("stageModelId", (e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">{t("none")}</option>
              {(choices?.models ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {m.status === "draft" ? ` (${t("draft")})` : ""}
                </option>
              ))}
            </select>
            {fieldError("stageModelId")}
          </div>
          <TagInput
            id="si-keywords"
            label={t("keywords")}
            values={form.keywords}
            onChange={(v) => set("keywords", v)}
            text={pending.keywords}
            onText={(text) => setPending((p) => ({ ...p, keywords: text }))}
            hint={t("keywordsHint")}
            removeLabel={(v) => t("removeValue", { value: v })}
            error={err("keywords")}
          />
          <TagInput
            id="si-products"
            label={t("products")}
            values={form.products}
            onChange={(v) => set("products", v)}
            text={pending.products}
            onText={(text) => setPending((p) => ({ ...p, products: text }))}
            hint={t("tagsHint")}
            removeLabel={(v) => t("removeValue", { value: v })}
            error={err("products")}
          />
          <p class="actions">
            <button type="submit" class="primary" disabled={saving || !canWrite}>
              {saving ? t("saving") : isNew ? t("create") : t("save")}
            </button>
            <span role="status" class="muted">
              {saved ? t("saved") : ""}
            </span>
          </p>
        </form>
        {interest && (
          <aside class="interest-side">
            <section class="card" aria-labelledby="si-groups-title">
              <h2 id="si-groups-title">{t("groups")}</h2>
              <p>
                <a href={routeHref("browse", null, { solutionInterestId: interest.id })}>
                  {t("groupCountBrowse", { count: interest.groupCount })}
                </a>
              </p>
            </section>
            <section class="card danger-zone" aria-labelledby="si-delete-title">
              <h2 id="si-delete-title">{t("deleteTitle")}</h2>
              <p class="muted">
                {interest.groupCount === 0
                  ? t("deleteHint")
                  : me.role === "admin"
                    ? t("deleteWithGroupsHint", { count: interest.groupCount })
                    : t("deleteWithGroupsAdminOnly", { count: interest.groupCount })}
              </p>
              {!confirmDelete ? (
                <button
                  type="button"
                  class="danger"
                  disabled={!canWrite || (interest.groupCount > 0 && me.role !== "admin")}
                  onClick={() => setConfirmDelete(true)}
                >
                  {interest.groupCount > 0 ? t("deleteWithGroups", { count: interest.groupCount }) : t("delete")}
                </button>
              ) : interest.groupCount > 0 ? (
                <form
                  class="confirm-delete"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (typed.trim() === interest.name) void remove();
                  }}
                >
                  <div class="field">
                    <label for="si-delete-name">{t("deleteTypeName", { name: interest.name, count: interest.groupCount })}</label>
                    <input
                      id="si-delete-name"
                      value={typed}
                      autoComplete="off"
                      onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
                    />
                  </div>
                  <p class="actions">
                    <button type="submit" class="danger" disabled={typed.trim() !== interest.name}>
                      {t("deleteWithGroupsYes", { count: interest.groupCount })}
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setConfirmDelete(false);
                        setTyped("");
                      }}
                    >
                      {t("keep")}
                    </button>
                  </p>
                </form>
              ) : (
                <p class="actions">
                  <span>{t("deleteConfirm", { name: interest.name })}</span>
                  <button type="button" class="danger" onClick={() => void remove()}>
                    {t("deleteYes")}
                  </button>
                  <button type="button" onClick={() => setConfirmDelete(false)}>
                    {t("keep")}
                  </button>
                </p>
              )}
              <div role="alert">
                {deleteError && (
                  <p class="state state-error">
                    <strong>{t("deleteRefused")}</strong> {deleteError}
                  </p>
                )}
              </div>
            </section>
          </aside>
        )}
      </div>
      {interest && (
        <JobsPanel
          interestId={interest.id}
          canWrite={canWrite}
          onFinished={() =>
            // Only the group count changes: what the user is typing in the form stays.
            void expectOk<SolutionInterest>(api["solution-interests"][":id"].$get({ param: { id } })).then(
              (si) => setInterest((cur) => (cur ? { ...cur, groupCount: si.groupCount } : si)),
              () => {},
            )
          }
        />
      )}
    </section>
  );
}

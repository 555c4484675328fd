import { useEffect, useRef, useState } from "preact/hooks";
import type { Account } from "../../../../shared/api/accounts";
import type { AccountAudienceT } from "../../../../shared/api/jobs";
import { ApiFieldError, errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import {
  type AudienceField,
  type AudienceForm,
  addTags,
  audienceFromForm,
  EMPTY_AUDIENCE,
  type FieldProblem,
  issueField,
} from "./interest-form";
import { messages } from "./messages";
import { TagInput } from "./TagInput";

/** Wait this long after the last edit before counting the audience again. */
export const COUNT_DEBOUNCE_MS = 300;
const MAX_ACCOUNTS = 1000;
const AUDIENCE_FIELDS: AudienceField[] = [
  "industries",
  "segments",
  "countries",
  "revenueMin",
  "revenueMax",
  "parentIds",
  "accountIds",
];

const distinct = (values: Array<string | null>) =>
  [...new Map(values.filter((v): v is string => !!v?.trim()).map((v) => [v.trim().toLowerCase(), v.trim()])).values()].sort(
    (a, b) => a.localeCompare(b),
  );

type Count =
  | { state: "idle" | "counting" }
  | { state: "ok"; count: number; withGroup: number | null }
  | { state: "error"; message: string };

/**
 * The accounts a creation job runs over (AccountAudience: every criterion must hold, any value of a list may), with a
 * live count of the matching accounts from the server, read again (debounced) as the filters change.
 */
export function AudienceBuilder(props: {
  interestId: string;
  onStart: (audience: AccountAudienceT) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT(messages);
  const { api } = useSession();
  const [form, setForm] = useState<AudienceForm>(EMPTY_AUDIENCE);
  // Typed into a list filter but not added yet: already part of the audience (and of the count).
  const [pending, setPending] = useState({ industries: "", segments: "", countries: "" });
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [count, setCount] = useState<Count>({ state: "idle" });
  const [serverErrors, setServerErrors] = useState<Partial<Record<AudienceField, string>>>({});
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const request = useRef(0);

  useEffect(() => {
    let live = true;
    (async () => {
      const page = (offset: number) =>
        expectOk<{ items: Account[]; total: number }>(api.accounts.$get({ query: { limit: "200", offset: String(offset) } }));
      const first = await page(0);
      const all = [...first.items];
      while (all.length < Math.min(first.total, MAX_ACCOUNTS)) {
        const next = await page(all.length);
        if (next.items.length === 0) break;
        all.push(...next.items);
      }
      if (live) setAccounts(all.sort((a, b) => a.name.localeCompare(b.name)));
    })().catch(() => {
      // The pickers stay usable with free text; the count still works.
    });
    return () => {
      live = false;
    };
  }, [api]);

  const { audience, problems } = audienceFromForm({
    ...form,
    industries: addTags(form.industries, pending.industries),
    segments: addTags(form.segments, pending.segments),
    countries: addTags(form.countries, pending.countries),
  });
  const problemText = (p: FieldProblem) => t(p.key === "tooLong" || p.key === "required" ? "required" : p.key);
  const localErrors: Partial<Record<AudienceField, string>> = Object.fromEntries(problems.map((p) => [p.field, problemText(p)]));
  const errors = { ...serverErrors, ...localErrors };
  const key = JSON.stringify(audience);

  useEffect(() => {
    if (problems.length) {
      setCount({ state: "idle" });
      return;
    }
    const id = ++request.current;
    setCount((c) => (c.state === "ok" ? c : { state: "counting" }));
    const timer = setTimeout(async () => {
      try {
        const r = await expectOkWithIssues<{ count: number; withGroup: number | null }>(
          api.accounts["audience-count"].$post({ json: audience, query: { solutionInterestId: props.interestId } }),
        );
        if (id !== request.current) return;
        setServerErrors({});
        setCount({ state: "ok", count: r.count, withGroup: r.withGroup });
      } catch (e) {
        if (id !== request.current) return;
        if (e instanceof ApiFieldError) setServerErrors(mapIssues(e.issues));
        setCount({ state: "error", message: errorMessage(e) });
      }
    }, COUNT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, problems.length]);

  const set = <K extends AudienceField>(k: K, v: AudienceForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setServerErrors((e) => ({ ...e, [k]: undefined }));
  };

  async function start(e: Event) {
    e.preventDefault();
    if (problems.length) return;
    setStartError(null);
    setStarting(true);
    try {
      await props.onStart(audience);
    } catch (err) {
      if (err instanceof ApiFieldError) setServerErrors(mapIssues(err.issues));
      setStartError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  }

  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? id;
  const tagProps = (k: "industries" | "segments" | "countries", suggestions: string[]) => ({
    id: `aud-${k}`,
    label: t(k),
    values: form[k],
    onChange: (v: string[]) => set(k, v),
    text: pending[k],
    onText: (text: string) => setPending((p) => ({ ...p, [k]: text })),
    hint: t("tagsHint"),
    removeLabel: (v: string) => t("removeValue", { value: v }),
    error: errors[k],
    suggestions,
  });

  return (
    <form id="audience-builder" class="audience card" onSubmit={start} noValidate aria-labelledby="aud-title">
      <h3 id="aud-title">{t("audienceTitle")}</h3>
      <p class="muted">{t("audienceHint")}</p>
      <div class="audience-grid">
        <TagInput {...tagProps("industries", distinct(accounts.map((a) => a.industry)))} />
        <TagInput {...tagProps("segments", distinct(accounts.map((a) => a.marketSegment)))} />
        <TagInput {...tagProps("countries", distinct(accounts.map((a) => a.country?.toUpperCase() ?? null)))} />
        {(["revenueMin", "revenueMax"] as const).map((k) => (
          <div class="field" key={k}>
            <label for={`aud-${k}`}>{t(k)}</label>
            <input
              id={`aud-${k}`}
              inputMode="numeric"
              value={form[k]}
              aria-invalid={errors[k] ? true : undefined}
              aria-describedby={errors[k] ? `aud-${k}-error` : undefined}
              onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)}
            />
            {errors[k] && (
              <span id={`aud-${k}-error`} class="field-error">
                {errors[k]}
              </span>
            )}
          </div>
        ))}
        <AccountPicker
          id="aud-parentIds"
          label={t("parentIds")}
          accounts={accounts}
          values={form.parentIds}
          name={accountName}
          onChange={(v) => set("parentIds", v)}
          error={errors.parentIds}
        />
        <AccountPicker
          id="aud-accountIds"
          label={t("accountIds")}
          accounts={accounts}
          values={form.accountIds}
          name={accountName}
          onChange={(v) => set("accountIds", v)}
          error={errors.accountIds}
        />
      </div>
      <p class="audience-count" aria-live="polite" aria-atomic="true" data-state={count.state}>
        {count.state === "ok"
          ? count.withGroup
            ? t("audienceCountWithGroups", { count: count.count, withGroup: count.withGroup })
            : t("audienceCount", { count: count.count })
          : count.state === "counting"
            ? t("counting")
            : count.state === "error"
              ? t("countFailed", { message: count.message })
              : problems.length
                ? t("fixFields")
                : ""}
      </p>
      <div role="alert">{startError && <p class="state state-error">{startError}</p>}</div>
      <p class="actions">
        <button type="submit" class="primary" disabled={starting || problems.length > 0}>
          {count.state === "ok" ? t("startCreationCount", { count: count.count }) : t("startCreation")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t("close")}
        </button>
      </p>
    </form>
  );
}

function mapIssues(issues: Array<{ field: string; message: string }>): Partial<Record<AudienceField, string>> {
  const out: Partial<Record<AudienceField, string>> = {};
  for (const i of issues) {
    const f = issueField(i.field.replace(/^audience\./, ""), AUDIENCE_FIELDS);
    if (f) out[f] = i.message;
  }
  return out;
}

function AccountPicker(props: {
  id: string;
  label: string;
  accounts: Account[];
  values: string[];
  name: (id: string) => string;
  onChange: (ids: string[]) => void;
  error: string | undefined;
}) {
  const t = useT(messages);
  const [choice, setChoice] = useState("");
  const available = props.accounts.filter((a) => !props.values.includes(a.id));
  return (
    <div class="field tag-field">
      <label for={props.id}>{props.label}</label>
      {props.values.length > 0 && (
        <ul class="tags plain" aria-label={props.label}>
          {props.values.map((id) => (
            <li key={id} class="tag">
              <span>{props.name(id)}</span>
              <button
                type="button"
                class="tag-remove"
                aria-label={t("removeValue", { value: props.name(id) })}
                onClick={() => props.onChange(props.values.filter((x) => x !== id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <span class="picker">
        <select
          id={props.id}
          value={choice}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
          onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">{t("chooseAccount")}</option>
          {available.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!choice}
          onClick={() => {
            if (choice) props.onChange([...props.values, choice]);
            setChoice("");
          }}
        >
          {t("add")}
        </button>
      </span>
      {props.error && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import { useT } from "../../i18n";
import type { FilterOptions } from "./filter-options";
import { activeFilterCount, type FilterKey, type FilterProblem, type Filters, sameFilters, validateFilters } from "./filters";
import { messages } from "./messages";

export const FILTER_DEBOUNCE_MS = 350;

interface Props {
  /** The filters in force (from the route query). */
  value: Filters;
  /** Called with the new filters: at once for choices, after a pause in typing for text and numbers. */
  onChange: (next: Filters) => void;
  options: FilterOptions;
  optionsError?: string | null;
  /** Keeps element ids unique when two filter forms could be on one page. */
  idPrefix?: string;
}

const PROBLEM_KEYS: Record<FilterProblem, "range0to100" | "notNegative" | "minAboveMax" | "countryProblem" | "notANumber"> = {
  range0to100: "range0to100",
  notNegative: "notNegative",
  minAboveMax: "minAboveMax",
  country: "countryProblem",
  notANumber: "notANumber",
};

/**
 * Every filter of the browse API (shared by Browse and the dashboard): name search, solution interest, stage, missing
 * role, completeness and engagement ranges, account, industry, market segment and country. Choices come from the
 * server; a value the user types that fails the server's limits is shown with its problem and not sent.
 */
export function GroupFilters({ value, onChange, options, optionsError, idPrefix = "filters" }: Props) {
  const t = useT(messages);
  const [draft, setDraft] = useState<Filters>(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(draft);
  latest.current = draft;

  // Back/forward, reloads and "Clear filters" change the route: follow it.
  useEffect(() => {
    if (!sameFilters(value, latest.current)) setDraft(value);
  }, [JSON.stringify(value)]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const problems = validateFilters(draft);

  function set(key: FilterKey, v: string, debounce: boolean) {
    const next = { ...latest.current, [key]: v };
    setDraft(next);
    latest.current = next;
    if (timer.current) clearTimeout(timer.current);
    if (debounce) timer.current = setTimeout(() => onChange(latest.current), FILTER_DEBOUNCE_MS);
    else onChange(next);
  }

  const id = (k: string) => `${idPrefix}-${k}`;
  const err = (k: FilterKey) => {
    const p = problems[k];
    return p ? (
      <span class="field-error" id={id(`${k}-error`)}>
        {t(PROBLEM_KEYS[p])}
      </span>
    ) : null;
  };
  const described = (k: FilterKey, hint?: string) =>
    [problems[k] ? id(`${k}-error`) : null, hint ?? null].filter(Boolean).join(" ") || undefined;

  const text = (k: FilterKey, label: string, extra: { list?: string; hint?: string; type?: string; size?: string } = {}) => (
    <div class={`field filter-${k}`}>
      <label for={id(k)}>{label}</label>
      <input
        id={id(k)}
        name={k}
        type={extra.type ?? "text"}
        inputMode={extra.type === "number" ? "decimal" : undefined}
        list={extra.list}
        value={draft[k] ?? ""}
        aria-invalid={problems[k] ? true : undefined}
        aria-describedby={described(k, extra.hint)}
        onInput={(e) => set(k, e.currentTarget.value, true)}
      />
      {err(k)}
    </div>
  );

  const select = (k: FilterKey, label: string, choices: preact.ComponentChildren) => (
    <div class={`field filter-${k}`}>
      <label for={id(k)}>{label}</label>
      <select id={id(k)} name={k} value={draft[k] ?? ""} onChange={(e) => set(k, e.currentTarget.value, false)}>
        <option value="">{t("any")}</option>
        {choices}
      </select>
    </div>
  );

  const range = (min: FilterKey, max: FilterKey, legend: string, bounds: { max?: number }) => (
    <fieldset class={`range filter-${min}`}>
      <legend>{legend}</legend>
      {(
        [
          [min, t("min")],
          [max, t("max")],
        ] as const
      ).map(([k, label]) => (
        <div class="field" key={k}>
          <label for={id(k)}>{label}</label>
          <input
            id={id(k)}
            name={k}
            type="number"
            min={0}
            max={bounds.max}
            step="any"
            value={draft[k] ?? ""}
            aria-invalid={problems[k] ? true : undefined}
            aria-describedby={described(k)}
            onInput={(e) => set(k, e.currentTarget.value, true)}
          />
          {err(k)}
        </div>
      ))}
    </fieldset>
  );

  const count = activeFilterCount(draft);
  // A value in the route that the lists do not hold (e.g. an id from a shared link) stays choosable.
  const extraOption = (k: FilterKey, known: string[]) => {
    const v = draft[k];
    return v && !known.includes(v) ? <option value={v}>{v}</option> : null;
  };

  return (
    <form
      class="group-filters"
      aria-label={t("filters")}
      onSubmit={(e) => {
        e.preventDefault();
        if (timer.current) clearTimeout(timer.current);
        onChange(latest.current);
      }}
    >
      <div class="filters-grid">
        {text("q", t("search"), { type: "search", hint: id("q-hint") })}
        <span id={id("q-hint")} class="sr-only">
          {t("searchHint")}
        </span>
        {select(
          "solutionInterestId",
          t("solutionInterest"),
          <>
            {extraOption(
              "solutionInterestId",
              options.solutionInterests.map((s) => s.id),
            )}
            {options.solutionInterests.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </>,
        )}
        {select(
          "stageId",
          t("stage"),
          <>
            {extraOption(
              "stageId",
              options.stageModels.flatMap((m) => m.stages.map((s) => s.id)),
            )}
            {options.stageModels.length === 1
              ? options.stageModels[0]?.stages.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))
              : options.stageModels.map((m) => (
                  <optgroup key={m.id} label={m.name}>
                    {m.stages.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
          </>,
        )}
        {select(
          "missingRole",
          t("missingRole"),
          <>
            {extraOption(
              "missingRole",
              options.roles.map((r) => r.key),
            )}
            {options.roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </>,
        )}
        {range("completenessMin", "completenessMax", t("completenessRange"), { max: 100 })}
        {range("engagementMin", "engagementMax", t("engagementRange"), {})}
        {select(
          "accountId",
          t("account"),
          <>
            {extraOption(
              "accountId",
              options.accounts.map((a) => a.id),
            )}
            {options.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </>,
        )}
        {text("industry", t("industry"), { list: id("industries") })}
        {text("marketSegment", t("marketSegment"), { list: id("segments") })}
        {text("country", t("country"), { list: id("countries"), hint: id("country-hint") })}
        <span id={id("country-hint")} class="sr-only">
          {t("countryHint")}
        </span>
        <datalist id={id("industries")}>
          {options.industries.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
        <datalist id={id("segments")}>
          {options.marketSegments.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
        <datalist id={id("countries")}>
          {options.countries.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      </div>
      <div class="filters-actions">
        <span class="muted" aria-live="polite">
          {count > 0 ? t("activeFilters", { count }) : ""}
        </span>
        {count > 0 && (
          <button
            type="button"
            onClick={() => {
              if (timer.current) clearTimeout(timer.current);
              setDraft({});
              latest.current = {};
              onChange({});
            }}
          >
            {t("clearFilters")}
          </button>
        )}
      </div>
      {optionsError && (
        <p class="field-error" role="alert">
          {t("optionsFailed", { message: optionsError })}
        </p>
      )}
    </form>
  );
}

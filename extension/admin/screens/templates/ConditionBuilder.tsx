import { useEffect, useState } from "preact/hooks";
import { useT } from "../../i18n";
import {
  addGroup,
  addLeaf,
  CONDITION_FIELDS,
  CONDITION_OPERATORS,
  childrenOf,
  type EditGroup,
  type EditLeaf,
  type EditNode,
  groupMode,
  INTENT_LEVELS,
  type IntentLevel,
  isGroup,
  isIntentField,
  isNumericOp,
  type NodePath,
  removeNode,
  serverPath,
  setGroupMode,
  updateLeaf,
} from "./condition-tree";
import { describedBy, Field, FieldErrors } from "./FieldErrors";
import { type TemplateKey, templateMessages } from "./messages";

interface Props {
  value: EditGroup | null;
  onChange: (next: EditGroup | null) => void;
  /** The conditions' path in the body, e.g. "roles.2.conditions". */
  base: string;
  errorsAt: (path: string) => string[] | undefined;
  idFor: (path: string) => string;
  roleName: string;
}

const ATTRIBUTES = "attributes";

/** Field, operator and value per condition; nested all (AND) / any (OR) groups; every control a real input or button. */
export function ConditionBuilder({ value, onChange, base, errorsAt, idFor, roleName }: Props) {
  const t = useT(templateMessages);
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);

  const full = (root: EditGroup, path: NodePath) => {
    const sp = serverPath(root, path);
    return sp ? `${base}.${sp}` : base;
  };

  if (value === null) {
    return (
      <div class="tpl-conditions">
        <p class="muted">{t("noConditions")}</p>
        <button
          type="button"
          onClick={() => {
            onChange({ all: [{ field: "jobTitle", op: "contains", value: "" }] });
            setFocusNext(idFor(`${base}.all.0.field`));
          }}
        >
          {t("addConditions")}
        </button>
      </div>
    );
  }
  const root = value;

  function leafView(leaf: EditLeaf, path: NodePath) {
    const p = full(root, path);
    const set = (patch: Partial<EditLeaf>) => onChange(updateLeaf(root, path, patch));
    const fieldChoice = leaf.field.startsWith(`${ATTRIBUTES}.`) ? ATTRIBUTES : leaf.field;
    const ids = { field: idFor(`${p}.field`), op: idFor(`${p}.op`), value: idFor(`${p}.value`), level: idFor(`${p}.level`) };
    const errs = {
      node: errorsAt(p),
      field: errorsAt(`${p}.field`),
      op: errorsAt(`${p}.op`),
      value: errorsAt(`${p}.value`),
      level: errorsAt(`${p}.level`),
    };
    const hintId = `${ids.value}-hint`; // rendered by Field when the operator takes a list
    const known = (CONDITION_FIELDS as readonly string[]).includes(fieldChoice) || fieldChoice === ATTRIBUTES;
    return (
      <li class="tpl-leaf" key={`l${path.join("-")}`} id={idFor(p)} tabIndex={-1}>
        <div class="tpl-leaf-row">
          <Field id={ids.field} label={t("condField")} errors={fieldChoice === ATTRIBUTES ? undefined : errs.field}>
            <select
              {...describedBy(ids.field, errs.field)}
              value={fieldChoice}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set({ field: v === ATTRIBUTES ? `${ATTRIBUTES}.` : v });
              }}
            >
              {CONDITION_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {t(`f_${f}` as TemplateKey)}
                </option>
              ))}
              <option value={ATTRIBUTES}>{t("f_attributes")}</option>
              {!known && <option value={fieldChoice}>{fieldChoice}</option>}
            </select>
          </Field>
          {fieldChoice === ATTRIBUTES && (
            <Field id={`${ids.field}-name`} label={t("condAttribute")} errors={errs.field}>
              <input
                id={`${ids.field}-name`}
                aria-invalid={errs.field ? "true" : undefined}
                aria-describedby={errs.field ? `${ids.field}-name-error` : undefined}
                value={leaf.field.slice(ATTRIBUTES.length + 1)}
                onInput={(e) => set({ field: `${ATTRIBUTES}.${e.currentTarget.value.trim()}` })}
              />
            </Field>
          )}
          <Field id={ids.op} label={t("condOperator")} errors={errs.op}>
            <select
              {...describedBy(ids.op, errs.op)}
              value={leaf.op}
              onChange={(e) => set({ op: e.currentTarget.value as EditLeaf["op"] })}
            >
              {CONDITION_OPERATORS.map((o) => (
                <option key={o} value={o}>
                  {t(`op_${o}` as TemplateKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field
            id={ids.value}
            label={t("condValue")}
            errors={errs.value}
            class="tpl-value"
            {...(leaf.op === "in" ? { hint: t("valueListHint") } : {})}
          >
            <input
              {...describedBy(ids.value, errs.value, leaf.op === "in" ? hintId : undefined)}
              value={leaf.value}
              inputMode={isNumericOp(leaf.op) ? "decimal" : undefined}
              onInput={(e) => set({ value: e.currentTarget.value })}
            />
          </Field>
          {isIntentField(leaf.field) && (
            <Field id={ids.level} label={t("condLevel")} errors={errs.level}>
              <select
                {...describedBy(ids.level, errs.level)}
                value={leaf.level ?? "low"}
                onChange={(e) => set({ level: e.currentTarget.value as IntentLevel })}
              >
                {INTENT_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`lvl_${l}` as TemplateKey)}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <button
            type="button"
            class="tpl-remove"
            aria-label={t("removeConditionOf", { role: roleName })}
            onClick={() => {
              onChange(removeNode(root, path));
              setFocusNext(idFor(full(root, path.slice(0, -1))));
            }}
          >
            {t("removeCondition")}
          </button>
        </div>
        <FieldErrors id={idFor(p)} messages={errs.node} />
      </li>
    );
  }

  function groupView(group: EditGroup, path: NodePath) {
    const p = full(root, path);
    const mode = groupMode(group);
    const kids = childrenOf(group);
    const id = idFor(p);
    const modeId = `${id}-mode`;
    const errors = errorsAt(p);
    /** Applies an addition and focuses the new condition's field (`leafPath`, relative to this group). */
    const addAndFocus = (next: EditGroup, leafPath: number[]) => {
      onChange(next);
      setFocusNext(idFor(`${full(next, [...path, ...leafPath])}.field`));
    };
    return (
      <fieldset class={`tpl-group tpl-group-${mode}`} id={id} tabIndex={-1} aria-describedby={errors ? `${id}-error` : undefined}>
        <legend>
          <label for={modeId}>{t("groupMode")}</label>{" "}
          <select
            id={modeId}
            value={mode}
            onChange={(e) => onChange(setGroupMode(root, path, e.currentTarget.value as "all" | "any"))}
          >
            <option value="all">{t("matchAll")}</option>
            <option value="any">{t("matchAny")}</option>
          </select>
        </legend>
        <FieldErrors id={id} messages={errors} />
        <ul class="plain tpl-children">
          {kids.map((child: EditNode, i) =>
            isGroup(child) ? <li key={`g${i}`}>{groupView(child, [...path, i])}</li> : leafView(child, [...path, i]),
          )}
        </ul>
        <div class="actions">
          <button type="button" onClick={() => addAndFocus(addLeaf(root, path), [kids.length])}>
            {t("addCondition")}
          </button>
          <button
            type="button"
            onClick={() => addAndFocus(addGroup(root, path, mode === "all" ? "any" : "all"), [kids.length, 0])}
          >
            {t("addGroup")}
          </button>
          <button
            type="button"
            class="tpl-remove"
            onClick={() => {
              onChange(removeNode(root, path));
              if (path.length > 0) setFocusNext(idFor(full(root, path.slice(0, -1))));
            }}
          >
            {path.length === 0 ? t("removeAllConditions") : t("removeGroup")}
          </button>
        </div>
      </fieldset>
    );
  }

  return <div class="tpl-conditions">{groupView(root, [])}</div>;
}

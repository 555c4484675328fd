import { addTags } from "./interest-form";

export interface TagInputProps {
  id: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  /** The text being typed (not a tag yet): the parent keeps it and counts it in on save, so nothing typed is lost. */
  text: string;
  onText: (text: string) => void;
  /** Shown under the input (how to add several). */
  hint: string;
  removeLabel: (value: string) => string;
  error?: string | undefined;
  /** Values offered while typing (a datalist). */
  suggestions?: string[];
}

/**
 * A tag-style list input: type a value and press Enter (or a comma) to add it; each value is a chip with its own
 * remove button. Text still in the input is the parent's (see `text`): a save adds it, without the layout jump a
 * commit on blur would cause under the pointer.
 */
export function TagInput({
  id,
  label,
  values,
  onChange,
  text,
  onText: setText,
  hint,
  removeLabel,
  error,
  suggestions,
}: TagInputProps) {
  const commit = () => {
    if (!text.trim()) return;
    onChange(addTags(values, text));
    setText("");
  };
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class="field tag-field">
      <label for={id}>{label}</label>
      {values.length > 0 && (
        <ul class="tags plain" aria-label={label}>
          {values.map((v) => (
            <li key={v} class="tag">
              <span>{v}</span>
              <button
                type="button"
                class="tag-remove"
                aria-label={removeLabel(v)}
                onClick={() => onChange(values.filter((x) => x !== v))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        value={text}
        list={suggestions?.length ? `${id}-options` : undefined}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          if (v.includes(",")) {
            onChange(addTags(values, v));
            setText("");
          } else setText(v);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          } else if (e.key === "Backspace" && !text && values.length > 0) {
            onChange(values.slice(0, -1));
          }
        }}
      />
      {suggestions?.length ? (
        <datalist id={`${id}-options`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
      <span id={`${id}-hint`} class="muted hint">
        {hint}
      </span>
      {error && (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

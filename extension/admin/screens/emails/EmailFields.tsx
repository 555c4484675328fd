import { useT } from "../../i18n";
import type { EmailField, EmailForm } from "./email-form";
import { messages } from "./messages";

/** Name, subject, HTML and text bodies, each with its error next to it. */
export function EmailFields(props: {
  idPrefix: string;
  form: EmailForm;
  errors: Partial<Record<EmailField, string>>;
  onChange: (field: EmailField, value: string) => void;
  disabled?: boolean;
}) {
  const t = useT(messages);
  const { idPrefix, form, errors } = props;
  const field = (k: EmailField, multiline: boolean, hint?: string) => {
    const id = `${idPrefix}-${k}`;
    const described = [hint ? `${id}-hint` : "", errors[k] ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
    const common = {
      id,
      value: form[k],
      disabled: props.disabled,
      "aria-invalid": errors[k] ? true : undefined,
      "aria-describedby": described,
      onInput: (e: Event) => props.onChange(k, (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
    };
    return (
      <div class={`field field-${k}`}>
        <label for={id}>{t(k)}</label>
        {multiline ? (
          <textarea {...common} rows={k === "htmlBody" ? 8 : 7} spellcheck={k !== "htmlBody"} />
        ) : (
          <input {...common} />
        )}
        {hint && (
          <span id={`${id}-hint`} class="muted hint">
            {hint}
          </span>
        )}
        {errors[k] && (
          <span id={`${id}-error`} class="field-error">
            {errors[k]}
          </span>
        )}
      </div>
    );
  };
  return (
    <div class="email-fields">
      {field("name", false)}
      {field("subject", false, t("tokensHint"))}
      {field("htmlBody", true)}
      {field("textBody", true)}
    </div>
  );
}

import type { ComponentChildren } from "preact";

/** Problems shown right under an input; the input points at them with aria-describedby (see {@link describedBy}). */
export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      {messages.join(" · ")}
    </p>
  );
}

/** aria attributes for an input whose problems are rendered by FieldErrors with the same id. */
export function describedBy(id: string, messages: readonly string[] | undefined, hint?: string) {
  const bad = !!messages && messages.length > 0;
  const ids = [bad ? `${id}-error` : "", hint ?? ""].filter(Boolean).join(" ");
  return { id, "aria-invalid": bad ? ("true" as const) : undefined, "aria-describedby": ids || undefined };
}

/**
 * A labelled control with its hint and problems below it. The label names only the control; the hint and the problems
 * are linked with aria-describedby (give the control `describedBy(id, errors, hint ? `${id}-hint` : undefined)`).
 */
export function Field(props: {
  id: string;
  label: string;
  errors?: readonly string[] | undefined;
  hint?: string;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.class ? ` ${props.class}` : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small class="muted" id={`${props.id}-hint`}>
          {props.hint}
        </small>
      )}
      <FieldErrors id={props.id} messages={props.errors} />
    </div>
  );
}

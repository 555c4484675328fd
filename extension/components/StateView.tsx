import type { ComponentChildren } from "preact";

interface Props {
  title: string;
  body?: string;
  tone?: "info" | "error";
  children?: ComponentChildren;
}

/** A full-panel state (not configured, unreachable, unknown account …) with its actions as children. */
export function StateView({ title, body, tone = "info", children }: Props) {
  return (
    <section class={`state state-${tone}`} role={tone === "error" ? "alert" : "status"} data-testid="panel-state">
      <h2>{title}</h2>
      {body && <p>{body}</p>}
      {children && <div class="actions">{children}</div>}
    </section>
  );
}

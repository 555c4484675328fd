import type { ComponentChildren } from "preact";

interface Props {
  title: string;
  body?: string;
  tone?: "info" | "error";
  /** still loading: announced politely, no actions */
  busy?: boolean;
  children?: ComponentChildren;
}

/** A full-panel state (not configured, unreachable, unknown account …) with its actions as children; its title is the page's h1. */
export function StateView({ title, body, tone = "info", busy = false, children }: Props) {
  return (
    <section
      class={`state state-${tone}`}
      role={tone === "error" ? "alert" : "status"}
      aria-busy={busy || undefined}
      data-testid="panel-state"
    >
      <h1>{title}</h1>
      {body && <p>{body}</p>}
      {children && <div class="actions">{children}</div>}
    </section>
  );
}

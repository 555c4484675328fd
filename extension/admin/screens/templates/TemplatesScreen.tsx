import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function TemplatesScreen(_props: ScreenProps) {
  return <h1>Templates</h1>;
}

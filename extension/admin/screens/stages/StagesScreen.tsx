import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function StagesScreen(_props: ScreenProps) {
  return <h1>Stages</h1>;
}

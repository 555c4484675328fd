import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function InterestsScreen(_props: ScreenProps) {
  return <h1>Interests</h1>;
}

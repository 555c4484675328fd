import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function GroupScreen(_props: ScreenProps) {
  return <h1>Group</h1>;
}

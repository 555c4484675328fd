import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function EmailsScreen(_props: ScreenProps) {
  return <h1>Emails</h1>;
}

import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function BrowseScreen(_props: ScreenProps) {
  return <h1>Browse</h1>;
}

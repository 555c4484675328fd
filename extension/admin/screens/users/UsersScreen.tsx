import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function UsersScreen(_props: ScreenProps) {
  return <h1>Users</h1>;
}

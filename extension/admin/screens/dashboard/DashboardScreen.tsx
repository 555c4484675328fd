import type { ScreenProps } from "../../AdminApp";

/** Placeholder: being built. */
export function DashboardScreen(_props: ScreenProps) {
  return <h1>Dashboard</h1>;
}

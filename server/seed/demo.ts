import type { Deps } from "../deps";

/** Placeholder until the demo generator lands (replaced in this change). */
export async function seedDemoData(_deps: Deps) {
  return { accounts: 0, people: 0, groups: 0, activities: 0 };
}

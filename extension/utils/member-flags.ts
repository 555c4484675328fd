/** The quick member checks, per member: why a member is stale and whom they may duplicate. */
import type { MemberFlags, StaleReason } from "./messages";

export interface PersonFlags {
  stale: StaleReason[];
  /** the other members of every likely-duplicate set this member is in */
  duplicateOf: string[];
}

export function flagsByPerson(flags: MemberFlags | null): Map<string, PersonFlags> {
  const out = new Map<string, PersonFlags>();
  if (!flags) return out;
  const entry = (personId: string) => {
    let e = out.get(personId);
    if (!e) {
      e = { stale: [], duplicateOf: [] };
      out.set(personId, e);
    }
    return e;
  };
  for (const s of flags.stale.items) entry(s.personId).stale.push(...s.reasons);
  for (const set of flags.duplicates.items) {
    for (const id of set.personIds) {
      const e = entry(id);
      for (const other of set.personIds) if (other !== id && !e.duplicateOf.includes(other)) e.duplicateOf.push(other);
    }
  }
  return out;
}

/** The people flagged stale, in the server's order. */
export function stalePersonIds(flags: MemberFlags | null): string[] {
  return flags ? flags.stale.items.map((s) => s.personId) : [];
}

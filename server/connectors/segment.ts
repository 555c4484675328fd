/**
 * Neither CRM has a standard "market segment" field; Quorum derives it from the employee count the
 * way most RevOps teams bucket accounts (documented in docs/crm-sync.md).
 */
export function marketSegment(employees: number | null): string | null {
  if (employees === null || !Number.isFinite(employees) || employees <= 0) return null;
  if (employees < 100) return "SMB";
  if (employees < 1000) return "Mid-Market";
  return "Enterprise";
}

const SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * Salesforce ids come in a case-sensitive 15-character and a case-insensitive-safe 18-character form;
 * the last three characters encode which of the first 15 are upper case. The sync stores the
 * 18-character form, which is what the extension reports (same rule as `salesforceId18` in
 * extension/crm/salesforce.ts, which can import this one).
 */
export function salesforceId18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charAt(chunk * 5 + i);
      if (ch >= "A" && ch <= "Z") bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(bits);
  }
  return id + suffix;
}

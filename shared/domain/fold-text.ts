/** Lower-case, accents stripped, whitespace collapsed: "Directeur Général " → "directeur general". */
export function foldText(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

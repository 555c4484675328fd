/** "Jane van der Berg" → { firstName: "Jane", lastName: "van der Berg" }; a single word is the first name. */
export function splitName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const [first = name.trim(), ...rest] = parts;
  return { firstName: first.slice(0, 100), lastName: rest.join(" ").slice(0, 100) };
}

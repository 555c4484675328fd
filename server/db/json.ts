/** JSON columns are text on every dialect; these keep parsing in one place. */
export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export const toJson = (value: unknown): string => JSON.stringify(value);
export const bool = (v: number | boolean): boolean => v === true || v === 1;
export const int = (v: boolean): number => (v ? 1 : 0);

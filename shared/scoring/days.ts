/** Calendar days as `YYYY-MM-DD` strings, in the organisation's time zone. */
export type Day = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Time-zone offsets change on quarter-hour boundaries at the finest, so a quarter hour maps to one day. */
const QUARTER_HOUR = 900_000;
const dayCache = new Map<string, Map<number, Day>>();

/** The calendar day that `at` falls on in `timeZone` (IANA name, e.g. `Europe/Amsterdam`). */
export function dayInTimeZone(at: Date, timeZone: string): Day {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return at.toISOString().slice(0, 10);
  const bucket = Math.floor(at.getTime() / QUARTER_HOUR);
  let days = dayCache.get(timeZone);
  if (!days) {
    days = new Map();
    dayCache.set(timeZone, days);
  }
  const cached = days.get(bucket);
  if (cached) return cached;
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    // en-CA formats as YYYY-MM-DD.
    fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, fmt);
  }
  const day = fmt.format(at);
  if (days.size > 100_000) days.clear();
  days.set(bucket, day);
  return day;
}

/** `day` moved by `delta` calendar days (negative goes back). */
export function addDays(day: Day, delta: number): Day {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  return new Date(t + delta * 86_400_000).toISOString().slice(0, 10);
}

/** The scoring window: today and the `windowDays - 1` days before it (30 days → today-29 … today). */
export interface ScoringWindow {
  from: Day;
  to: Day;
  days: number;
}

export function scoringWindow(now: Date, timeZone: string, windowDays = 30): ScoringWindow {
  const to = dayInTimeZone(now, timeZone);
  return { from: addDays(to, -(windowDays - 1)), to, days: windowDays };
}

export function inWindow(day: Day, window: ScoringWindow): boolean {
  return day >= window.from && day <= window.to;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

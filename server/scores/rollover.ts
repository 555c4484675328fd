import { dayInTimeZone } from "../../shared/scoring";
import type { Deps } from "../deps";
import type { ScheduledTask } from "../lifecycle/schedules";
import { recomputeStaleGroups } from "./scores.service";

/** Offsets change on quarter-hour boundaries at the finest, so a day starts at the start of a quarter hour. */
const QUARTER_HOUR = 900_000;

/**
 * The first instant after `now` that falls on the next calendar day in `timeZone` (its local
 * midnight; on a day that skips midnight, such as a DST change at 00:00, the first instant of the next
 * day). A binary search over quarter hours of the next 48 hours: days only move forward in time.
 */
export function nextDayStart(now: Date, timeZone: string): Date {
  const today = dayInTimeZone(now, timeZone);
  let lo = Math.floor(now.getTime() / QUARTER_HOUR); // still today
  let hi = lo + 48 * 4; // surely a later day
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayInTimeZone(new Date(mid * QUARTER_HOUR), timeZone) === today) lo = mid;
    else hi = mid;
  }
  return new Date(hi * QUARTER_HOUR);
}

/**
 * Scores roll over at the organisation's day boundary: stored scores are for a window of days ending
 * today, so at the local midnight every group computed yesterday is recomputed (browse and dashboard
 * read stored scores; details refresh by themselves). Runs right at the midnight of QUORUM_TIME_ZONE
 * (a timer to {@link nextDayStart}, once per local day across every process), and each tick catches a
 * midnight a stopped process missed.
 */
export const midnightRolloverTask: ScheduledTask = {
  name: "score-rollover-day",
  periodMs: 86_400_000,
  leaseMs: 30 * 60_000,
  period: (now, deps: Deps) => dayInTimeZone(now, deps.config.timeZone),
  nextStart: (now, deps: Deps) => nextDayStart(now, deps.config.timeZone),
  run: (deps) => recomputeStaleGroups(deps),
};

/** The safety pass: every 15 minutes, whatever is still stale (a group written with an old clock, a missed run). */
export const periodicRolloverTask: ScheduledTask = {
  name: "score-rollover",
  periodMs: 15 * 60_000,
  leaseMs: 10 * 60_000,
  run: (deps) => recomputeStaleGroups(deps),
};

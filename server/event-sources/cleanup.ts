import type { ScheduledTask } from "../lifecycle/schedules";
import { dropExpiredHeld, releaseHeld } from "./ingest.service";
import { remapHeld } from "./mapping";

/**
 * Hourly: held events (anonymous, unmapped) older than the engagement window are dropped, and any whose person and
 * type became known by another way (a mapping saved while a commit used the mapping it had cached) are stored.
 */
export const eventHeldCleanupTask: ScheduledTask = {
  name: "event-held-cleanup",
  periodMs: 60 * 60_000,
  leaseMs: 10 * 60_000,
  run: async (deps) => {
    await dropExpiredHeld(deps);
    await remapHeld(deps.db);
    await releaseHeld(deps);
  },
};

import type { ScheduledTask } from "../lifecycle/schedules";
import { dropExpiredHeld } from "./ingest.service";

/** Hourly: held events (anonymous, unmapped) older than the engagement window are dropped. */
export const eventHeldCleanupTask: ScheduledTask = {
  name: "event-held-cleanup",
  periodMs: 60 * 60_000,
  leaseMs: 10 * 60_000,
  run: async (deps) => {
    await dropExpiredHeld(deps);
  },
};

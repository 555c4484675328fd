import { z } from "zod";
import { IdSchema, requiredName, requiredText } from "./common";

/** An event source (a CDP webhook destination) as the admin API shows it; the secret itself is never shown again. */
export interface EventSource {
  id: string;
  name: string;
  status: "active" | "paused";
  /** Path of the ingest endpoint: `/hooks/events/<id>` (prefix it with the server's public URL). */
  ingestPath: string;
  /** The first characters of the secret, to recognise it. */
  secretHint: string;
  createdAt: string;
  rotatedAt: string | null;
  lastEventAt: string | null;
  eventsReceived: number;
}

/** The answer to create and rotate: the only time the secret is shown. */
export interface EventSourceWithSecret extends EventSource {
  secret: string;
}

export const CreateEventSourceBody = z.object({ name: requiredName(100) }).strict();
export const UpdateEventSourceBody = z
  .object({ name: requiredText(100).optional(), status: z.enum(["active", "paused"]).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.status !== undefined, { message: "give name or status", path: ["name"] });

/** A track event name → activity type; `typeId: null` means "not imported" (counted, never stored). */
export interface EventMapping {
  eventName: string;
  typeId: string | null;
  /** `default` (Quorum's built-in table), `custom` (an admin's choice). */
  origin: "default" | "custom";
}

export interface UnmappedEvent {
  eventName: string;
  count: number;
  /** Events of this name held (stored, waiting for a mapping); released into activities when mapped. */
  waiting: number;
  lastSeenAt: string;
}

export const EventMappingsBody = z
  .object({
    items: z
      .array(
        z
          .object({
            eventName: requiredText(200),
            typeId: IdSchema.nullable(),
          })
          .strict(),
      )
      .min(1, "must contain at least one mapping")
      .max(500, "must contain at most 500 mappings"),
  })
  .strict();

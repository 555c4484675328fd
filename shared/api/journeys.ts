import { z } from "zod";
import { IdSchema, MAX_BULK_MEMBERS, requiredName, safeString } from "./common";

/** A journey's "assign to buying group" / "remove from buying group" action node. */
export const JourneyActionBody = z
  .object({
    action: z.enum(["assign", "remove"]),
    groupId: IdSchema,
    personIds: z
      .array(IdSchema)
      .min(1, "give at least one person")
      .max(MAX_BULK_MEMBERS, `at most ${MAX_BULK_MEMBERS} people per action: split the action`)
      .superRefine((ids, ctx) => {
        ids.forEach((id, i) => {
          if (ids.indexOf(id) !== i) ctx.addIssue({ code: "custom", path: [i], message: `person '${id}' is listed twice` });
        });
      }),
    /** Required for assign; ignored for remove. */
    roleKey: safeString().trim().min(1).max(50).optional(),
  })
  .refine((b) => b.action === "remove" || b.roleKey !== undefined, {
    message: "assign needs a roleKey",
    path: ["roleKey"],
  });

export const JOURNEY_STATUSES = ["draft", "active", "paused", "completed"] as const;

export const JourneyBody = z.object({
  name: requiredName(200),
  status: z.enum(JOURNEY_STATUSES).default("active"),
});

/** Accounts entering (or moving within) a journey; `enteredAt` defaults to now. */
export const JourneyAccountsBody = z.object({
  accountIds: z.array(IdSchema).min(1, "give at least one account").max(1000),
  status: z.enum(["active", "exited", "completed"]).default("active"),
  enteredAt: z.iso.datetime({ offset: true, message: "must be an ISO-8601 date-time" }).optional(),
});

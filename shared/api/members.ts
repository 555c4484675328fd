import { z } from "zod";
import { IdSchema, MAX_BULK_MEMBERS, safeString } from "./common";

const RoleKey = safeString().trim().min(1, "must not be empty").max(50);
const bulk = <T extends z.ZodTypeAny>(item: T, noun: string) =>
  z
    .array(item)
    .min(1, `give at least one ${noun}`)
    .max(MAX_BULK_MEMBERS, `at most ${MAX_BULK_MEMBERS} members per request: select fewer and repeat`)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((it, i) => {
        const id = typeof it === "string" ? it : (it as { personId: string }).personId;
        if (seen.has(id)) ctx.addIssue({ code: "custom", path: [i], message: `person '${id}' is listed twice` });
        seen.add(id);
      });
    });

export const AssignMembersBody = z.object({
  members: bulk(z.object({ personId: IdSchema, roleKey: RoleKey }), "member"),
});
export const RemoveMembersBody = z.object({ personIds: bulk(IdSchema, "member") });
export const ChangeRolesBody = z.object({
  changes: bulk(z.object({ personId: IdSchema, roleKey: RoleKey }), "role change"),
});

export const MemberParams = z.object({ id: IdSchema, personId: IdSchema });

export type MemberAction = "add" | "remove" | "role_change";

export interface AppliedChange {
  personId: string;
  action: MemberAction;
  roleKey: string;
  /** `unchanged` when the request matched the current state (the source still takes ownership). */
  effect: "added" | "readded" | "removed" | "role_changed" | "unchanged";
}

export interface SkippedChange {
  personId: string;
  action: MemberAction;
  reason: string;
  /** The source whose earlier change wins. */
  heldBy: "manual" | "journey" | "system" | null;
}

export interface MemberChangeResult {
  applied: AppliedChange[];
  skipped: SkippedChange[];
  completeness: number;
}

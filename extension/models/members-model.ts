/**
 * The Members tab's selection and bulk actions (≤ 50 members per request, as the server requires). Every change says
 * whom it changed and can be undone: a removal re-adds the people in their roles, a role change puts the old roles
 * back (both as manual changes, which rank highest). A failed action keeps the selection so the user can retry; a
 * successful one clears it and reloads the group.
 */
import { computed, signal } from "@preact/signals";
import type { Member } from "../../shared/api/groups";
import type { MemberChangeResult } from "../../shared/api/members";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import type { ActionError } from "../utils/messages";
import type { PanelModel } from "./panel-model";

export type ActionKind = "removed" | "role_changed" | "assigned" | "undone";

export type ActionOutcome =
  | {
      ok: true;
      kind: ActionKind;
      /** names of the people the change applied to, in selection order */
      names: string[];
      /** the new role's name (role changes and single adds) */
      roleName: string | null;
      skipped: Array<{ name: string; heldBy: string | null }>;
      /** puts things back as they were; null when there is nothing to undo */
      undo: (() => Promise<void>) | null;
    }
  | { ok: false; error: ActionError };

type Panel = Pick<PanelModel, "groupId" | "send" | "refreshGroup" | "details">;

export function createMembersModel(panel: Panel) {
  const selected = signal<ReadonlySet<string>>(new Set());
  const count = computed(() => selected.value.size);
  const tooMany = computed(() => selected.value.size > MAX_BULK_MEMBERS);
  const busy = signal(false);
  const lastOutcome = signal<ActionOutcome | null>(null);

  function toggle(personId: string, on?: boolean): void {
    const next = new Set(selected.value);
    if (on ?? !next.has(personId)) next.add(personId);
    else next.delete(personId);
    selected.value = next;
  }

  function setAll(ids: readonly string[], on: boolean): void {
    selected.value = on ? new Set(ids) : new Set();
  }

  const membersById = (): Map<string, Member> => new Map((panel.details.value?.members ?? []).map((m) => [m.personId, m]));
  const roleName = (key: string) => panel.details.value?.roles.find((r) => r.key === key)?.name ?? key;

  /** Sends one change, then reports it with names and an undo built from the state before it. */
  async function change(
    kind: ActionKind,
    request: (groupId: string) => Promise<{ ok: true; data: MemberChangeResult } | { ok: false; error: ActionError }>,
    before: ReadonlyMap<string, Member>,
    undo: ((applied: string[]) => (() => Promise<void>) | null) | null,
    newRole: string | null,
  ): Promise<ActionOutcome | null> {
    const groupId = panel.groupId.value;
    if (!groupId) return null;
    busy.value = true;
    try {
      const res = await request(groupId);
      const outcome: ActionOutcome = res.ok
        ? {
            ok: true,
            kind,
            names: res.data.applied.map((a) => before.get(a.personId)?.name ?? ""),
            roleName: newRole ? roleName(newRole) : null,
            skipped: res.data.skipped.map((s) => ({ name: before.get(s.personId)?.name ?? "", heldBy: s.heldBy })),
            undo: undo ? undo(res.data.applied.filter((a) => a.effect !== "unchanged").map((a) => a.personId)) : null,
          }
        : { ok: false, error: res.error };
      lastOutcome.value = outcome;
      if (res.ok) {
        selected.value = new Set();
        await panel.refreshGroup();
      }
      return outcome;
    } finally {
      busy.value = false;
    }
  }

  function refuseTooMany(): ActionOutcome {
    const outcome: ActionOutcome = {
      ok: false,
      error: { kind: "invalid", message: `at most ${MAX_BULK_MEMBERS} members per request: select fewer and repeat.` },
    };
    lastOutcome.value = outcome;
    return outcome;
  }

  /** Re-applies the roles people had before (re-adds removed ones), as its own change with no further undo. */
  function restore(people: ReadonlyArray<{ personId: string; roleKey: string }>, mode: "add" | "role") {
    return async () => {
      if (people.length === 0) return;
      const members = people.map((p) => ({ personId: p.personId, roleKey: p.roleKey }));
      await change(
        "undone",
        (groupId) =>
          mode === "add"
            ? panel.send({ type: "members/assign", groupId, members })
            : panel.send({ type: "members/change-role", groupId, changes: members }),
        membersById(),
        null,
        null,
      );
    };
  }

  async function remove(): Promise<ActionOutcome | null> {
    if (selected.value.size === 0) return null;
    if (tooMany.value) return refuseTooMany();
    const before = membersById();
    const personIds = [...selected.value];
    return change(
      "removed",
      (groupId) => panel.send({ type: "members/remove", groupId, personIds }),
      before,
      (applied) =>
        restore(
          applied.map((id) => ({ personId: id, roleKey: before.get(id)?.roleKey ?? "" })).filter((p) => p.roleKey),
          "add",
        ),
      null,
    );
  }

  async function changeRole(roleKey: string): Promise<ActionOutcome | null> {
    if (selected.value.size === 0) return null;
    if (tooMany.value) return refuseTooMany();
    const before = membersById();
    const ids = [...selected.value];
    return change(
      "role_changed",
      (groupId) => panel.send({ type: "members/change-role", groupId, changes: ids.map((personId) => ({ personId, roleKey })) }),
      before,
      (applied) =>
        restore(
          applied.map((id) => ({ personId: id, roleKey: before.get(id)?.roleKey ?? "" })).filter((p) => p.roleKey),
          "role",
        ),
      roleKey,
    );
  }

  /** One person added in one role (the next-step buttons); undo removes them again. */
  async function addOne(person: { personId: string; name: string }, roleKey: string): Promise<ActionOutcome | null> {
    const before = new Map(membersById());
    before.set(person.personId, { name: person.name } as Member);
    return change(
      "assigned",
      (groupId) => panel.send({ type: "members/assign", groupId, members: [{ personId: person.personId, roleKey }] }),
      before,
      (applied) =>
        applied.length === 0
          ? null
          : async () => {
              await change(
                "undone",
                (groupId) => panel.send({ type: "members/remove", groupId, personIds: applied }),
                before,
                null,
                null,
              );
            },
      roleKey,
    );
  }

  return { selected, count, tooMany, busy, lastOutcome, toggle, setAll, remove, changeRole, addOne };
}

export type MembersModel = ReturnType<typeof createMembersModel>;

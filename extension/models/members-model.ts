/**
 * The Members tab's selection and bulk actions (≤ 50 members per request, as the server requires). A failed action
 * keeps the selection so the user can retry; a successful one clears it and reloads the group.
 */
import { computed, signal } from "@preact/signals";
import type { MemberChangeResult } from "../../shared/api/members";
import { MAX_BULK_MEMBERS } from "../utils/limits";
import type { ActionError } from "../utils/messages";
import type { PanelModel } from "./panel-model";

export type ActionOutcome = { ok: true; result: MemberChangeResult } | { ok: false; error: ActionError };

export function createMembersModel(panel: Pick<PanelModel, "groupId" | "send" | "refreshGroup">) {
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

  async function run(action: (groupId: string, ids: string[]) => Promise<ActionOutcome>): Promise<ActionOutcome | null> {
    const groupId = panel.groupId.value;
    if (!groupId || selected.value.size === 0) return null;
    if (tooMany.value) {
      const outcome: ActionOutcome = {
        ok: false,
        error: { kind: "invalid", message: `At most ${MAX_BULK_MEMBERS} members per request: select fewer and repeat.` },
      };
      lastOutcome.value = outcome;
      return outcome;
    }
    busy.value = true;
    try {
      const outcome = await action(groupId, [...selected.value]);
      lastOutcome.value = outcome;
      if (outcome.ok) {
        selected.value = new Set();
        await panel.refreshGroup();
      }
      return outcome;
    } finally {
      busy.value = false;
    }
  }

  const wrap = (res: { ok: true; data: MemberChangeResult } | { ok: false; error: ActionError }): ActionOutcome =>
    res.ok ? { ok: true, result: res.data } : { ok: false, error: res.error };

  return {
    selected,
    count,
    tooMany,
    busy,
    lastOutcome,
    toggle,
    setAll,
    remove: () => run(async (groupId, personIds) => wrap(await panel.send({ type: "members/remove", groupId, personIds }))),
    changeRole: (roleKey: string) =>
      run(async (groupId, ids) =>
        wrap(await panel.send({ type: "members/change-role", groupId, changes: ids.map((personId) => ({ personId, roleKey })) })),
      ),
  };
}

export type MembersModel = ReturnType<typeof createMembersModel>;

import { signal } from "@preact/signals";
import { describe, expect, it } from "vitest";
import { createMembersModel } from "../../../extension/models/members-model";
import type { Send } from "../../../extension/models/panel-model";
import { details, group, member } from "./fixtures";

function setup(answer: (req: any) => unknown) {
  const requests: any[] = [];
  let refreshed = 0;
  const send = (async (req: any) => {
    requests.push(req);
    return answer(req);
  }) as Send;
  const model = createMembersModel({
    groupId: signal<string | null>("g1"),
    details: signal(
      details(group("g1"), [member("p1", "Anna Berg", "decision-maker"), member("p2", "Bo Ek"), member("p3", "Cid Ho")]),
    ),
    send,
    refreshGroup: async () => {
      refreshed++;
    },
  });
  return { model, requests, refreshed: () => refreshed };
}

const ok = {
  ok: true,
  data: { applied: [{ personId: "p1", action: "remove", roleKey: "x", effect: "removed" }], skipped: [], completeness: 0 },
};

describe("members model", () => {
  it("removes the selection in one request, then clears it and reloads the group", async () => {
    const { model, requests, refreshed } = setup(() => ok);
    model.toggle("p1");
    model.toggle("p2");
    const outcome = await model.remove();
    expect(outcome?.ok).toBe(true);
    expect(requests).toEqual([{ type: "members/remove", groupId: "g1", personIds: ["p1", "p2"] }]);
    expect(model.count.value).toBe(0);
    expect(refreshed()).toBe(1);
  });

  it("names whom a removal applied to, and its undo re-adds them in their roles", async () => {
    const { model, requests } = setup((req) =>
      req.type === "members/remove"
        ? {
            ok: true,
            data: {
              applied: req.personIds.map((personId: string) => ({ personId, action: "remove", roleKey: "", effect: "removed" })),
              skipped: [],
              completeness: 0,
            },
          }
        : { ok: true, data: { applied: [], skipped: [], completeness: 0 } },
    );
    model.setAll(["p1", "p2"], true);
    const outcome = await model.remove();
    if (!outcome?.ok) throw new Error("expected success");
    expect(outcome.names).toEqual(["Anna Berg", "Bo Ek"]);
    await outcome.undo!();
    expect(requests[1]).toEqual({
      type: "members/assign",
      groupId: "g1",
      members: [
        { personId: "p1", roleKey: "decision-maker" },
        { personId: "p2", roleKey: "practitioner" },
      ],
    });
    expect(model.lastOutcome.value).toMatchObject({ ok: true, kind: "undone", undo: null });
  });

  it("a role change's undo puts each member's old role back", async () => {
    const { model, requests } = setup((req) => ({
      ok: true,
      data: {
        applied: (req.changes ?? []).map((c: any) => ({
          personId: c.personId,
          action: "role_change",
          roleKey: c.roleKey,
          effect: "role_changed",
        })),
        skipped: [],
        completeness: 0,
      },
    }));
    model.setAll(["p1", "p3"], true);
    const outcome = await model.changeRole("influencer");
    if (!outcome?.ok) throw new Error("expected success");
    expect(outcome.names).toEqual(["Anna Berg", "Cid Ho"]);
    await outcome.undo!();
    expect(requests[1]).toEqual({
      type: "members/change-role",
      groupId: "g1",
      changes: [
        { personId: "p1", roleKey: "decision-maker" },
        { personId: "p3", roleKey: "practitioner" },
      ],
    });
  });

  it("a failed action keeps the selection", async () => {
    const { model } = setup(() => ({ ok: false, error: { kind: "unreachable", message: "down" } }));
    model.setAll(["p1", "p2"], true);
    const outcome = await model.changeRole("influencer");
    expect(outcome).toEqual({ ok: false, error: { kind: "unreachable", message: "down" } });
    expect([...model.selected.value]).toEqual(["p1", "p2"]);
  });

  it("refuses more than 50 members without calling the server", async () => {
    const { model, requests } = setup(() => ok);
    model.setAll(
      Array.from({ length: 51 }, (_, i) => `p${i}`),
      true,
    );
    expect(model.tooMany.value).toBe(true);
    const outcome = await model.remove();
    expect(outcome?.ok).toBe(false);
    expect(requests).toEqual([]);
    expect(model.count.value).toBe(51);
  });
});

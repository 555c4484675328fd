import { signal } from "@preact/signals";
import { describe, expect, it } from "vitest";
import { createMembersModel } from "../../../extension/models/members-model";
import type { Send } from "../../../extension/models/panel-model";

function setup(answer: (req: any) => unknown) {
  const requests: any[] = [];
  let refreshed = 0;
  const send = (async (req: any) => {
    requests.push(req);
    return answer(req);
  }) as Send;
  const model = createMembersModel({
    groupId: signal<string | null>("g1"),
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

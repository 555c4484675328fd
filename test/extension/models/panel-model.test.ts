import { describe, expect, it } from "vitest";
import { createPanelModel, type Send } from "../../../extension/models/panel-model";
import type { ReportedPage } from "../../../extension/utils/messages";
import { DEFAULT_SETTINGS } from "../../../extension/utils/settings";
import { account, details, group } from "./fixtures";

const PAGE: ReportedPage = {
  url: "https://globex.lightning.force.com/lightning/r/Account/001/view",
  crm: "salesforce",
  recordId: "001",
  name: "Globex",
  domain: "globex.com",
  contacts: [],
};
const CONFIGURED = { ...DEFAULT_SETTINGS, serverUrl: "http://127.0.0.1:8787", token: "t" };

/** A fake background: each request type answers from the table (ok data or an error). */
function fakeSend(answers: Record<string, unknown>, calls: string[] = []): Send {
  return (async (req: { type: string }) => {
    calls.push(req.type);
    const a = answers[req.type];
    if (a && typeof a === "object" && "error" in a) return { ok: false, error: (a as { error: unknown }).error };
    return { ok: true, data: a ?? null };
  }) as Send;
}

const base = {
  "settings/get": CONFIGURED,
  "panel/context": { tabId: 1, page: PAGE },
  "connection/test": { id: "u", name: "Ann", role: "sales", apiVersion: "1.0.0" },
};

describe("panel model states", () => {
  it.each([
    ["unconfigured", { ...base, "settings/get": DEFAULT_SETTINGS }],
    ["not-account", { ...base, "panel/context": { tabId: 1, page: null } }],
    ["unreachable", { ...base, "connection/test": { error: { kind: "unreachable", message: "fetch failed" } } }],
    ["unauthorized", { ...base, "connection/test": { error: { kind: "unauthorized", message: "401" } } }],
    ["incompatible", { ...base, "connection/test": { error: { kind: "incompatible", message: "API 2.0.0" } } }],
    ["unknown-account", { ...base, "account/resolve": { lookup: { matchedBy: null, accounts: [] }, groups: [] } }],
    [
      "ambiguous",
      { ...base, "account/resolve": { lookup: { matchedBy: "name", accounts: [account("a1"), account("a2")] }, groups: [] } },
    ],
    ["no-group", { ...base, "account/resolve": { lookup: { matchedBy: "crm", accounts: [account("a1")] }, groups: [] } }],
    ["error", { ...base, "account/resolve": { error: { kind: "server", message: "boom" } } }],
  ])("%s", async (kind, answers) => {
    const model = createPanelModel(fakeSend(answers));
    await model.load();
    expect(model.status.value.kind).toBe(kind);
  });

  it("ready: picks the most recently modified group and loads its details; selecting another loads that one", async () => {
    const g1 = group("g1", "2026-11-01T00:00:00Z");
    const g2 = group("g2", "2026-11-20T00:00:00Z");
    const calls: string[] = [];
    const model = createPanelModel(
      fakeSend(
        {
          ...base,
          "account/resolve": { lookup: { matchedBy: "crm", accounts: [account("a1")] }, groups: [g1, g2] },
          "group/details": details(g2),
          "group/scores": null,
        },
        calls,
      ),
    );
    await model.load();
    expect(model.status.value.kind).toBe("ready");
    expect(model.groupId.value).toBe("g2");
    expect(model.details.value?.group.id).toBe("g2");
    await model.selectGroup("g1");
    expect(calls).toContain("panel/select-group");
    expect(model.groupId.value).toBe("g1");
  });

  it("loads the group's stale and duplicate flags after the summary; a failure leaves no flags", async () => {
    const g1 = group("g1");
    const flags = {
      groupId: "g1",
      stale: { groupId: "g1", window: { from: "2026-10-24", to: "2026-11-22" }, items: [] },
      duplicates: { groupId: "g1", items: [] },
    };
    const answers = {
      ...base,
      "account/resolve": { lookup: { matchedBy: "crm", accounts: [account("a1")] }, groups: [g1] },
      "group/details": details(g1),
      "group/scores": null,
      "group/flags": flags,
    };
    const model = createPanelModel(fakeSend(answers));
    await model.load();
    expect(model.flags.value).toEqual(flags);
    const failing = createPanelModel(
      fakeSend({ ...answers, "group/flags": { error: { kind: "not-found", message: "no such route" } } }),
    );
    await failing.load();
    expect(failing.status.value.kind).toBe("ready");
    expect(failing.flags.value).toBeNull();
  });

  it("a new panel shows the group the user picked for this account (remembered by the background)", async () => {
    const g1 = group("g1", "2026-11-01T00:00:00Z");
    const g2 = group("g2", "2026-11-20T00:00:00Z");
    const model = createPanelModel(
      fakeSend({
        ...base,
        "account/resolve": {
          lookup: { matchedBy: "crm", accounts: [account("a1")] },
          groups: [g1, g2],
          selectedGroupId: "g1",
        },
        "group/details": details(g1),
      }),
    );
    await model.load();
    expect(model.groupId.value).toBe("g1");
  });
});

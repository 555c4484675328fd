import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackground } from "../../../extension/utils/background/create-background";
import { checkSender } from "../../../extension/utils/background/sender";
import type { Broadcast, ReportedPage } from "../../../extension/utils/messages";
import { createServerApi } from "../../../extension/utils/server-api";
import { DEFAULT_SETTINGS, type Settings } from "../../../extension/utils/settings";
import { groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const OWN = "chrome-extension://abc/";
const CRM_URL = "https://globex.lightning.force.com/lightning/r/Account/001Dn00000GlbxAIAR/view";
const fromTab = { id: "abc", url: CRM_URL, tab: { id: 7 } };
const fromPanel = { id: "abc", url: `${OWN}sidepanel.html` };

describe("sender checks", () => {
  it.each([
    ["content request from a CRM tab", "contact/assign", fromTab, 7],
    ["content request from a non-CRM tab", "contact/assign", { ...fromTab, url: "https://evil.example/" }, null],
    ["content request from another extension", "contact/assign", { ...fromTab, id: "other" }, null],
    ["content request without a tab", "page/report", { id: "abc", url: CRM_URL }, null],
    ["panel request from the panel", "group/details", fromPanel, "extension"],
    ["panel request from a CRM tab (content script)", "settings/get", fromTab, null],
    ["panel request from a web page", "members/remove", { id: "abc", url: "https://evil.example/x" }, null],
  ] as const)("%s", (_, type, sender, expected) => {
    expect(checkSender(type, sender, "abc", OWN, [])).toBe(expected);
  });
});

describe("background against the real app (in process)", () => {
  let t: TestContext;
  let settings: Settings;
  const broadcasts: Broadcast[] = [];
  const notices: Array<[number, string]> = [];
  let bg: ReturnType<typeof createBackground>;
  let activeTab = 7;
  /** "METHOD /path" of every server request the background made */
  const requested: string[] = [];
  let setup: Awaited<ReturnType<typeof groupSetup>>;
  const page = (): ReportedPage => ({
    url: CRM_URL,
    crm: "salesforce",
    recordId: "001Dn00000GlbxAIAR",
    name: "Globex",
    domain: null,
    contacts: [
      { key: "c1", name: "Jane Smith", email: "jane@globex.com", title: "VP Engineering", phone: null, crmContactId: "c1" },
      { key: "c2", name: "Frank Grimes", email: null, title: null, phone: null, crmContactId: "c2" },
    ],
  });

  beforeAll(async () => {
    t = await createTestContext();
    setup = await groupSetup(t, [
      {
        key: "decision-maker",
        name: "Decision maker",
        weighting: "vital",
        decisionMaker: true,
        conditions: { field: "jobTitle", op: "contains", value: "VP" },
      },
      { key: "practitioner", name: "Practitioner", weighting: "normal" },
    ]);
    await t.call("POST", `/api/accounts/${setup.account.id}/links`, { crm: "salesforce", recordId: "001Dn00000GlbxAIAR" });
    await person(t, setup.account.id, "Existing");
    settings = { ...DEFAULT_SETTINGS, serverUrl: "http://quorum.test", token: t.tokens.sales };
    bg = createBackground({
      loadSettings: async () => settings,
      saveSettings: async (s) => {
        settings = s;
      },
      createApi: (url, token) =>
        createServerApi(url, token, async (input, init) => {
          requested.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
          return t.app.request(input as string, init);
        }),
      broadcast: (m) => broadcasts.push(m),
      registerCustomCrms: async () => 0,
      notifyTab: (tabId, message) => notices.push([tabId, message.type]),
      activeTabId: async () => activeTab,
      browserLanguage: () => "fr-FR",
      ownId: "abc",
      ownOrigin: OWN,
    });
  });
  afterAll(() => t.close());

  it("refuses a content script's attempt to read the settings (the token)", async () => {
    const res = await bg.handle({ type: "settings/get" }, fromTab);
    expect(res.ok).toBe(false);
  });

  it("content config carries translated control texts, never the token", async () => {
    const res = await bg.handle({ type: "content/config" }, fromTab);
    expect(res.ok && res.data).toEqual({
      customCrms: [],
      texts: expect.objectContaining({ undo: "Annuler l’action" }),
      // the page-reading dictionary travels with the texts (content scripts carry no catalogue)
      words: expect.objectContaining({ title: expect.stringContaining("befattning") }),
    });
    expect(JSON.stringify(res)).not.toContain(t.tokens.sales);
  });

  it("one-click assign: creates the person, picks the rules' role, assigns; undo removes", async () => {
    const report = await bg.handle({ type: "page/report", page: page() }, fromTab);
    expect(report).toEqual({
      ok: true,
      data: {
        target: { status: "ready", groupId: setup.group.id, groupName: setup.group.name, label: null },
        states: [
          // "VP Engineering": the rules' role, shown on the button before the click
          { key: "c1", member: null, suggested: { key: "decision-maker", name: "Decision maker" } },
          { key: "c2", member: null, suggested: null },
        ],
      },
    });
    const res = await bg.handle({ type: "contact/assign", contactKey: "c1", roleKey: "decision-maker" }, fromTab);
    expect(res.ok && res.data.state.member?.roleKey).toBe("decision-maker");
    const details = await t.call("GET", `/api/groups/${setup.group.id}`);
    expect(details.body.members.map((m: any) => [m.email, m.roleKey, m.source])).toEqual([
      ["jane@globex.com", "decision-maker", "manual"],
    ]);
    expect(broadcasts).toContainEqual({ type: "broadcast/group", groupId: setup.group.id });

    const undo = await bg.handle({ type: "contact/undo", contactKey: "c1" }, fromTab);
    expect(undo).toEqual({ ok: true, data: { key: "c1", member: null } });
    expect((await t.call("GET", `/api/groups/${setup.group.id}`)).body.members).toEqual([]);
  });

  it("no matching rule: answers with the roles to choose from, then assigns the chosen one", async () => {
    const res = await bg.handle({ type: "contact/assign", contactKey: "c2" }, fromTab);
    expect(res.ok && res.data.roles?.map((r) => r.key)).toEqual(["decision-maker", "practitioner"]);
    const chosen = await bg.handle({ type: "contact/assign", contactKey: "c2", roleKey: "practitioner" }, fromTab);
    expect(chosen.ok && chosen.data.state.member?.roleName).toBe("Practitioner");
  });

  it("panel: resolves the account by CRM record id with its groups; a wrong token is 'unauthorized'", async () => {
    const res = await bg.handle({ type: "account/resolve", page: page() }, fromPanel);
    expect(res.ok && [res.data.lookup.matchedBy, res.data.groups.map((g) => g.id)]).toEqual(["crm", [setup.group.id]]);
    settings = { ...settings, token: "nope" };
    const bad = await bg.handle({ type: "group/details", groupId: setup.group.id }, fromPanel);
    expect(bad.ok ? null : bad.error.kind).toBe("unauthorized");
    settings = { ...settings, token: t.tokens.sales };
  });

  it("panel load: the group's details are requested with the account resolution and used once; a change drops them", async () => {
    const detailsPath = `GET /api/groups/${setup.group.id}`;
    requested.length = 0;
    await bg.handle({ type: "account/resolve", page: page() }, fromPanel);
    expect(requested.filter((r) => r === detailsPath)).toHaveLength(1);
    const first = await bg.handle({ type: "group/details", groupId: setup.group.id }, fromPanel);
    expect(first.ok).toBe(true);
    expect(requested.filter((r) => r === detailsPath)).toHaveLength(1); // the panel's request found them under way
    // Resolved again, then a member is added through the background: the prefetched details are stale and dropped.
    await bg.handle({ type: "account/resolve", page: page() }, fromPanel);
    const p = await person(t, setup.account.id, "Fresh", { lastName: "Member" });
    const add = await bg.handle(
      { type: "members/assign", groupId: setup.group.id, members: [{ personId: p.id, roleKey: "practitioner" }] },
      fromPanel,
    );
    expect(add.ok).toBe(true);
    const after = await bg.handle({ type: "group/details", groupId: setup.group.id }, fromPanel);
    expect(after.ok && after.data.members.some((m) => m.personId === p.id)).toBe(true);
  });

  it("the side panel follows the active tab; the panel opened in a tab shows the latest CRM page", async () => {
    await bg.handle({ type: "page/report", page: page() }, fromTab);
    const side = await bg.handle({ type: "panel/context" }, fromPanel);
    expect(side.ok && side.data.page?.recordId).toBe("001Dn00000GlbxAIAR");
    activeTab = 99; // a tab without a CRM page
    const sideElsewhere = await bg.handle({ type: "panel/context" }, fromPanel);
    expect(sideElsewhere.ok && sideElsewhere.data.page).toBeNull();
    const inTab = await bg.handle({ type: "panel/context" }, { ...fromPanel, tab: { id: 99 } });
    expect(inTab.ok && inTab.data.tabId).toBe(7);
    activeTab = 7;
  });

  it("group flags: stale members and likely duplicates from the server's insight endpoints (a sales token may read them)", async () => {
    const a = await person(t, setup.account.id, "Dup", { lastName: "Licate" });
    const b = await person(t, setup.account.id, "Dup", { lastName: "Licate" });
    // Members for longer than the window: younger members are never flagged for inactivity.
    const now = t.clock.now;
    t.clock.now = new Date(now.getTime() - 40 * 86_400_000);
    const add = await t.call("POST", `/api/groups/${setup.group.id}/members`, {
      members: [a, b].map((p) => ({ personId: p.id, roleKey: "practitioner" })),
    });
    t.clock.now = now;
    expect(add.status).toBe(200);
    const res = await bg.handle({ type: "group/flags", groupId: setup.group.id }, fromPanel);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.groupId).toBe(setup.group.id);
    // nobody has activities: both are stale for the whole window
    expect(res.data.stale.items.map((i) => [i.personId, i.reasons])).toEqual(
      expect.arrayContaining([
        [a.id, ["no_activity_in_window"]],
        [b.id, ["no_activity_in_window"]],
      ]),
    );
    expect(res.data.stale.window.from <= res.data.stale.window.to).toBe(true);
    expect(res.data.duplicates.items.map((d) => ({ ...d, personIds: [...d.personIds].sort() }))).toContainEqual({
      reason: "same_name",
      key: "dup licate",
      personIds: [a.id, b.id].sort(),
    });
    await t.call("POST", `/api/groups/${setup.group.id}/members/remove`, { personIds: [a.id, b.id] });
  });

  it("unreachable server and incompatible version are told apart", async () => {
    const down = createServerApi("http://127.0.0.1:1", "t", async () => {
      throw new TypeError("fetch failed");
    });
    await expect(down.me()).rejects.toMatchObject({ kind: "unreachable" });
    const future = createServerApi("http://x", "t", async () =>
      Response.json({ id: "u", name: "A", role: "admin", apiVersion: "2.0.0" }),
    );
    await expect(future.me()).rejects.toMatchObject({ kind: "incompatible" });
  });
});

describe("where the buttons on a CRM page cannot work (background against the real app)", () => {
  let t: TestContext;
  let settings: Settings;
  let down = false;
  const notices: Array<[number, string]> = [];
  let bg: ReturnType<typeof createBackground>;
  const reportFor = (recordId: string, title: string | null = "Directeur financier"): ReportedPage => ({
    url: `https://globex.lightning.force.com/lightning/r/Account/${recordId}/view`,
    crm: "salesforce",
    recordId,
    name: null,
    domain: null,
    contacts: [{ key: "k1", name: "Claire Martin", email: "claire@example.fr", title, phone: null, crmContactId: "k1" }],
  });
  const target = async (recordId: string) => {
    const res = await bg.handle({ type: "page/report", page: reportFor(recordId) }, fromTab);
    if (!res.ok) throw new Error(res.error.message);
    return res.data.target;
  };
  let linked: Awaited<ReturnType<typeof groupSetup>>;

  beforeAll(async () => {
    t = await createTestContext();
    linked = await groupSetup(t, [
      {
        key: "decision-maker",
        name: "Décideur",
        weighting: "vital",
        conditions: { field: "seniority", op: "in", value: ["C-Level", "VP"] },
      },
      {
        key: "finance",
        name: "Finance",
        weighting: "minor",
        conditions: { field: "department", op: "equals", value: "Finance" },
      },
    ]);
    await t.call("POST", `/api/accounts/${linked.account.id}/links`, { crm: "salesforce", recordId: "001Dn00000LinkdIAB" });
    const bare = await t.call("POST", "/api/accounts", {
      name: "Bare",
      crmLinks: [{ crm: "salesforce", recordId: "001Dn00000BareaIAB" }],
    });
    expect(bare.status).toBe(201);
    settings = { ...DEFAULT_SETTINGS, serverUrl: "http://quorum.test", token: t.tokens.sales };
    bg = createBackground({
      loadSettings: async () => settings,
      saveSettings: async (s) => {
        settings = s;
      },
      createApi: (url, token) =>
        createServerApi(url, token, async (input, init) => {
          if (down) throw new TypeError("Failed to fetch");
          return t.app.request(input as string, init);
        }),
      broadcast: () => {},
      registerCustomCrms: async () => 0,
      notifyTab: (tabId, message) => notices.push([tabId, message.type]),
      activeTabId: async () => 7,
      browserLanguage: () => "fr-FR",
      ownId: "abc",
      ownOrigin: OWN,
    });
  });
  afterAll(() => t.close());

  it("a French title gets its role pre-chosen (title parser), in the rep's language's template", async () => {
    const res = await bg.handle({ type: "page/report", page: reportFor("001Dn00000LinkdIAB") }, fromTab);
    expect(res.ok && res.data.states).toEqual([{ key: "k1", member: null, suggested: { key: "finance", name: "Finance" } }]);
  });

  it("not configured: nothing is shown (the panel explains)", async () => {
    settings = { ...settings, token: "" };
    expect(await target("001Dn00000LinkdIAB")).toEqual({ status: "unavailable", message: null, retry: false });
    settings = { ...settings, token: t.tokens.sales };
  });

  it("token refused: one line saying what to do, in the user's language", async () => {
    settings = { ...settings, token: "revoked-token" };
    expect(await target("001Dn00000LinkdIAB")).toEqual({
      status: "unavailable",
      message: "Votre jeton d’API a été refusé. Demandez un nouveau jeton à votre administrateur Quorum.",
      retry: false,
    });
    settings = { ...settings, token: t.tokens.sales };
  });

  it("server down: one line, asked again later; a click says the same, never 'Failed to fetch'", async () => {
    await target("001Dn00000LinkdIAB"); // the page is known
    down = true;
    expect(await target("001Dn00000LinkdIAB")).toEqual({
      status: "unavailable",
      message: "Le serveur Quorum est injoignable. Les boutons reviendront dès qu’il répondra.",
      retry: true,
    });
    const click = await bg.handle({ type: "contact/assign", contactKey: "k1" }, fromTab);
    expect(click).toEqual({
      ok: false,
      error: { kind: "unreachable", message: "Le serveur Quorum est injoignable. Les boutons reviendront dès qu’il répondra." },
    });
    down = false;
  });

  it("no group yet: says where to create one (a user who may create groups)", async () => {
    expect(await target("001Dn00000BareaIAB")).toMatchObject({
      status: "unavailable",
      message: "Aucun groupe d’achat pour ce compte. Créez-en un dans le panneau latéral de Quorum.",
    });
  });

  it("an account not in Quorum: says where to link it", async () => {
    expect(await target("001Dn00000NoneeIAB")).toMatchObject({
      status: "unavailable",
      message: "Ce compte n’est pas encore dans Quorum. Associez-le dans le panneau latéral de Quorum.",
    });
  });

  it("several groups: the controls name the group they add to; picking another group in the panel tells the tab", async () => {
    const si = await t.call("POST", "/api/solution-interests", { name: "Sécurité", roleTemplateId: linked.template.id });
    const second = await t.call("POST", "/api/groups", { accountId: linked.account.id, solutionInterestId: si.body.id });
    expect(second.status).toBe(201);
    await bg.handle({ type: "panel/select-group", accountId: linked.account.id, groupId: second.body.id }, fromPanel);
    expect(notices).toContainEqual([7, "content/refresh"]);
    expect(await target("001Dn00000LinkdIAB")).toEqual({
      status: "ready",
      groupId: second.body.id,
      groupName: second.body.name,
      label: "Sécurité",
    });
    const add = await bg.handle({ type: "contact/assign", contactKey: "k1", roleKey: "finance" }, fromTab);
    expect(add.ok && add.data.state.member?.roleName).toBe("Finance");
    const members = (await t.call("GET", `/api/groups/${second.body.id}`)).body.members;
    expect(members.map((m: any) => m.email)).toEqual(["claire@example.fr"]);
  });
});

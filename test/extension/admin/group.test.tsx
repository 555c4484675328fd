// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupScreen } from "../../../extension/admin/screens/group/GroupScreen";
import { language } from "../../../extension/models/locale";
import { seedDemoData } from "../../../server/seed/demo";
import type { GroupDetails, GroupScores, GroupSummary } from "../../../shared/api/groups";
import { type AdminHarness, createAdminHarness } from "./admin-session";

const button = (root: Element, name: string | RegExp) => {
  const b = [...root.querySelectorAll("button")].find((x) =>
    typeof name === "string" ? x.textContent?.trim() === name : name.test(x.textContent ?? ""),
  );
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const choose = (el: HTMLSelectElement, value: string) =>
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });

describe("GroupScreen against the real server (demo data)", () => {
  let h: AdminHarness;
  let groups: GroupSummary[];
  let mounts = 0;
  beforeAll(async () => {
    h = await createAdminHarness();
    await seedDemoData(h.ctx.deps);
    groups = (await h.ctx.call("GET", "/api/groups?limit=200")).body.items;
  });
  afterAll(async () => {
    language.value = "en";
    await h.close();
  });
  const open = (id: string) => h.mount(<GroupScreen key={++mounts} route={h.route(`#/groups/${id}`)} />);

  it("shows the group like the panel: summary, scores with breakdown, account, intent, members with roles, insights", async () => {
    const g = groups.find((x) => x.memberCount >= 4)!;
    const details = (await h.ctx.call("GET", `/api/groups/${g.id}`)).body as GroupDetails;
    const scores = (await h.ctx.call("GET", `/api/groups/${g.id}/scores`)).body as GroupScores;
    open(g.id);
    await h.waitFor(() => expect(h.root.querySelector("h1")?.textContent).toBe(g.name));
    expect(h.root.textContent).toContain(g.accountName);
    expect(h.root.querySelector("[data-testid=member-count]")?.textContent).toBe(String(g.memberCount));
    // every member with name and role
    const rows = [...h.root.querySelectorAll("[data-testid=members-table] tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-person-id"))).toEqual(details.members.map((m) => m.personId));
    for (const [i, m] of details.members.entries()) {
      expect(rows[i]!.textContent).toContain(m.name);
      expect(rows[i]!.textContent).toContain(m.roleName);
    }
    // scores and their explanation
    const tile = h.root.querySelector("[data-testid=score-completeness]")!;
    expect(tile.textContent).toContain(`${g.completeness} %`);
    expect(h.root.querySelector("[data-testid=score-engagement]")!.textContent).toContain(String(g.engagement));
    await h.waitFor(() => expect(h.root.querySelector("[data-testid=scores-computed]")).not.toBeNull());
    await act(() => tile.querySelector("button")!.click());
    await h.waitFor(() => {
      // the breakdown opens below the tiles, one sentence per role
      const breakdown = h.root.querySelector("#score-breakdown")!;
      for (const r of scores.completeness.roles) expect(breakdown.textContent).toContain(r.name);
    });
    // decision makers and top engaged as cards; roles with assigned / required
    expect(h.root.querySelectorAll("[data-testid=decision-makers] [data-testid=member-card]").length).toBe(
      details.decisionMakers.length,
    );
    expect(h.root.querySelectorAll("[data-testid=top-engaged] [data-testid=member-card]").length).toBe(details.topEngaged.length);
    const rolesTable = h.root.querySelector("[data-testid=roles-table]")!;
    for (const r of details.roles) expect(rolesTable.textContent).toContain(`${r.assigned} of ${r.membersRequired}`);
    expect(h.root.textContent).toContain(details.account.industry ?? "");
    expect(h.root.querySelector("[data-testid=intent]")?.textContent).toContain("Keyword");
    // insights arrive
    await h.waitFor(() => {
      expect(h.root.querySelector("[data-testid=member-checks]")?.textContent).toMatch(/Stale members \(\d+\)/);
      expect(h.root.querySelector("[data-testid=member-checks]")?.textContent).toMatch(/Likely duplicates \(\d+\)/);
      expect(h.root.querySelector("[data-testid=timeline] li")).not.toBeNull();
    });
    expect(h.root.querySelector("[data-testid=timeline]")?.textContent).toContain("Group created");
    // a member card's details come from the server through the console's client
    const card = h.root.querySelector("[data-testid=member-card]")!;
    await act(() => button(card, "View details").click());
    await h.waitFor(() => expect(card.querySelector(".details dl")).not.toBeNull());
  });

  it("recomputes the scores on demand", async () => {
    const g = groups[0]!;
    open(g.id);
    await h.waitFor(() => expect(h.root.querySelector("h1")?.textContent).toBe(g.name));
    h.ctx.clock.now = new Date(h.ctx.clock.now.getTime() + 60_000);
    await act(() => button(h.root, "Recompute scores").click());
    await h.waitFor(() => expect(h.root.textContent).toContain("Scores recomputed."));
    const after = (await h.ctx.call("GET", `/api/groups/${g.id}`)).body as GroupDetails;
    expect(after.group.scoresComputedAt).toBe(h.ctx.clock.now.toISOString());
  });

  it("moves the group along an allowed transition; a refused move shows the server's 409 and where it may go", async () => {
    const g = groups.find((x) => x.stage?.name === "Engaged")!;
    open(g.id);
    const select = await h.waitFor(() => {
      const s = h.root.querySelector<HTMLSelectElement>("#stage-target");
      expect(s).not.toBeNull();
      return s!;
    });
    expect(h.root.querySelector("[data-testid=current-stage]")?.textContent).toBe("Engaged");
    const options = [...select.options].map((o) => o.textContent);
    expect(options).toEqual(["Choose a stage", "Evaluating", "Closed lost"]);
    const evaluating = [...select.options].find((o) => o.textContent === "Evaluating")!.value;
    const lost = [...select.options].find((o) => o.textContent === "Closed lost")!.value;
    // someone else moves the group to Closed lost meanwhile: Evaluating is no longer allowed
    expect((await h.ctx.call("POST", `/api/groups/${g.id}/stage`, { stageId: lost })).status).toBe(200);
    await choose(select, evaluating);
    await act(() => button(h.root, "Move").click());
    await h.waitFor(() => {
      const msg = h.root.querySelector("[data-testid=stage-result]")!;
      expect(msg.getAttribute("role")).toBe("alert");
      expect(msg.textContent).toContain("not an allowed transition");
      expect(msg.textContent).toContain("Allowed from here: Identified");
    });
    await h.waitFor(() => expect(h.root.querySelector("[data-testid=current-stage]")?.textContent).toBe("Closed lost"));
    // now an allowed move
    const again = h.root.querySelector<HTMLSelectElement>("#stage-target")!;
    await h.waitFor(() => expect([...again.options].map((o) => o.textContent)).toEqual(["Choose a stage", "Identified"]));
    await choose(again, again.options[1]!.value);
    await act(() => button(h.root, "Move").click());
    await h.waitFor(() => {
      expect(h.root.querySelector("[data-testid=stage-result]")?.textContent).toBe("Moved to Identified.");
      expect(h.root.querySelector("[data-testid=current-stage]")?.textContent).toBe("Identified");
      expect(h.root.querySelector("[data-testid=stage-history]")?.textContent).toContain("Closed lost → Identified");
    });
    const server = (await h.ctx.call("GET", `/api/groups/${g.id}/stage`)).body;
    expect(server.stage.name).toBe("Identified");
  });

  it("an unknown group shows the server's message; strings follow the UI language", async () => {
    open("grp_nope");
    await h.waitFor(() =>
      expect(h.root.querySelector("[role=alert]")?.textContent).toContain("Could not load this buying group"),
    );
    act(() => {
      language.value = "nl";
    });
    open(groups[0]!.id);
    await h.waitFor(() => expect(h.root.textContent).toContain("Accountoverzicht"));
    expect(h.root.textContent).toContain("Alle inkoopgroepen");
    expect(h.root.textContent).toContain("Scores herberekenen");
  });
});

/**
 * axe-core on every admin console screen, with the demo data: the screens come from the router's list
 * (extension/admin/router.ts SCREENS), so screens added there are checked too. 0 violations each.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { SCREENS } from "../../extension/admin/router";
import { type AdminE2E, startAdminE2E } from "./admin-harness";
import { expectNoAxeViolations } from "./axe";
import { ROOT } from "./harness";

vi.setConfig({ testTimeout: 90_000 });

describe("admin console screens pass axe-core", () => {
  let e2e: AdminE2E;
  let groupId: string;
  beforeAll(async () => {
    e2e = await startAdminE2E({ demoData: true });
    groupId = (await e2e.quorum.call("GET", "/api/groups?limit=1&sort=-engagement")).items[0].id;
  }, 180_000);
  afterAll(() => e2e?.close());

  it.each([...SCREENS])("%s", async (screen) => {
    // "groups" is one group's screen: it needs an id; the others list.
    await e2e.open(screen === "groups" ? `#/groups/${groupId}` : `#/${screen}`);
    // let the screen's data arrive (lists, charts, the group's insights)
    await e2e.page.waitForLoadState("networkidle").catch(() => {});
    await e2e.page.waitForTimeout(800);
    await expectNoAxeViolations(e2e.page, `admin: ${screen}`);
    await e2e.page.screenshot({ path: join(ROOT, "test/e2e/artifacts", `admin-axe-${screen}.png`), fullPage: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

describe("admin console in Chromium", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("opens as an extension page, signed in with the options' token, with keyboard-reachable navigation", async () => {
    const nav = e2e.page.getByRole("navigation", { name: "Admin sections" });
    expect(await nav.getByRole("link").allTextContents()).toEqual([
      "Buying groups",
      "Dashboard",
      "Solution interests",
      "Role templates",
      "Stage models",
      "Emails",
      "Users and tokens",
      "CRM connections",
      "Event sources",
    ]);
    await nav.getByRole("link", { name: "Role templates" }).focus();
    await e2e.page.keyboard.press("Enter");
    await e2e.page.waitForURL(/#\/templates$/);
    expect(await nav.getByRole("link", { name: "Role templates" }).getAttribute("aria-current")).toBe("page");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type AdminE2E, startAdminE2E } from "./admin-harness";

// Users and tokens in the real console: a token created in the UI works against the server with its role, follows a
// role change, and is refused once revoked; the console opens from the options page.
describe("admin console: users and tokens in Chromium", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const me = (token: string) => fetch(`${e2e.quorum.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  it("creates a marketer with a token, changes the role, revokes the token", async () => {
    const page = e2e.page;
    await e2e.open("#/users");
    await page.getByRole("heading", { name: "Users and tokens" }).waitFor();
    await page.getByRole("table").waitFor();

    const form = page.locator(".new-user");
    await form.getByLabel("Name", { exact: true }).fill("Mia Marketer");
    await form.locator('select[name="role"]').selectOption("marketer");
    await form.getByLabel("Token name").fill("Laptop");
    await form.getByRole("button", { name: "Create user" }).click();
    const tokenInput = page.getByTestId("new-token");
    await tokenInput.waitFor();
    await expect.poll(() => page.getByTestId("token-reveal").textContent()).toContain("You won't see it again");
    const token = await tokenInput.inputValue();
    expect(token).toMatch(/^qrm_[\w-]{32}$/);
    await page.getByRole("row", { name: /Mia Marketer/ }).waitFor();
    await e2e.shot("token-created");

    const res = await me(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Mia Marketer", role: "marketer" });

    // the token is gone from the page once dismissed
    await page.getByRole("button", { name: "I have copied it" }).click();
    expect(await page.content()).not.toContain(token);

    // role change
    await page.getByLabel("Role of Mia Marketer").selectOption("sales");
    await page
      .getByRole("row", { name: /Mia Marketer/ })
      .getByRole("button", { name: "Save role" })
      .click();
    await page.getByText("Mia Marketer is now Sales.").waitFor();
    expect(await (await me(token)).json()).toMatchObject({ role: "sales" });

    // the server keeps one admin who can sign in: the first-run "Admin" may be demoted, then I am the last one
    await page.getByLabel("Role of Admin", { exact: true }).selectOption("marketer");
    await page
      .getByRole("row", { name: /^Admin\b/ })
      .getByRole("button", { name: "Save role" })
      .click();
    await page.getByText("Admin is now Marketer.").waitFor();
    const myRow = page.getByRole("row").filter({ has: page.getByText("(you)") });
    await myRow.getByRole("combobox").selectOption("sales");
    await myRow.getByRole("button", { name: "Save role" }).click();
    await myRow.getByText("You are changing your own role").waitFor();
    await myRow.getByRole("button", { name: "Change my role" }).click();
    await myRow.getByRole("alert").waitFor();
    expect(await myRow.getByRole("alert").textContent()).toContain("last admin who can sign in");
    expect((await (await me(ADMIN_TOKEN)).json()).role).toBe("admin");
    await myRow.getByRole("combobox").selectOption("admin");

    // revoke, with confirmation
    await page.getByRole("link", { name: "Manage the tokens of Mia Marketer" }).click();
    const panel = page.getByTestId("tokens-panel");
    await panel.getByRole("heading", { name: "Tokens of Mia Marketer" }).waitFor();
    await panel.getByRole("button", { name: "Revoke token Laptop" }).click();
    await panel.getByText("Whoever uses it is refused from their next request").waitFor();
    await panel.getByRole("button", { name: "Revoke token", exact: true }).click();
    await panel.getByText("Token “Laptop” revoked.").waitFor();
    await panel.getByText(/Revoked /).waitFor();
    const after = await me(token);
    expect(after.status).toBe(401);
    await e2e.shot("users");

    // the server recorded each change
    const users = (await e2e.quorum.call("GET", "/api/users")).items as Array<{
      name: string;
      role: string;
      activeTokens: number;
    }>;
    expect(users.find((u) => u.name === "Mia Marketer")).toMatchObject({ role: "sales", activeTokens: 0 });
  });

  it("opens the console from the options page", async () => {
    const options = await e2e.context.newPage();
    await options.goto(`chrome-extension://${e2e.extensionId}/options.html`);
    const open = options.getByRole("button", { name: "Open admin console" });
    await open.waitFor();
    const [consolePage] = await Promise.all([e2e.context.waitForEvent("page"), open.click()]);
    await consolePage.waitForLoadState();
    expect(consolePage.url()).toBe(`chrome-extension://${e2e.extensionId}/admin.html`);
    await consolePage.getByRole("navigation", { name: "Admin sections" }).waitFor();
    expect(await consolePage.getByRole("navigation").getByRole("link", { name: "Users and tokens" }).count()).toBe(1);
    await consolePage.close();
    await options.close();
  });
});

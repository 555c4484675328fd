import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HubspotFake, startHubspotFake } from "../fakes/hubspot/server";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

// The Connections screen in the real console against a real server whose sync worker talks to the HubSpot fake
// through @hubspot/api-client: a wrong token is refused next to its field, the right one connects, "Sync now" shows
// live progress to the end with the skipped records, and the activity mapping is editable.
describe("admin console: CRM connections in Chromium", () => {
  let e2e: AdminE2E;
  let hs: HubspotFake;
  beforeAll(async () => {
    hs = await startHubspotFake();
    hs.privateAppTokens.add("pat-eu1-e2e-right");
    const acme = hs.upsert("companies", { name: "Acme Corp", domain: "acme.example" });
    for (let i = 0; i < 30; i++) {
      const c = hs.upsert("contacts", {
        firstname: `Person${i}`,
        lastname: "Tester",
        email: `p${i}@acme.example`,
        jobtitle: "Engineer",
      });
      hs.associate("contacts", c.id, "companies", acme.id, 1);
    }
    hs.upsert("contacts", { firstname: "Nobody", lastname: "Anywhere", email: "nobody@else.example" });
    e2e = await startAdminE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
    await hs?.close();
  });

  it("connects HubSpot with a private-app token, syncs with live progress and shows what was skipped", async () => {
    const page = e2e.page;
    await e2e.open("#/connections");
    await page.getByRole("heading", { name: "CRM connections" }).waitFor();
    await page.getByText("No CRM is connected yet.").waitFor();
    const form = page.locator("form.new-connection");
    await form.locator('select[name="crm"]').selectOption("hubspot");
    await form.locator('select[name="authKind"]').selectOption("private_app");
    await form.locator('input[name="accessToken"]').fill("pat-eu1-e2e-wrong");
    await form.locator('input[name="baseUrl"]').fill(hs.url);
    await form.getByRole("button", { name: "Connect" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByRole("alert").textContent()).toContain("was refused by HubSpot");
    expect(await form.locator(".field-error").textContent()).toContain("Check the credentials");
    await e2e.shot("connections-wrong-token");

    await form.locator('input[name="accessToken"]').fill("pat-eu1-e2e-right");
    await form.getByRole("button", { name: "Connect" }).click();
    const card = page.locator("article.connection");
    await card.getByText("Connected", { exact: true }).waitFor();
    expect(await page.content()).not.toContain("pat-eu1-e2e-right");

    await card.getByRole("button", { name: "Sync now" }).click();
    await card.getByText("Done", { exact: true }).waitFor({ timeout: 60_000 });
    expect(await card.locator(".run").textContent()).toMatch(/32 read, 31 written, 0 deleted, 1 skipped/);
    await card.getByText("Skipped records of the last run").click();
    expect(await card.locator(".skipped").textContent()).toContain("it has no account");
    await e2e.shot("connections-synced");

    const people = await e2e.quorum.call<{ accounts: Array<{ peopleCount: number }> }>(
      "GET",
      "/api/accounts/lookup?domain=acme.example",
    );
    expect(people.accounts[0]?.peopleCount).toBe(30);

    const mapping = page.locator("section.activity-mapping");
    await mapping.getByLabel("Quorum activity type: Call").selectOption("");
    await mapping.getByRole("button", { name: "Save mapping" }).click();
    await mapping.getByText("Saved.").waitFor();
    const stored = await e2e.quorum.call<{ items: Array<{ sourceKey: string; typeId: string | null }> }>(
      "GET",
      "/api/connections/activity-mappings/hubspot",
    );
    expect(stored.items.find((m) => m.sourceKey === "call")?.typeId).toBeNull();

    // Write-back switched on from the card; HubSpot refuses the value: the error shows on the card.
    await card.getByLabel("Write buying roles back to the CRM").check();
    await card.getByLabel("Role mapping, one per line: role key = CRM value").fill("decision-maker = DECISION_MAKER");
    await card.getByRole("button", { name: "Save settings" }).click();
    await card.getByText("Saved.").waitFor();
    hs.fail({
      match: "PATCH /crm/v3/objects/contacts/",
      status: 400,
      body: {
        status: "error",
        message:
          'Property values were not valid: [{"isValid":false,"message":"DECISION_MAKER was not one of the allowed options","error":"INVALID_OPTION","name":"hs_buying_role"}]',
        category: "VALIDATION_ERROR",
      },
      times: 5,
    });
    const account = people.accounts[0] as unknown as { id: string };
    const template = await e2e.quorum.call<{ id: string }>("POST", "/api/role-templates", {
      name: "E2E roles",
      roles: [{ key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true }],
    });
    await e2e.quorum.call("POST", `/api/role-templates/${template.id}/publish`);
    const si = await e2e.quorum.call<{ id: string }>("POST", "/api/solution-interests", {
      name: "Platform",
      roleTemplateId: template.id,
    });
    const group = await e2e.quorum.call<{ id: string }>("POST", "/api/groups", {
      accountId: account.id,
      solutionInterestId: si.id,
    });
    const members = await e2e.quorum.call<{ items: Array<{ id: string; firstName: string }> }>(
      "GET",
      `/api/accounts/${account.id}/people`,
    );
    await e2e.quorum.call("POST", `/api/groups/${group.id}/members`, {
      members: [{ personId: members.items[0]!.id, roleKey: "decision-maker" }],
    });
    for (let i = 0; i < 60; i++) {
      const conns = await e2e.quorum.call<{ items: Array<{ writebackOutbox: { failed: number } }> }>("GET", "/api/connections");
      if (conns.items[0]?.writebackOutbox.failed === 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.reload();
    await card.locator(".wb-summary", { hasText: "1 failed" }).waitFor();
    expect(await card.locator(".wb-summary").textContent()).toBe("Roles written to the CRM: 0 sent, 0 waiting, 1 failed");
    expect(await card.locator(".wb-failures").textContent()).toContain("DECISION_MAKER was not one of the allowed options");
    expect(await card.locator(".wb-failures").textContent()).toContain("given up");
    await e2e.shot("connections-writeback-failed");

    // The token is revoked in HubSpot: the next sync turns the connection to "Needs sign-in" with HubSpot's reason.
    hs.privateAppTokens.delete("pat-eu1-e2e-right");
    await card.getByRole("button", { name: "Sync now" }).click();
    await card.locator(".status-needs_sign_in").waitFor({ timeout: 60_000 });
    expect(await card.locator(".reason").textContent()).toContain("HubSpot refused the token");
    expect(await card.getByRole("button", { name: "Sync now" }).isDisabled()).toBe(true);
    await e2e.shot("connections-needs-sign-in");
  }, 180_000);
});

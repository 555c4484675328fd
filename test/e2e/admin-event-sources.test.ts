import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../server/event-sources/signature";
import { type AdminE2E, startAdminE2E } from "./admin-harness";

// The Event sources screen in the real console against a real server: a source is created and its secret shown once,
// a CDP (here: signed HTTP requests as docs/event-sources.md describes) sends identify, page and an unmapped track
// event, the console lists the unmapped name with its waiting event, mapping it stores that event; pause refuses
// events, rotation issues a new secret, delete removes the source.
describe("admin console: Event sources in Chromium", () => {
  let e2e: AdminE2E;
  beforeAll(async () => {
    e2e = await startAdminE2E();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  async function send(sourceId: string, secret: string, message: Record<string, unknown>) {
    const body = JSON.stringify(message);
    const res = await fetch(`${e2e.quorum.base}/hooks/events/${sourceId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": signBody(secret, body, Math.floor(Date.now() / 1000)) },
      body,
    });
    return { status: res.status, body: await res.json() };
  }

  it("creates a source, shows its secret once, lists and maps unmapped events, pauses, rotates and deletes", async () => {
    const page = e2e.page;
    page.on("dialog", (d) => void d.accept());
    await e2e.open("#/event-sources");
    await page.getByRole("heading", { name: "Event sources", level: 1 }).waitFor();
    await page.getByText("No event source yet.").waitFor();
    await page.getByLabel("Name").fill("Segment production");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const reveal = page.locator("section.secret-reveal");
    await reveal.waitFor();
    const secret = await page.getByTestId("new-secret").inputValue();
    expect(secret).toMatch(/^qes_/);
    const card = page.locator("article.event-source");
    const url = (await card.locator("code.ingest-url").textContent()) ?? "";
    expect(url).toMatch(new RegExp(`^${e2e.quorum.base}/hooks/events/evs_`));
    const sourceId = url.split("/").at(-1)!;
    await e2e.shot("event-sources-created");
    await reveal.getByRole("button", { name: "Done" }).click();
    expect(await page.content()).not.toContain(secret);

    await e2e.quorum.call("POST", "/api/accounts", { name: "Acme", domain: "acme.example" });
    const now = new Date().toISOString();
    const who = { userId: "u-1", timestamp: now };
    expect(
      (
        await send(sourceId, secret, {
          type: "identify",
          messageId: "e2e-1",
          ...who,
          traits: { email: "ann@acme.example", name: "Ann Lee" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(sourceId, secret, {
          type: "page",
          messageId: "e2e-2",
          ...who,
          properties: { url: "https://acme.example/p", title: "P" },
        })
      ).body.accepted,
    ).toBe(1);
    expect(
      (await send(sourceId, secret, { type: "track", messageId: "e2e-3", ...who, event: "Sandbox Provisioned" })).body.held,
    ).toBe(1);

    // Same hash: reload so the screen reads the server again.
    await page.reload();
    await card.getByText("Events received: 3").waitFor();
    const unmapped = page.locator("table.unmapped");
    const row = unmapped.getByRole("row", { name: /Sandbox Provisioned/ });
    expect(await row.locator("td").nth(1).textContent()).toBe("1");
    expect(await row.locator("td").nth(2).textContent()).toBe("1");
    await page.getByLabel("Map to: Sandbox Provisioned").selectOption({ label: "Mobile App Activity" });
    await page.getByRole("button", { name: "Save mapping" }).click();
    await page.getByText("Saved. Waiting events stored: 1.").waitFor();
    await page.getByText("Every track event name that arrived is mapped.").waitFor();
    expect(await page.getByLabel("Activity type: Sandbox Provisioned").inputValue()).toBe("mobile-app-activity");
    await e2e.shot("event-sources-mapped");

    await card.getByRole("button", { name: "Pause" }).click();
    await card.getByText("Paused", { exact: true }).waitFor();
    expect((await send(sourceId, secret, { type: "track", messageId: "e2e-4", ...who, event: "Form Submitted" })).status).toBe(
      403,
    );
    await card.getByRole("button", { name: "Resume" }).click();
    await card.getByText("Active", { exact: true }).waitFor();

    await card.getByRole("button", { name: "Rotate secret" }).click();
    await reveal.waitFor();
    const rotated = await page.getByTestId("new-secret").inputValue();
    expect(rotated).not.toBe(secret);
    await reveal.getByRole("button", { name: "Done" }).click();
    // The source cache of the server takes a rotation at once in its own process.
    expect((await send(sourceId, secret, { type: "track", messageId: "e2e-5", ...who, event: "Form Submitted" })).status).toBe(
      401,
    );
    expect((await send(sourceId, rotated, { type: "track", messageId: "e2e-6", ...who, event: "Form Submitted" })).status).toBe(
      200,
    );

    await card.getByRole("button", { name: "Delete" }).click();
    await page.getByText("No event source yet.").waitFor();
  }, 180_000);
});

/**
 * Admin console end-to-end set-up: a real Quorum server (demo data on request) on a temporary SQLite database, the
 * built extension in Debian's Chromium, configured through its options page, and the console opened as its
 * extension page (`admin.html`). The extension is built once by test/e2e/global-setup.ts.
 */
import type { BrowserContext, Page } from "playwright-core";
import { closeAll, launchBrowser, requireChromium, screenshot, startQuorum, tempDir } from "./harness";

export const ADMIN_TOKEN = "qrm_e2e_admin_console_token_0001";

export interface AdminE2E {
  quorum: Awaited<ReturnType<typeof startQuorum>>;
  context: BrowserContext;
  extensionId: string;
  /** The console page, signed in (settings saved through the options page). */
  page: Page;
  /** Navigates the console to a hash route (e.g. "#/templates") and waits for the screen's heading. */
  open: (hash: string) => Promise<void>;
  shot: (name: string) => Promise<void>;
  close: () => Promise<void>;
}

export async function startAdminE2E(
  options: {
    demoData?: boolean;
    width?: number /** more server settings (e.g. QUORUM_SSO_*) */;
    env?: Record<string, string>;
  } = {},
): Promise<AdminE2E> {
  requireChromium();
  const dataDir = tempDir("quorum-admin-e2e-data-");
  const profile = tempDir("quorum-admin-e2e-profile-");
  const quorum = await startQuorum(dataDir, ADMIN_TOKEN, {
    QUORUM_DEMO_DATA: options.demoData ? "true" : "false",
    ...options.env,
  });
  const { context, extensionId } = await launchBrowser(profile, 0, []);
  const ext = (path: string) => `chrome-extension://${extensionId}/${path}`;
  const optionsPage = await context.newPage();
  await optionsPage.goto(ext("options.html"));
  await optionsPage.fill('input[name="serverUrl"]', quorum.base);
  await optionsPage.fill('input[name="token"]', ADMIN_TOKEN);
  await optionsPage.getByRole("button", { name: "Save" }).click();
  await optionsPage.getByText("Saved").waitFor();
  await optionsPage.close();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
  await page.goto(ext("admin.html#/browse"));
  await page.getByRole("navigation", { name: "Admin sections" }).waitFor();
  return {
    quorum,
    context,
    extensionId,
    page,
    async open(hash) {
      await page.goto(ext(`admin.html${hash}`));
      await page.locator("main h1").first().waitFor();
    },
    shot: (name) => screenshot(page, `admin-${name}`),
    async close() {
      await closeAll(context, [dataDir, profile]);
      await quorum.close();
    },
  };
}

// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { AdminApp } from "../../../extension/admin/AdminApp";
import { createAdminApi } from "../../../extension/admin/api";
import { defineMessages, translateWith } from "../../../extension/admin/i18n";
import { navigate, parseRoute, routeHref } from "../../../extension/admin/router";
import { language } from "../../../extension/models/locale";
import { DEFAULT_SETTINGS } from "../../../extension/utils/settings";
import { createTestContext, type TestContext } from "../../helpers/test-app";

const flush = async () => {
  for (let i = 0; i < 10; i++) await act(async () => await new Promise((r) => setTimeout(r, 0)));
};

describe("admin console shell", () => {
  let ctx: TestContext | undefined;
  afterEach(async () => {
    document.body.innerHTML = "";
    language.value = "en";
    await ctx?.close();
    ctx = undefined;
  });

  /** Mounts the console signed in as `who` ("bad" = a token the server does not know; null = not configured). */
  async function mountApp(who: "admin" | "marketer" | "sales" | "bad" | null) {
    document.body.innerHTML = "";
    await ctx?.close();
    ctx = await createTestContext();
    const app = ctx.app;
    const token = who === null ? "" : who === "bad" ? "qrm_not_a_real_token" : ctx.tokens[who];
    const settings = { ...DEFAULT_SETTINGS, serverUrl: who === null ? "" : "http://quorum.test", token };
    const root = document.createElement("div");
    document.body.append(root);
    act(() =>
      render(
        <AdminApp
          loadSettings={async () => settings}
          openSettings={() => {}}
          createApi={(url, tok) =>
            createAdminApi(url, tok, async (input, init) =>
              app.fetch(input instanceof Request ? input : new Request(String(input), init)),
            )
          }
        />,
        root,
      ),
    );
    await flush();
    return root;
  }

  it("parses and builds hash routes", () => {
    expect(parseRoute("#/templates/tpl_1?q=x")).toMatchObject({ screen: "templates", id: "tpl_1" });
    expect(parseRoute("#/templates/tpl_1?q=x").query.get("q")).toBe("x");
    expect(parseRoute("")).toMatchObject({ screen: "browse", id: null });
    expect(parseRoute("#/nonsense/1")).toMatchObject({ screen: "browse", id: null });
    expect(routeHref("groups", "a b", { tab: "x" })).toBe("#/groups/a%20b?tab=x");
  });

  it("signs in with the settings' token and shows the navigation for an admin", async () => {
    const bad = await mountApp("bad");
    // a token the server does not know: the server's 401 becomes a precise message
    expect(bad.textContent).toContain("refused the API token");
    const ok = await mountApp("admin");
    expect(ok.querySelector("nav")?.textContent).toContain("Users and tokens");
    expect(ok.textContent).toContain("admin tester (admin)");
  });

  it("a marketer gets the console without Users; a sales user is refused with the reason", async () => {
    const marketer = await mountApp("marketer");
    expect(marketer.querySelector("nav")?.textContent).toContain("Role templates");
    expect(marketer.querySelector("nav")?.textContent).not.toContain("Users and tokens");
    act(() => navigate("#/users"));
    await flush();
    expect(marketer.textContent).toContain("Only admins can manage users");
    const sales = await mountApp("sales");
    expect(sales.querySelector("nav")).toBeNull();
    expect(sales.textContent).toContain("for admins and marketers; you are signed in as sales");
  });

  it("not configured: asks to connect first", async () => {
    const root = await mountApp(null);
    expect(root.textContent).toContain("Connect the extension to your Quorum server");
  });

  it("translates with per-screen catalogues and locale number formatting", () => {
    const m = defineMessages({
      en: { n: "{count} groups" },
      nl: { n: "{count} groepen" },
      sv: { n: "{count} grupper" },
      fr: { n: "{count} groupes" },
    });
    expect(translateWith(m, "en", "n", { count: 1234.5 })).toBe("1,234.5 groups");
    expect(translateWith(m, "fr", "n", { count: 1234.5 })).toMatch(/^1\s234,5 groupes$/);
    expect(translateWith(m, "nl", "n", { count: 1234 })).toBe("1.234 groepen");
  });
});

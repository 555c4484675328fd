// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { UsersScreen } from "../../../extension/admin/screens/users/UsersScreen";
import { language } from "../../../extension/models/locale";
import { type AdminHarness, createAdminHarness } from "./admin-session";

// The users and tokens screen against a real in-process Quorum (admin session).
let h: AdminHarness;
beforeEach(async () => {
  h = await createAdminHarness();
});
afterEach(async () => {
  language.value = "en";
  vi.restoreAllMocks();
  await h.close();
});

function field<T extends HTMLElement = HTMLInputElement>(scope: ParentNode, text: string): T {
  const label = [...scope.querySelectorAll("label")].find((l) => l.querySelector("span")?.textContent === text);
  const el = label?.querySelector("input, select");
  if (!el) throw new Error(`no field "${text}"`);
  return el as unknown as T;
}
function button(scope: ParentNode, text: string): HTMLButtonElement {
  const b = [...scope.querySelectorAll("button")].find(
    (x) => x.textContent?.trim() === text || x.getAttribute("aria-label") === text,
  );
  if (!b) throw new Error(`no button "${text}" in: ${scope.textContent}`);
  return b;
}
function type(el: HTMLInputElement, value: string) {
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
function choose(el: HTMLSelectElement, value: string) {
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
const click = (el: HTMLElement) => act(() => el.click());
const rows = () => [...h.root.querySelectorAll<HTMLElement>('[data-testid="user-row"]')];
const row = (name: string) => rows().find((r) => r.querySelector("th")?.textContent?.startsWith(name))!;
const newUserForm = () => h.root.querySelector<HTMLElement>(".new-user")!;
const tokensPanel = () => h.root.querySelector<HTMLElement>('[data-testid="tokens-panel"]')!;
const usersOnServer = async () => (await h.ctx.call("GET", "/api/users")).body.items as Array<Record<string, any>>;
const me = (token: string) => h.ctx.call("GET", "/api/me", undefined, token);

async function mountAt(hash: string) {
  h.mount(<UsersScreen route={h.route(hash)} />);
  await h.waitFor(() => expect(rows().length).toBeGreaterThan(0));
}

describe("users screen", () => {
  it("lists the users with role, created date and token counts; marks the signed-in admin", async () => {
    await mountAt("#/users");
    expect(rows().map((r) => r.querySelector("th")?.textContent)).toEqual([
      "admin tester (you)",
      "marketer tester",
      "sales tester",
    ]);
    expect(row("marketer tester").querySelector("select")!.value).toBe("marketer");
    expect(row("sales tester").textContent).toContain("1 active of 1");
    expect(row("sales tester").textContent).toContain("Nov 23, 2026");
    // last use is recorded: the console's own token was just used, the sales tester's never
    expect(h.root.querySelector("thead")?.textContent).toContain("Last used");
    expect(row("sales tester").textContent).toContain("Never");
    expect(row("admin tester").textContent).not.toContain("Never");
  });

  it("creates a marketer with a token shown once, with a copy button and the warning; the token works as marketer", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await mountAt("#/users");
    const form = newUserForm();
    expect(field(form, "Token name").value).toBe("Browser extension");
    type(field(form, "Name"), "Mia Marketer");
    choose(field<HTMLSelectElement>(form, "Role"), "marketer");
    type(field(form, "Token name"), "Mia's laptop");
    click(button(form, "Create user"));
    await h.waitFor(() => expect(h.root.querySelector('[data-testid="new-token"]')).not.toBeNull());
    const reveal = h.root.querySelector<HTMLElement>('[data-testid="token-reveal"]')!;
    expect(reveal.textContent).toContain("New token for Mia Marketer");
    expect(reveal.textContent).toContain("You won't see it again");
    const token = h.root.querySelector<HTMLInputElement>('[data-testid="new-token"]')!.value;
    expect(token).toMatch(/^qrm_/);
    expect(h.root.querySelector('[role="status"]')?.textContent).toContain("User Mia Marketer created.");
    // the reveal takes the focus
    expect(document.activeElement?.id).toBe("token-reveal-title");

    click(button(reveal, "Copy"));
    await h.settle();
    expect(writeText).toHaveBeenCalledWith(token);
    expect(reveal.textContent).toContain("Copied to the clipboard.");

    const who = await me(token);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ name: "Mia Marketer", role: "marketer" });
    await h.waitFor(() => expect(row("Mia Marketer").querySelector("select")!.value).toBe("marketer"));
    expect((await usersOnServer()).find((u) => u.name === "Mia Marketer")).toMatchObject({ role: "marketer", tokens: 1 });
    // the form is ready for the next user; the token disappears for good once dismissed
    expect(field(form, "Name").value).toBe("");
    click(button(reveal, "I have copied it"));
    await h.settle();
    expect(h.root.querySelector('[data-testid="token-reveal"]')).toBeNull();
    expect(h.root.innerHTML).not.toContain(token);
  });

  it("the clipboard refused: the token is selected with the keyboard hint", async () => {
    Object.defineProperty(navigator, "clipboard", {
      value: { writeText: async () => Promise.reject(new Error("denied")) },
      configurable: true,
    });
    await mountAt("#/users");
    type(field(newUserForm(), "Name"), "Sam");
    click(button(newUserForm(), "Create user"));
    await h.waitFor(() => expect(h.root.querySelector('[data-testid="new-token"]')).not.toBeNull());
    click(button(h.root.querySelector('[data-testid="token-reveal"]')!, "Copy"));
    await h.settle();
    expect(h.root.textContent).toContain("press Ctrl+C");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("new-token");
  });

  it("the server's 400 is shown next to the field and what was typed is kept", async () => {
    await mountAt("#/users");
    const form = newUserForm();
    choose(field<HTMLSelectElement>(form, "Role"), "admin");
    type(field(form, "Token name"), "   ");
    type(field(form, "Name"), "Nina");
    click(button(form, "Create user"));
    await h.waitFor(() => expect(form.querySelector(".field-error")).not.toBeNull());
    const tokenName = field(form, "Token name");
    expect(tokenName.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(tokenName.getAttribute("aria-describedby")!)?.textContent).toBe("must not be empty");
    expect(field(form, "Name").value).toBe("Nina");
    expect(field<HTMLSelectElement>(form, "Role").value).toBe("admin");
    expect(h.root.querySelector('[data-testid="token-reveal"]')).toBeNull();
    expect((await usersOnServer()).some((u) => u.name === "Nina")).toBe(false);
  });

  it("changes a role with Save; the last admin's demotion is refused with the server's message and the choice kept", async () => {
    await mountAt("#/users");
    const sales = row("sales tester");
    expect(sales.querySelector(".role-cell button")).toBeNull();
    choose(sales.querySelector("select")!, "marketer");
    click(button(sales, "Save role"));
    await h.waitFor(() => expect(sales.textContent).toContain("sales tester is now Marketer."));
    expect((await me(h.ctx.tokens.sales)).body.role).toBe("marketer");

    const self = row("admin tester");
    choose(self.querySelector("select")!, "sales");
    click(button(self, "Save role"));
    // own demotion asks first
    expect(self.textContent).toContain("You are changing your own role");
    click(button(self, "Change my role"));
    await h.waitFor(() => expect(self.querySelector('[role="alert"]')).not.toBeNull());
    expect(self.querySelector('[role="alert"]')?.textContent).toMatch(/The role was not changed: .*last admin who can sign in/);
    expect(self.querySelector("select")!.value).toBe("sales");
    expect(self.querySelector("select")!.getAttribute("aria-invalid")).toBe("true");
    expect((await me(h.ctx.tokens.admin)).body.role).toBe("admin");
  });

  it("a user's tokens: issue one (shown once), revoke with confirmation → that token gets 401", async () => {
    const target = (await usersOnServer()).find((u) => u.name === "marketer tester")!;
    await mountAt(`#/users/${target.id}`);
    await h.waitFor(() => expect(tokensPanel().querySelectorAll('[data-testid="token-row"]')).toHaveLength(1));
    expect(tokensPanel().querySelector("h2")?.textContent).toBe("Tokens of marketer tester");
    expect(tokensPanel().textContent).toContain(h.ctx.tokens.marketer.slice(0, 8));
    expect(tokensPanel().textContent).not.toContain(h.ctx.tokens.marketer);

    // the server names the empty field
    click(button(tokensPanel(), "Create token"));
    await h.waitFor(() => expect(tokensPanel().querySelector(".field-error")?.textContent).toBe("must not be empty"));
    type(field(tokensPanel(), "Token name"), "Tablet");
    click(button(tokensPanel(), "Create token"));
    await h.waitFor(() => expect(tokensPanel().querySelector('[data-testid="new-token"]')).not.toBeNull());
    const token = tokensPanel().querySelector<HTMLInputElement>('[data-testid="new-token"]')!.value;
    expect((await me(token)).body).toMatchObject({ name: "marketer tester", role: "marketer" });
    await h.waitFor(() => expect(tokensPanel().querySelectorAll('[data-testid="token-row"]')).toHaveLength(2));
    await h.waitFor(() => expect(row("marketer tester").textContent).toContain("2 active of 2"));

    // revoke: cancel first, then confirm
    const tablet = () =>
      [...tokensPanel().querySelectorAll<HTMLElement>('[data-testid="token-row"]')].find((r) =>
        r.textContent?.includes("Tablet"),
      )!;
    click(button(tablet(), "Revoke token Tablet"));
    expect(tablet().textContent).toContain("Whoever uses it is refused from their next request");
    expect(document.activeElement?.textContent).toBe("Cancel");
    click(button(tablet(), "Cancel"));
    expect((await me(token)).status).toBe(200);
    click(button(tablet(), "Revoke token Tablet"));
    click(button(tablet(), "Revoke token"));
    await h.waitFor(() => expect(tablet().textContent).toContain("Revoked"));
    expect(tokensPanel().textContent).toContain("Token “Tablet” revoked.");
    expect((await me(token)).status).toBe(401);
    expect((await me(h.ctx.tokens.marketer)).status).toBe(200);
    await h.waitFor(() => expect(row("marketer tester").textContent).toContain("1 active of 2"));
  });

  it("revoking my own last token as the last admin: warned, then the server's refusal is shown", async () => {
    const admin = (await usersOnServer()).find((u) => u.name === "admin tester")!;
    await mountAt(`#/users/${admin.id}`);
    await h.waitFor(() => expect(tokensPanel().querySelectorAll('[data-testid="token-row"]')).toHaveLength(1));
    const own = tokensPanel().querySelector<HTMLElement>('[data-testid="token-row"]')!;
    expect(own.textContent).toContain("your current token");
    click(button(own, "Revoke token admin"));
    expect(own.textContent).toContain("This is the token you are signed in with");
    click(button(own, "Revoke token"));
    await h.waitFor(() => expect(own.querySelector('[role="alert"]')).not.toBeNull());
    expect(own.querySelector('[role="alert"]')?.textContent).toMatch(/not revoked: This is your last active token/);
    expect((await me(h.ctx.tokens.admin)).status).toBe(200);
  });

  it("an unknown user id in the address says so", async () => {
    await mountAt("#/users/usr_missing");
    await h.waitFor(() => expect(h.root.textContent).toContain("There is no user with id usr_missing."));
  });

  it("in Dutch, Swedish and French", async () => {
    await mountAt("#/users");
    for (const [lang, title, create] of [
      ["nl", "Gebruikers en tokens", "Gebruiker aanmaken"],
      ["sv", "Användare och token", "Skapa användare"],
      ["fr", "Utilisateurs et jetons", "Créer l'utilisateur"],
    ] as const) {
      act(() => {
        language.value = lang;
      });
      await h.settle();
      expect(h.root.querySelector("h1")?.textContent).toBe(title);
      expect(button(h.root, create)).toBeTruthy();
    }
  });
});

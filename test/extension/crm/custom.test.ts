// @vitest-environment happy-dom
/** Custom (self-hosted) CRM adapters: configuration validation and URL patterns. */
import { Window } from "happy-dom";
import { afterAll, describe, expect, it } from "vitest";
import { type CustomAdapterConfig, CustomAdapterConfigError, createCustomAdapter } from "../../../extension/crm/custom";
import { compileUrlPattern } from "../../../extension/crm/url-pattern-check";

const window = new Window({ url: "https://crm.example.org/" });
const emptyDoc = window.document as unknown as Document;
afterAll(() => window.happyDOM.close());

const valid: CustomAdapterConfig = {
  host: "crm.example.org",
  accountPathPattern: "/accounts/:id",
  contactLinkPattern: "/contacts/:id",
};

describe("config validation", () => {
  it.each<[string, unknown, string, RegExp]>([
    ["not an object", null, "config", /must be an object/],
    ["host missing", { ...valid, host: undefined }, "host", /"host" must be a string/],
    ["host empty", { ...valid, host: "  " }, "host", /"host" must not be empty/],
    ["host with scheme", { ...valid, host: "https://crm.example.org" }, "host", /without "http:\/\/" or "https:\/\/"/],
    ["host with path", { ...valid, host: "crm.example.org/crm" }, "host", /without a path/],
    ["host wildcard", { ...valid, host: "*.example.org" }, "host", /wildcards are not supported/],
    ["host with spaces", { ...valid, host: "crm example.org" }, "host", /must be a host name/],
    ["host with underscore", { ...valid, host: "crm_1.example.org" }, "host", /must be a host name/],
    ["host port out of range", { ...valid, host: "crm.example.org:70000" }, "host", /must be a host name/],
    [
      "account pattern missing",
      { ...valid, accountPathPattern: undefined },
      "accountPathPattern",
      /"accountPathPattern" must be a string/,
    ],
    ["account pattern without :id", { ...valid, accountPathPattern: "/accounts" }, "accountPathPattern", /must contain ":id"/],
    ["account pattern with two :id", { ...valid, accountPathPattern: "/a/:id/b/:id" }, "accountPathPattern", /":id" only once/],
    [
      "account pattern not starting with /",
      { ...valid, accountPathPattern: "accounts/:id" },
      "accountPathPattern",
      /must start with "\/"/,
    ],
    [
      "account pattern with host",
      { ...valid, accountPathPattern: "https://crm.example.org/accounts/:id" },
      "accountPathPattern",
      /without scheme or host/,
    ],
    [
      "account pattern with bad parameter",
      { ...valid, accountPathPattern: "/accounts/:1d" },
      "accountPathPattern",
      /not a valid parameter/,
    ],
    [
      "account pattern with empty segment",
      { ...valid, accountPathPattern: "/accounts//:id" },
      "accountPathPattern",
      /empty path segment/,
    ],
    [
      "account pattern with * not last",
      { ...valid, accountPathPattern: "/*/accounts/:id" },
      "accountPathPattern",
      /may only be the last/,
    ],
    ["account pattern with ..", { ...valid, accountPathPattern: "/../accounts/:id" }, "accountPathPattern", /not allowed/],
    ["account pattern with a space", { ...valid, accountPathPattern: "/my accounts/:id" }, "accountPathPattern", /spaces/],
    [
      "account pattern too long",
      { ...valid, accountPathPattern: `/${"a".repeat(300)}/:id` },
      "accountPathPattern",
      /at most 300/,
    ],
    [
      "contact pattern empty",
      { ...valid, contactLinkPattern: "" },
      "contactLinkPattern",
      /"contactLinkPattern" must not be empty/,
    ],
    [
      "contact pattern without :id",
      { ...valid, contactLinkPattern: "/contacts/:contactId" },
      "contactLinkPattern",
      /must contain ":id"/,
    ],
    [
      "contact pattern with bad query",
      { ...valid, contactLinkPattern: "/index.php?record" },
      "contactLinkPattern",
      /not a valid query parameter/,
    ],
    ["same patterns", { ...valid, contactLinkPattern: "/accounts/:id/" }, "contactLinkPattern", /must not match the same URLs/],
    [
      "overlapping patterns",
      { ...valid, contactLinkPattern: "/:kind/:id" },
      "contactLinkPattern",
      /must not match the same URLs/,
    ],
  ])("%s", (_label, config, field, message) => {
    let error: unknown;
    try {
      createCustomAdapter(config as CustomAdapterConfig);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CustomAdapterConfigError);
    expect((error as CustomAdapterConfigError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^Invalid custom CRM config: /);
  });

  it("accepts a valid config; host is lower-cased and becomes the CRM id", () => {
    const adapter = createCustomAdapter({ ...valid, host: " CRM.Example.ORG:8443 " });
    expect(adapter.id).toBe("custom:crm.example.org:8443");
    expect(adapter.matches).toEqual(["*://crm.example.org/*"]);
  });
});

describe("URL patterns", () => {
  it.each<[string, string, string | null]>([
    ["/accounts/:id", "/accounts/42", "42"],
    ["/accounts/:id", "/accounts/42/", "42"],
    ["/accounts/:id", "/accounts/42/edit", null],
    ["/accounts/:id", "/Accounts/42", null],
    ["/accounts/:id", "/accounts", null],
    ["/accounts/:id/*", "/accounts/42/contacts/tab", "42"],
    ["/accounts/:id/*", "/accounts/42", "42"],
    ["/crm/:org/companies/:id", "/crm/acme/companies/a1b2", "a1b2"],
    ["/crm/:org/companies/:id", "/crm/companies/a1b2", null],
    ["/accounts/:id", "/accounts/caf%C3%A9", "café"],
    ["/accounts/:id", "/accounts/%2F..%2Fx", null],
    ["/index.php?module=Accounts&action=DetailView&record=:id", "/index.php?action=DetailView&record=9f2&module=Accounts", "9f2"],
    ["/index.php?module=Accounts&action=DetailView&record=:id", "/index.php?module=Contacts&action=DetailView&record=9f2", null],
    ["/index.php?module=Accounts&action=DetailView&record=:id", "/index.php?module=Accounts&action=DetailView&record=", null],
    ["/#Account/view/:id", "/#Account/view/64f1c2e8a1b2c3d45", "64f1c2e8a1b2c3d45"],
    ["/#Account/view/:id", "/#Contact/view/64f1c2e8a1b2c3d45", null],
    ["/#/accounts/:id", "/#/accounts/7?tab=people", "7"],
    ["/app#/accounts/:id", "/#/accounts/7", null],
  ])("%s ~ %s → %s", (pattern, path, expected) => {
    expect(compileUrlPattern(pattern).match(new URL(path, "https://crm.example.org"))).toBe(expected);
  });

  it("caps the id at 100 characters", () => {
    const pattern = compileUrlPattern("/accounts/:id");
    expect(pattern.match(new URL(`https://crm.example.org/accounts/${"x".repeat(100)}`))).toHaveLength(100);
    expect(pattern.match(new URL(`https://crm.example.org/accounts/${"x".repeat(101)}`))).toBeNull();
  });

  it("detects account records only on the configured host", () => {
    const adapter = createCustomAdapter({ ...valid, host: "crm.example.org:8443" });
    expect(adapter.detectRecord(new URL("https://crm.example.org:8443/accounts/42"), emptyDoc)).toBe("42");
    expect(adapter.detectRecord(new URL("https://crm.example.org/accounts/42"), emptyDoc)).toBeNull();
    expect(adapter.detectRecord(new URL("https://other.example.org:8443/accounts/42"), emptyDoc)).toBeNull();
    expect(adapter.detectRecord(new URL("https://crm.example.org:8443/contacts/42"), emptyDoc)).toBeNull();
  });
});

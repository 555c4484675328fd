import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// DNS rebinding: a page on an attacker's site whose name resolves to 127.0.0.1 sends its own name in Host.
describe("Host header check on every route", () => {
  let t: TestContext | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const status = async (url: string, token: string | null = t!.tokens.admin) =>
    (await t!.app.request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;

  it("on loopback answers localhost, 127.0.0.1 and [::1] (any port) and refuses other names everywhere", async () => {
    t = await createTestContext();
    for (const host of ["localhost", "127.0.0.1:8787", "[::1]:8787", "LOCALHOST:1234", "localhost."]) {
      expect(await status(`http://${host}/health`)).toBe(200);
      expect(await status(`http://${host}/api/me`)).toBe(200);
    }
    for (const host of [
      "evil.example",
      "evil.example:8787",
      "localhost.evil.example",
      "127.0.0.1.nip.io",
      "quorum.example.com",
    ]) {
      for (const path of ["/health", "/api/me", "/api/openapi.json", "/api/docs", "/unsubscribe/abc", "/no-such-route"])
        expect(await status(`http://${host}${path}`), `${host}${path}`).toBe(400);
    }
    const res = await t.app.request("http://evil.example/api/me", { headers: { authorization: `Bearer ${t.tokens.admin}` } });
    const body = (await res.json()) as any;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toContain("QUORUM_ALLOWED_HOSTS");
    expect(body.error.details.issues).toEqual([
      { field: "Host", message: "is not a name of this server (see QUORUM_ALLOWED_HOSTS)" },
    ]);
  });

  it("a refused Host changes nothing, even with a valid token", async () => {
    t = await createTestContext();
    const res = await t.app.request("http://evil.example/api/accounts", {
      method: "POST",
      headers: { authorization: `Bearer ${t.tokens.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Rebound" }),
    });
    expect(res.status).toBe(400);
    expect((await t.call("GET", "/api/accounts?q=Rebound")).body.total).toBe(0);
  });

  it("accepts QUORUM_PUBLIC_URL's host and QUORUM_ALLOWED_HOSTS (names, name:port, *.domain)", async () => {
    t = await createTestContext({
      env: {
        QUORUM_PUBLIC_URL: "https://quorum.example.com",
        QUORUM_ALLOWED_HOSTS: "proxy.internal, edge.example:8443, *.corp.example",
      },
    });
    for (const host of ["quorum.example.com", "proxy.internal:80", "edge.example:8443", "a.corp.example", "b.c.corp.example"])
      expect(await status(`http://${host}/api/me`), host).toBe(200);
    for (const host of ["edge.example", "edge.example:9000", "corp.example", "evilcorp.example", "example.com"])
      expect(await status(`http://${host}/api/me`), host).toBe(400);
  });

  it("bound to one address answers that address only; on 0.0.0.0 also the machine's name", async () => {
    t = await createTestContext({ env: { QUORUM_HOST: "10.20.30.40" } });
    expect(await status("http://10.20.30.40:8787/health")).toBe(200);
    expect(await status("http://localhost/health")).toBe(400);
    await t.close();
    t = await createTestContext({ env: { QUORUM_HOST: "0.0.0.0" } });
    expect(await status(`http://${hostname()}:8787/health`)).toBe(200);
    expect(await status("http://127.0.0.1:8787/health")).toBe(200);
    expect(await status("http://evil.example/health")).toBe(400);
  });

  it("rejects a malformed QUORUM_ALLOWED_HOSTS naming the variable", () => {
    expect(() => loadConfig({ QUORUM_ALLOWED_HOSTS: "good.example, http://bad/" })).toThrow(/QUORUM_ALLOWED_HOSTS/);
  });
});

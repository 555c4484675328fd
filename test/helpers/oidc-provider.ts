/**
 * A real OpenID Connect provider on loopback for tests: `oidc-provider` (the certified Node implementation, pinned for
 * Node 20), with its own login page (any password; the login names one of the accounts below), PKCE required,
 * consent pre-granted for the Quorum client (as an IT admin's "admin consent" does), and the email, name and groups
 * claims put into the ID token. `signInWithFetch` drives its login page without a browser.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

export async function startTestIdp(options: {
  clients: Array<{ clientId: string; redirectUris: string[] }>;
  accounts: Record<string, TestAccount>;
  idTokenSeconds?: number;
}): Promise<TestIdp> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      token_endpoint_auth_method: "none",
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
    })),
    jwks: { keys: [jwk as never] },
    pkce: { required: () => true, methods: ["S256"] },
    scopes: ["openid", "email", "profile", "groups"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    conformIdTokenClaims: false,
    ttl: { IdToken: options.idTokenSeconds ?? 3600 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, sub) {
      const account = options.accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: true, name: account.name, groups: account.groups }),
      };
    },
    // Consent is given by the organisation for its own client: no consent page, like an admin-consented app.
    async loadExistingGrant(ctx) {
      const oidcCtx = ctx.oidc;
      if (!oidcCtx.session?.accountId || !oidcCtx.client) return undefined;
      const existing = oidcCtx.session.grantIdFor(oidcCtx.client.clientId);
      if (existing) return oidcCtx.provider.Grant.find(existing);
      const grant = new oidcCtx.provider.Grant({ clientId: oidcCtx.client.clientId, accountId: oidcCtx.session.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  });
  // The dev login page warns on every render; keep test output readable.
  provider.on("server_error", (_ctx, err) => console.error("[test idp]", err));
  server.on("request", provider.callback());
  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A tiny cookie jar + manual redirects: what a browser does on the provider's pages, for tests without one. */
export async function signInWithFetch(authorizationUrl: string, login: string, redirectPrefix: string): Promise<string> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: cookieHeader(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body,
    });
    remember(res);
    body = undefined;
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      if (url.startsWith(redirectPrefix)) return url;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`Unexpected page at ${url} (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    body = new URLSearchParams({ prompt: "login", login, password: "any" });
  }
  throw new Error("Too many redirects");
}

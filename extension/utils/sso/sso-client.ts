/**
 * Single sign-on in the background (the only holder of credentials): authorization code + PKCE through
 * `identity.launchWebAuthFlow` at the organisation's identity provider, the code handed to the Quorum server
 * (POST /auth/sso/token), then Quorum's short-lived access token renewed with the rotating refresh token before it
 * expires, without asking the rep. When the session reaches its end the background tries a silent sign-in
 * (`prompt=none`, non-interactive) and only asks the rep again if the provider wants them to log in.
 * Refreshes are single-flight: a refresh token works once, and a second use would end the session (server/sso).
 */
import * as oauth from "oauth4webapi";
import type { SsoPublicConfig, SsoTokens } from "../../../shared/api/sso";
import { ApiError } from "../server-api";
import type { Settings } from "../settings";

/** Renew this long before the access token expires (clock differences, a request in flight) … */
const RENEW_MARGIN_MS = 30_000;
/** … or a fifth of its lifetime, for servers with very short-lived tokens. */
const renewAt = (s: StoredSso) =>
  Date.parse(s.accessTokenExpiresAt) - Math.min(RENEW_MARGIN_MS, (Date.parse(s.accessTokenExpiresAt) - (s.receivedAt ?? 0)) / 5);

export interface StoredSso extends SsoTokens {
  serverUrl: string;
  /** When the access token arrived (ms, this browser's clock). */
  receivedAt?: number;
}

export interface SsoStatus {
  signedIn: boolean;
  name: string | null;
  role: string | null;
}

export interface SsoClientDeps {
  loadSettings(): Promise<Settings>;
  load(): Promise<StoredSso | null>;
  save(session: StoredSso | null): Promise<void>;
  fetch: typeof fetch;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  /** `identity.getRedirectURL()`: https://<extension id>.chromiumapp.org/ (Firefox: …extensions.allizom.org/). */
  redirectUrl(): string;
  client: "chrome" | "firefox" | "other";
  now(): number;
}

export type SsoClient = ReturnType<typeof createSsoClient>;

interface ErrorBody {
  error?: { message?: string; details?: { reason?: string } };
}

export function createSsoClient(deps: SsoClientDeps) {
  let renewing: Promise<string> | null = null;

  async function call<T>(serverUrl: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await deps.fetch(`${serverUrl}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (e) {
      throw new ApiError("unreachable", `The Quorum server at ${serverUrl} could not be reached: ${String(e)}`);
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => ({}))) as T & ErrorBody;
    if (!res.ok) {
      const kind =
        res.status === 401 ? "unauthorized" : res.status === 403 ? "forbidden" : res.status >= 500 ? "server" : "rejected";
      const error = new ApiError(kind, json.error?.message ?? `HTTP ${res.status}`, res.status);
      (error as ApiError & { reason?: string }).reason = json.error?.details?.reason;
      throw error;
    }
    return json;
  }

  /** The server's sign-in configuration, checked against the organisation's managed issuer. */
  async function serverConfig(settings: Settings) {
    if (!settings.serverUrl) throw new ApiError("unconfigured", "Set the Quorum server address first.");
    const config = await call<SsoPublicConfig>(settings.serverUrl, "/auth/sso/config");
    if (!config.enabled) {
      throw new ApiError(
        "rejected",
        "Single sign-on is not set up on this Quorum server: use an API token, or ask your IT admin.",
      );
    }
    if (settings.ssoIssuer && settings.ssoIssuer.replace(/\/+$/, "") !== config.issuer.replace(/\/+$/, "")) {
      throw new ApiError(
        "rejected",
        `Your organisation's settings name the identity provider ${settings.ssoIssuer}, but the Quorum server uses ${config.issuer}. Tell your IT admin.`,
      );
    }
    return config;
  }

  /** Runs the provider's sign-in; `interactive: false` succeeds only if the provider's session lets it through unasked. */
  async function signIn(options: { interactive: boolean }): Promise<SsoStatus> {
    const settings = await deps.loadSettings();
    const config = await serverConfig(settings);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(config.authorizationEndpoint);
    url.searchParams.set("client_id", settings.ssoClientId || config.clientId);
    url.searchParams.set("redirect_uri", deps.redirectUrl());
    url.searchParams.set("response_type", "code");
    url.searchParams.set("scope", config.scopes);
    url.searchParams.set("state", state);
    url.searchParams.set("nonce", nonce);
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set("code_challenge_method", "S256");
    if (!options.interactive) url.searchParams.set("prompt", "none");
    let redirectUrl: string | undefined;
    try {
      redirectUrl = await deps.launchWebAuthFlow({ url: url.href, interactive: options.interactive });
    } catch (e) {
      throw new ApiError("unauthorized", `Sign-in did not finish: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!redirectUrl) throw new ApiError("unauthorized", "Sign-in was cancelled.");
    const back = new URL(redirectUrl);
    const error = back.searchParams.get("error");
    if (error) {
      throw new ApiError(
        "unauthorized",
        `The identity provider refused the sign-in: ${back.searchParams.get("error_description") ?? error}`,
      );
    }
    const tokens = await call<SsoTokens>(settings.serverUrl, "/auth/sso/token", {
      redirectUrl,
      codeVerifier: verifier,
      state,
      nonce,
      client: deps.client,
    });
    await deps.save({ ...tokens, serverUrl: settings.serverUrl, receivedAt: deps.now() });
    return { signedIn: true, name: tokens.user.name, role: tokens.user.role };
  }

  async function renew(session: StoredSso): Promise<string> {
    try {
      const tokens = await call<SsoTokens>(session.serverUrl, "/auth/sso/refresh", { refreshToken: session.refreshToken });
      await deps.save({ ...tokens, serverUrl: session.serverUrl, receivedAt: deps.now() });
      return tokens.accessToken;
    } catch (e) {
      if (!(e instanceof ApiError) || (e.kind !== "unauthorized" && e.kind !== "forbidden")) throw e;
      await deps.save(null);
      // The session ended by time: go back to the provider without asking; anything else needs the rep.
      if ((e as ApiError & { reason?: string }).reason === "session_expired") {
        try {
          await signIn({ interactive: false });
          return (await deps.load())?.accessToken ?? "";
        } catch {
          return "";
        }
      }
      return "";
    }
  }

  /** A valid access token for `serverUrl` (renewed when it is about to expire), or "" when nobody is signed in there. */
  async function accessToken(serverUrl: string): Promise<string> {
    const session = await deps.load();
    if (!session || session.serverUrl !== serverUrl) return "";
    if (deps.now() < renewAt(session)) return session.accessToken;
    renewing ??= renew(session).finally(() => {
      renewing = null;
    });
    return renewing;
  }

  async function status(serverUrl: string): Promise<SsoStatus> {
    const session = await deps.load();
    if (!session || session.serverUrl !== serverUrl) return { signedIn: false, name: null, role: null };
    return { signedIn: true, name: session.user.name, role: session.user.role };
  }

  /** Ends the session on the server (best effort: the local credentials go either way). */
  async function signOut(): Promise<void> {
    const session = await deps.load();
    await deps.save(null);
    if (session) await call(session.serverUrl, "/auth/sso/logout", { refreshToken: session.refreshToken }).catch(() => {});
  }

  return { signIn, accessToken, status, signOut };
}

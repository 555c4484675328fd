import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import * as oidc from "openid-client";
import { providerUnavailable, ssoRefused } from "./errors";
import type { SsoConfig } from "./sso.config";

/** The identity provider as Quorum uses it: its discovered endpoints, its signing keys, and the code exchange. */
export interface SsoProvider {
  authorizationEndpoint: string;
  /** The issuer's JWKS (fetched on first use, cached, fetched again for an unknown `kid`). */
  keys: JWTVerifyGetKey;
  /** Redeems an authorization code (with its PKCE verifier) at the token endpoint; returns the raw ID token. */
  exchangeCode(input: { redirectUrl: string; codeVerifier: string; state: string; nonce: string }): Promise<string>;
}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const providers = new WeakMap<SsoConfig, Promise<SsoProvider>>();

/**
 * The provider of a configuration, discovered once (`/.well-known/openid-configuration`) through openid-client; a
 * failed discovery is forgotten so the next request tries again.
 */
export function ssoProvider(config: SsoConfig): Promise<SsoProvider> {
  let p = providers.get(config);
  if (!p) {
    p = discover(config);
    providers.set(config, p);
    p.catch(() => providers.delete(config));
  }
  return p;
}

async function discover(config: SsoConfig): Promise<SsoProvider> {
  const insecure = new URL(config.issuer).protocol === "http:"; // loopback only: checked in sso.config.ts
  let client: oidc.Configuration;
  try {
    client = await oidc.discovery(
      new URL(config.issuer),
      config.clientId,
      config.clientSecret ?? undefined,
      config.clientSecret ? oidc.ClientSecretPost(config.clientSecret) : oidc.None(),
      { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: DISCOVERY_TIMEOUT_SECONDS },
    );
  } catch (e) {
    throw providerUnavailable(`The identity provider ${config.issuer} could not be discovered`, e);
  }
  const meta = client.serverMetadata();
  if (!meta.authorization_endpoint || !meta.jwks_uri || !meta.token_endpoint) {
    throw providerUnavailable(`The identity provider ${config.issuer} publishes no authorization, token or JWKS endpoint`);
  }
  return {
    authorizationEndpoint: meta.authorization_endpoint,
    keys: createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: 10_000, cooldownDuration: 30_000 }),
    async exchangeCode({ redirectUrl, codeVerifier, state, nonce }) {
      try {
        const tokens = await oidc.authorizationCodeGrant(client, new URL(redirectUrl), {
          pkceCodeVerifier: codeVerifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
        if (!tokens.id_token)
          throw ssoRefused("provider_refused", "The identity provider returned no ID token (is 'openid' in the scopes?).");
        return tokens.id_token;
      } catch (e) {
        throw exchangeRefusal(e);
      }
    },
  };
}

/** openid-client's failures in words a rep or an IT admin can act on. */
function exchangeRefusal(e: unknown): unknown {
  if (e instanceof oidc.AuthorizationResponseError) {
    const why = e.error_description ? `: ${e.error_description}` : "";
    return ssoRefused("provider_refused", `The identity provider refused the sign-in (${e.error}${why}).`);
  }
  if (e instanceof oidc.ResponseBodyError) {
    const why = e.error_description ? `: ${e.error_description}` : "";
    return ssoRefused(
      "provider_refused",
      e.error === "invalid_grant"
        ? `The identity provider did not accept the sign-in code (expired or already used${why}). Sign in again.`
        : `The identity provider refused the code exchange (${e.error}${why}). Check the client id and redirect URI registered for Quorum.`,
    );
  }
  if (e instanceof oidc.ClientError) {
    const code = (e as { code?: string }).code;
    if (
      code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" ||
      code === "OAUTH_INVALID_RESPONSE" ||
      code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED"
    ) {
      return ssoRefused("provider_refused", `The identity provider's answer was refused: ${e.message}. Sign in again.`);
    }
    return providerUnavailable("The identity provider's answer could not be used", e);
  }
  if (e instanceof Error && e.name === "QuorumError") return e;
  return providerUnavailable("The identity provider could not be reached for the code exchange", e);
}

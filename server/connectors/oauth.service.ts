import { notFound, QuorumError } from "../../shared/errors";
import type { Deps } from "../deps";
import { getConnectionRow, openSecrets, sealSecrets } from "./connections.repo";
import { newOAuthState } from "./connections.service";
import { connectorKey, decryptSecret, encryptSecret } from "./crypto";
import { ConnectorError } from "./errors";
import { DEFAULT_URLS, redirectUri } from "./registry";

const STATE_TTL_MS = 10 * 60_000;

/**
 * OAuth 2.0 authorization code flow: `startOAuth` keeps a one-time `state` (with the PKCE verifier,
 * sealed) and returns the CRM's authorize URL; the CRM redirects the admin's browser to
 * `/oauth/callback`, where `finishOAuth` checks the state, exchanges the code and stores the tokens.
 */
export async function startOAuth(deps: Deps, connectionId: string): Promise<{ authorizeUrl: string; redirectUri: string }> {
  const row = await getConnectionRow(deps.db, connectionId);
  if (!row) throw notFound("Connection", connectionId);
  if (row.auth_kind !== "oauth" || !row.client_id)
    throw new QuorumError(
      409,
      "conflict",
      "This connection does not sign in with OAuth; change its sign-in method to OAuth first.",
      null,
    );
  const state = newOAuthState();
  const redirect = redirectUri(deps);
  let url: string;
  let verifier = "";
  if (row.crm === "salesforce") {
    const { salesforceAuthorizeUrl } = await import("./salesforce/client");
    const r = salesforceAuthorizeUrl(
      { loginUrl: row.login_url ?? DEFAULT_URLS.salesforce.loginUrl, clientId: row.client_id, redirectUri: redirect },
      state,
    );
    url = r.url;
    verifier = r.verifier;
  } else {
    const { hubspotAuthorizeUrl } = await import("./hubspot/client");
    url = hubspotAuthorizeUrl({ loginUrl: row.login_url, clientId: row.client_id, redirectUri: redirect, state });
  }
  const now = deps.clock();
  await deps.db.deleteFrom("crm_oauth_states").where("expires_at", "<", now.toISOString()).execute();
  await deps.db
    .insertInto("crm_oauth_states")
    .values({
      state,
      connection_id: row.id,
      verifier: encryptSecret(connectorKey(deps.config), verifier),
      expires_at: new Date(now.getTime() + STATE_TTL_MS).toISOString(),
    })
    .execute();
  return { authorizeUrl: url, redirectUri: redirect };
}

/** Returns the connection's name; throws a sentence for the callback page when anything is wrong. */
export async function finishOAuth(
  deps: Deps,
  q: { code?: string; state?: string; error?: string; error_description?: string },
): Promise<string> {
  if (q.error)
    throw new Error(`The CRM did not grant access: ${q.error}${q.error_description ? ` (${q.error_description})` : ""}.`);
  if (!q.code || !q.state)
    throw new Error("The CRM's answer has no code or state; start the sign-in again from the Connections screen.");
  const now = deps.clock();
  const pending = await deps.db.selectFrom("crm_oauth_states").selectAll().where("state", "=", q.state).executeTakeFirst();
  await deps.db.deleteFrom("crm_oauth_states").where("state", "=", q.state).execute();
  if (!pending || pending.expires_at < now.toISOString())
    throw new Error("This sign-in link has expired or was already used; start the sign-in again from the Connections screen.");
  const row = await getConnectionRow(deps.db, pending.connection_id);
  if (!row?.client_id) throw new Error("The connection was deleted while you were signing in.");
  const secrets = openSecrets(deps.config, row);
  const redirect = redirectUri(deps);
  let baseUrl = row.base_url;
  try {
    if (row.crm === "salesforce") {
      const verifier = decryptSecret(connectorKey(deps.config), pending.verifier);
      const { salesforceExchangeCode } = await import("./salesforce/client");
      const t = await salesforceExchangeCode(
        {
          loginUrl: row.login_url ?? DEFAULT_URLS.salesforce.loginUrl,
          clientId: row.client_id,
          clientSecret: secrets.clientSecret ?? null,
          redirectUri: redirect,
        },
        q.code,
        verifier,
      );
      secrets.accessToken = t.accessToken;
      if (t.refreshToken) secrets.refreshToken = t.refreshToken;
      if (!baseUrl) baseUrl = t.instanceUrl;
    } else {
      if (!secrets.clientSecret) throw new Error("The HubSpot app's client secret is missing; add it to the connection first.");
      const { hubspotExchangeCode } = await import("./hubspot/client");
      const t = await hubspotExchangeCode(
        { baseUrl: row.base_url, clientId: row.client_id, clientSecret: secrets.clientSecret, redirectUri: redirect },
        q.code,
      );
      secrets.accessToken = t.accessToken;
      if (t.refreshToken) secrets.refreshToken = t.refreshToken;
    }
  } catch (err) {
    throw new Error(`The CRM refused the sign-in: ${err instanceof ConnectorError ? err.message : String(err)}`);
  }
  await deps.db
    .updateTable("crm_connections")
    .set({
      secrets: sealSecrets(deps.config, secrets),
      base_url: baseUrl,
      status: "connected",
      status_reason: null,
      updated_at: now.toISOString(),
    })
    .where("id", "=", row.id)
    .execute();
  return row.name;
}

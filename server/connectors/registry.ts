import type { Deps } from "../deps";
import { type ConnectionRow, openSecrets, saveTokens, settingsOf } from "./connections.repo";
import { defaultRetryPolicy, type RetryPolicy } from "./errors";
import type { Connector } from "./types";

/** The OAuth redirect URI every connection registers in its CRM app. */
export const redirectUri = (deps: Pick<Deps, "config">) => `${deps.config.connectors.publicUrl}/oauth/callback`;

export const DEFAULT_URLS = {
  salesforce: { baseUrl: null, loginUrl: "https://login.salesforce.com" },
  hubspot: { baseUrl: "https://api.hubapi.com", loginUrl: "https://app.hubspot.com" },
} as const;

export interface BuiltConnector extends Connector {
  signIn(): Promise<void>;
  /** Waits for refreshed tokens to be stored (call outside page transactions). */
  settle(): Promise<void>;
}

/**
 * A connection's connector with its SDK client, signed in lazily. Refreshed tokens are sealed and
 * stored as they arrive (outside the page transaction: `settle()` before opening one).
 *
 * The CRM's SDK is loaded here, on first use (jsforce and @hubspot/api-client are ~40 MB of memory once
 * loaded): a server, or its worker thread, that never syncs a CRM never loads them.
 */
export async function buildConnector(
  deps: Deps,
  row: ConnectionRow,
  policy: RetryPolicy = defaultRetryPolicy(),
): Promise<BuiltConnector> {
  const secrets = openSecrets(deps.config, row);
  const settings = settingsOf(row);
  let pending: Promise<void> = Promise.resolve();
  const onTokens = (t: { accessToken: string; refreshToken: string | null }) => {
    pending = pending.then(() => saveTokens(deps.db, deps.config, row.id, t, deps.clock().toISOString())).catch(() => {});
  };
  if (row.crm === "salesforce") {
    const [{ salesforceClient }, { salesforceConnector }] = await Promise.all([
      import("./salesforce/client"),
      import("./salesforce/sync"),
    ]);
    const client = salesforceClient(
      {
        kind: row.auth_kind as "oauth" | "password" | "jwt",
        loginUrl: row.login_url ?? DEFAULT_URLS.salesforce.loginUrl,
        instanceUrl: row.base_url || null,
        clientId: row.client_id ?? "",
        clientSecret: secrets.clientSecret ?? null,
        redirectUri: redirectUri(deps),
        username: row.username,
        password: secrets.password ?? null,
        securityToken: secrets.securityToken ?? null,
        privateKey: secrets.privateKey ?? null,
        accessToken: secrets.accessToken ?? null,
        refreshToken: secrets.refreshToken ?? null,
      },
      policy,
      onTokens,
    );
    return { ...salesforceConnector(client, settings), signIn: () => client.signIn(), settle: () => pending };
  }
  const [{ hubspotClient }, { hubspotConnector }] = await Promise.all([import("./hubspot/client"), import("./hubspot/sync")]);
  const client = hubspotClient(
    {
      kind: row.auth_kind as "oauth" | "private_app",
      baseUrl: row.base_url || DEFAULT_URLS.hubspot.baseUrl,
      clientId: row.client_id,
      clientSecret: secrets.clientSecret ?? null,
      accessToken: secrets.accessToken ?? null,
      refreshToken: secrets.refreshToken ?? null,
    },
    policy,
    onTokens,
  );
  return { ...hubspotConnector(client, settings), signIn: () => client.signIn(), settle: () => pending };
}

import { createSign } from "node:crypto";
import jsforce from "jsforce";
import { ConnectorError, type RetryPolicy, withRetries } from "../errors";

/**
 * The only file that imports jsforce. It signs in (OAuth web server flow tokens, username-password,
 * JWT bearer), pages SOQL with `nextRecordsUrl`, writes records, and turns jsforce's errors into
 * ConnectorErrors. jsforce refreshes an expired session by itself (OAuth refresh token, username-
 * password re-login, or our JWT refresh function) and retries the request once; it also retries GETs
 * on 5xx with its own backoff, under our capped retries.
 */
export interface SalesforceAuth {
  kind: "oauth" | "password" | "jwt";
  loginUrl: string;
  /** Overrides the instance URL the token endpoint returns (sandboxes, proxies, tests). */
  instanceUrl: string | null;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string | null;
  username: string | null;
  password: string | null;
  securityToken: string | null;
  privateKey: string | null;
  accessToken: string | null;
  refreshToken: string | null;
}

export interface QueryPage<R> {
  records: R[];
  /** nextRecordsUrl; null when this was the last page. */
  next: string | null;
}

export const SF_API_VERSION = "59.0";
/** REST query page size: Salesforce's maximum (Sforce-Query-Options batchSize, 200–2000). */
export const SF_BATCH_SIZE = 2000;

type Conn = InstanceType<typeof jsforce.Connection>;

export function toConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { name?: string; errorCode?: string; message?: string; code?: string };
  const code = e.errorCode ?? e.name ?? "";
  const msg = `${code}: ${e.message ?? String(err)}`;
  // jsforce wraps a refused refresh as "Unable to refresh session due to: <reason>" (the grant was revoked).
  if (/^Unable to refresh session/.test(e.message ?? ""))
    return new ConnectorError(
      "auth",
      `Salesforce refused to refresh the session (invalid_grant: ${e.message?.replace(/^.*due to:\s*/, "")}). Sign in again.`,
      null,
      "invalid_grant",
    );
  if (/^(invalid_grant|invalid_client_id|invalid_client|INVALID_SESSION_ID|INVALID_AUTH_HEADER|inactive_user)$/.test(code))
    return new ConnectorError("auth", `Salesforce refused the sign-in (${msg}).`, null, code);
  if (code === "REQUEST_LIMIT_EXCEEDED")
    return new ConnectorError("rate_limited", `Salesforce API request limit exceeded (${msg}).`, 15 * 60_000, code);
  if (code === "ERROR_HTTP_429") return new ConnectorError("rate_limited", `Salesforce rate limit (${msg}).`, null, code);
  if (
    /^ERROR_HTTP_5\d\d$/.test(code) ||
    code === "SERVER_UNAVAILABLE" ||
    e.name === "FetchError" ||
    /^E[A-Z]+$/.test(e.code ?? "")
  )
    return new ConnectorError("transient", `Salesforce is unavailable (${msg}).`, null, code);
  return new ConnectorError("permanent", `Salesforce: ${msg}`, null, code);
}

/** A JWT bearer assertion (RS256) for `username`, valid 3 minutes (Salesforce's limit). */
export function jwtAssertion(clientId: string, username: string, audience: string, privateKey: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = `${b64({ alg: "RS256" })}.${b64({ iss: clientId, sub: username, aud: audience, exp: Math.floor(Date.now() / 1000) + 180 })}`;
  return `${head}.${createSign("RSA-SHA256").update(head).sign(privateKey).toString("base64url")}`;
}

export interface SalesforceClient {
  signIn(): Promise<void>;
  identity(): Promise<string>;
  query<R>(soql: string, opts?: { all?: boolean }): Promise<QueryPage<R>>;
  queryMore<R>(next: string): Promise<QueryPage<R>>;
  update(type: string, id: string, fields: Record<string, unknown>): Promise<void>;
  /**
   * Creates a record. Not repeated on a 5xx or a network failure by default: Salesforce may have
   * created it before the answer was lost, so the caller checks before trying again.
   */
  create(type: string, fields: Record<string, unknown>, opts?: { retry?: boolean }): Promise<string>;
  calls(): number;
  /** The tokens now in use (after a sign-in or a refresh), to store encrypted. */
  tokens(): { accessToken: string | null; refreshToken: string | null; instanceUrl: string | null };
}

export function salesforceClient(
  auth: SalesforceAuth,
  policy: RetryPolicy,
  onTokens: (t: { accessToken: string; refreshToken: string | null }) => void = () => {},
): SalesforceClient {
  let calls = 0;
  const oauth2 = {
    loginUrl: auth.loginUrl,
    clientId: auth.clientId,
    ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
    ...(auth.redirectUri ? { redirectUri: auth.redirectUri } : {}),
  };
  const jwtRefresh = async (c: Conn, callback: (err?: Error, token?: string) => void) => {
    try {
      await c.authorize({
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: jwtAssertion(auth.clientId, auth.username ?? "", auth.loginUrl, auth.privateKey ?? ""),
      });
      callback(undefined, c.accessToken ?? undefined);
    } catch (err) {
      callback(err as Error);
    }
  };
  const conn: Conn = new jsforce.Connection({
    version: SF_API_VERSION,
    loginUrl: auth.loginUrl,
    oauth2,
    ...(auth.accessToken ? { accessToken: auth.accessToken } : {}),
    ...(auth.refreshToken ? { refreshToken: auth.refreshToken } : {}),
    ...(auth.instanceUrl ? { instanceUrl: auth.instanceUrl } : {}),
    ...(auth.kind === "jwt" ? { refreshFn: jwtRefresh as never } : {}),
  });
  const pin = () => {
    if (auth.instanceUrl) conn.instanceUrl = auth.instanceUrl;
  };
  conn.on("refresh", (accessToken: string) => {
    calls++;
    pin();
    onTokens({ accessToken, refreshToken: conn.refreshToken ?? null });
  });
  const call = <T>(fn: () => Promise<T>, p: RetryPolicy = policy): Promise<T> =>
    withRetries(p, async () => {
      calls++;
      try {
        return await fn();
      } catch (err) {
        throw toConnectorError(err);
      }
    });
  const headers = { "Sforce-Query-Options": `batchSize=${SF_BATCH_SIZE}` };
  const toPage = <R>(r: { records: unknown[]; nextRecordsUrl?: string; done?: boolean }): QueryPage<R> => ({
    records: r.records as R[],
    next: r.done === false && r.nextRecordsUrl ? r.nextRecordsUrl : null,
  });

  return {
    async signIn() {
      if (auth.kind === "password") {
        await call(() => conn.login(auth.username ?? "", `${auth.password ?? ""}${auth.securityToken ?? ""}`));
      } else if (auth.kind === "jwt") {
        await call(() =>
          conn.authorize({
            grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
            assertion: jwtAssertion(auth.clientId, auth.username ?? "", auth.loginUrl, auth.privateKey ?? ""),
          }),
        );
      } else if (!conn.accessToken) {
        if (!auth.refreshToken)
          throw new ConnectorError("auth", "Not signed in to Salesforce yet: click Sign in on the Connections screen.");
        await call(() => conn.oauth2.refreshToken(auth.refreshToken!)).then((res) => {
          conn.accessToken = res.access_token;
          if (!auth.instanceUrl) conn.instanceUrl = res.instance_url;
        });
      }
      pin();
      if (conn.accessToken) onTokens({ accessToken: conn.accessToken, refreshToken: conn.refreshToken ?? null });
    },
    async identity() {
      const id = await call(() => conn.identity());
      return `${id.username} (${id.display_name ?? id.user_id}, org ${id.organization_id})`;
    },
    query: <R>(soql: string, opts: { all?: boolean } = {}) =>
      call(async () =>
        toPage<R>(await conn.query(soql, { scanAll: opts.all === true, autoFetch: false, headers, maxFetch: SF_BATCH_SIZE })),
      ),
    queryMore: <R>(next: string) => call(async () => toPage<R>(await conn.queryMore(next, { headers } as never))),
    async update(type, id, fields) {
      const r = await call(() => conn.sobject(type).update({ Id: id, ...fields }));
      if (!r.success)
        throw new ConnectorError("permanent", `Salesforce refused the update of ${type} ${id}: ${JSON.stringify(r.errors)}`);
    },
    async create(type, fields, opts = {}) {
      const r = await call(() => conn.sobject(type).create(fields), opts.retry === true ? policy : { ...policy, attempts: 1 });
      if (!r.success || !r.id)
        throw new ConnectorError("permanent", `Salesforce refused to create ${type}: ${JSON.stringify(r.errors)}`);
      return r.id;
    },
    calls: () => calls,
    tokens: () => ({
      accessToken: conn.accessToken ?? null,
      refreshToken: conn.refreshToken ?? null,
      instanceUrl: conn.instanceUrl ?? null,
    }),
  };
}

/** The authorize URL of the web server flow with PKCE, and the verifier to keep until the callback. */
export function salesforceAuthorizeUrl(
  auth: { loginUrl: string; clientId: string; redirectUri: string },
  state: string,
): { url: string; verifier: string } {
  const oauth2 = new jsforce.OAuth2({ ...auth, useVerifier: true });
  const url = oauth2.getAuthorizationUrl({ state, scope: "api refresh_token" });
  return { url, verifier: oauth2.codeVerifier as string };
}

/** Exchanges the callback's code (with the PKCE verifier) for tokens. */
export async function salesforceExchangeCode(
  auth: { loginUrl: string; clientId: string; clientSecret: string | null; redirectUri: string },
  code: string,
  verifier: string,
): Promise<{ accessToken: string; refreshToken: string | null; instanceUrl: string }> {
  const oauth2 = new jsforce.OAuth2({
    loginUrl: auth.loginUrl,
    clientId: auth.clientId,
    redirectUri: auth.redirectUri,
    ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
  });
  oauth2.codeVerifier = verifier;
  try {
    const res = await oauth2.requestToken(code);
    return { accessToken: res.access_token, refreshToken: res.refresh_token ?? null, instanceUrl: res.instance_url };
  } catch (err) {
    throw toConnectorError(err);
  }
}

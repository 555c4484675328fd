import { Client } from "@hubspot/api-client";
import { ConnectorError, type RetryPolicy, retryAfterMs, withRetries } from "../errors";

/**
 * The only file that imports @hubspot/api-client. CRM v3 objects (search, archived pages, update),
 * associations v4 batch reads, owners, OAuth v1 tokens; `apiRequest` (the SDK's own authenticated
 * call) for the legacy email-events and account-info endpoints the typed clients lack. The SDK's
 * retries stay off (they wait a fixed time and ignore Retry-After, for every client in the process);
 * ours honour Retry-After and back off on 5xx. An expired OAuth token is refreshed once and the call
 * repeated; a refused refresh means the connection needs a new sign-in.
 */
export interface HubspotAuth {
  kind: "oauth" | "private_app";
  baseUrl: string;
  clientId: string | null;
  clientSecret: string | null;
  accessToken: string | null;
  refreshToken: string | null;
}

export interface HsObject {
  id: string;
  properties: Record<string, string | null>;
  updatedAt: Date;
  archivedAt?: Date;
}

export interface HsPage<T> {
  results: T[];
  after: string | null;
  total?: number;
}

export interface HsAssociation {
  toId: string;
  labels: string[];
  typeIds: number[];
}

/** A form submission as the Forms API v1 lists it. */
export interface HsFormSubmission {
  conversionId: string;
  submittedAt: number;
  values: Array<{ name: string; value: string; objectTypeId?: string }>;
  pageUrl?: string;
}

/** Forms v3 list pages; submissions pages hold at most 50 (the Forms API v1 maximum). */
export const HS_FORMS_LIMIT = 100;
export const HS_SUBMISSIONS_LIMIT = 50;

/** Search pages hold at most 200 records; list pages 100; associations v4 batch reads 1 000 ids. */
export const HS_SEARCH_LIMIT = 200;
export const HS_LIST_LIMIT = 100;
export const HS_ASSOC_BATCH = 1000;
/** A search query returns at most 10 000 results (HubSpot CRM search limits). */
export const HS_SEARCH_MAX = 10_000;

export function toConnectorError(err: unknown, what: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = err as { code?: number | string; body?: unknown; headers?: Record<string, string>; message?: string; name?: string };
  const status = typeof e.code === "number" ? e.code : null;
  const body = e.body as { message?: string; category?: string; status?: string } | undefined;
  const detail = body?.message ?? e.message?.split("\n")[0] ?? String(err);
  if (status === 429)
    return new ConnectorError(
      "rate_limited",
      `HubSpot rate limit on ${what} (${detail}).`,
      retryAfterMs(e.headers?.["retry-after"] ?? null),
      "429",
    );
  if (status === 401) return new ConnectorError("auth", `HubSpot refused the token on ${what} (${detail}).`, null, "401");
  if (status !== null && status >= 500)
    return new ConnectorError(
      "transient",
      `HubSpot is unavailable on ${what} (HTTP ${status}: ${detail}).`,
      null,
      String(status),
    );
  if (status === null && (e.name === "FetchError" || /ECONN|ETIMEDOUT|socket/i.test(e.message ?? "")))
    return new ConnectorError("transient", `HubSpot could not be reached on ${what} (${e.message}).`, null, "network");
  return new ConnectorError(
    "permanent",
    `HubSpot refused ${what} (HTTP ${status ?? "?"}: ${detail}).`,
    null,
    status === null ? null : String(status),
  );
}

export interface HubspotClient {
  signIn(): Promise<void>;
  accountInfo(): Promise<string>;
  owners(
    after: string | null,
  ): Promise<HsPage<{ id: string; firstName?: string; lastName?: string; email?: string; archived?: boolean; updatedAt?: Date }>>;
  search(objectType: string, properties: string[], sinceMs: number | null, after: string | null): Promise<HsPage<HsObject>>;
  archived(objectType: string, properties: string[], after: string | null): Promise<HsPage<HsObject>>;
  associations(from: string, to: string, ids: string[]): Promise<Map<string, HsAssociation[]>>;
  update(objectType: string, id: string, properties: Record<string, string>): Promise<void>;
  emailEvents(startMs: number, offset: string | null): Promise<{ events: Array<Record<string, unknown>>; offset: string | null }>;
  /** HubSpot forms (Marketing Forms v3), `HS_FORMS_LIMIT` a page. */
  forms(after: string | null): Promise<HsPage<{ id: string; name: string }>>;
  /** One form's submissions, newest first (Forms API v1 `submissions/forms/{guid}`), 50 a page. */
  formSubmissions(formId: string, after: string | null): Promise<HsPage<HsFormSubmission>>;
  calls(): number;
}

export function hubspotClient(
  auth: HubspotAuth,
  policy: RetryPolicy,
  onTokens: (t: { accessToken: string; refreshToken: string | null }) => void = () => {},
): HubspotClient {
  let calls = 0;
  let accessToken = auth.accessToken;
  let refreshToken = auth.refreshToken;
  const client = new Client({ basePath: auth.baseUrl, ...(accessToken ? { accessToken } : {}), numberOfApiCallRetries: 0 });

  async function refresh(): Promise<void> {
    if (auth.kind !== "oauth" || !refreshToken || !auth.clientId || !auth.clientSecret)
      throw new ConnectorError("auth", "HubSpot refused the access token and there is no refresh token: sign in again.");
    calls++;
    try {
      const t = await client.oauth.tokensApi.create(
        "refresh_token",
        undefined,
        undefined,
        auth.clientId,
        auth.clientSecret,
        refreshToken,
      );
      accessToken = t.accessToken;
      refreshToken = t.refreshToken ?? refreshToken;
      client.setAccessToken(accessToken);
      onTokens({ accessToken, refreshToken });
    } catch (err) {
      const e = toConnectorError(err, "the token refresh");
      throw e.kind === "permanent" || e.kind === "auth"
        ? new ConnectorError(
            "auth",
            `HubSpot refused the refresh token, so the app's access was revoked or expired (${e.message}). Sign in again.`,
            null,
            "invalid_grant",
          )
        : e;
    }
  }

  /** One SDK call with our retries; on 401 with OAuth: refresh, then try once more. */
  const call = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    withRetries(policy, async () => {
      const once = async () => {
        calls++;
        try {
          return await fn();
        } catch (err) {
          throw toConnectorError(err, what);
        }
      };
      try {
        return await once();
      } catch (err) {
        if (!(err instanceof ConnectorError) || err.vendorCode !== "401" || auth.kind !== "oauth") throw err;
        await refresh();
        return once();
      }
    });

  const raw = async (what: string, path: string) =>
    call(what, async () => {
      const res = await client.apiRequest({ method: "GET", path });
      if (res.status >= 400) {
        const body = (await res.json().catch(() => ({}))) as unknown;
        throw Object.assign(new Error(`HTTP ${res.status}`), {
          code: res.status,
          body,
          headers: Object.fromEntries(res.headers.entries()),
        });
      }
      return (await res.json()) as Record<string, unknown>;
    });

  const page = (r: { results: unknown[]; paging?: { next?: { after?: string } }; total?: number }) => ({
    results: r.results,
    after: r.paging?.next?.after ?? null,
    ...(r.total !== undefined ? { total: r.total } : {}),
  });

  return {
    async signIn() {
      if (!accessToken) {
        if (auth.kind === "oauth" && refreshToken) await refresh();
        else throw new ConnectorError("auth", "Not signed in to HubSpot yet: click Sign in on the Connections screen.");
      }
    },
    async accountInfo() {
      const info = await raw("the account details", "/account-info/v3/details");
      return `HubSpot account ${String(info.portalId ?? "?")}${info.companyCurrency ? ` (${String(info.companyCurrency)})` : ""}`;
    },
    owners: (after) =>
      call("owners", async () => page(await client.crm.owners.ownersApi.getPage(undefined, after ?? undefined, 500)) as never),
    search: (objectType, properties, sinceMs, after) => {
      const modified = objectType === "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
      return call(
        `${objectType} search`,
        async () =>
          page(
            await client.crm.objects.searchApi.doSearch(objectType, {
              filterGroups:
                sinceMs === null
                  ? []
                  : [{ filters: [{ propertyName: modified, operator: "GTE" as never, value: String(sinceMs) }] }],
              // Ascending by modification time, then id, so a window can restart at the last time seen.
              sorts: [
                { propertyName: modified, direction: "ASCENDING" },
                { propertyName: "hs_object_id", direction: "ASCENDING" },
              ] as never,
              properties,
              limit: HS_SEARCH_LIMIT,
              ...(after ? { after } : {}),
            } as never),
          ) as never,
      );
    },
    archived: (objectType, properties, after) =>
      call(
        `archived ${objectType}`,
        async () =>
          page(
            await client.crm.objects.basicApi.getPage(
              objectType,
              HS_LIST_LIMIT,
              after ?? undefined,
              properties,
              undefined,
              undefined,
              true,
            ),
          ) as never,
      ),
    async associations(from, to, ids) {
      const out = new Map<string, HsAssociation[]>();
      for (let i = 0; i < ids.length; i += HS_ASSOC_BATCH) {
        const inputs = ids.slice(i, i + HS_ASSOC_BATCH).map((id) => ({ id }));
        const res = await call(`${from}→${to} associations`, () =>
          client.crm.associations.v4.batchApi.getPage(from, to, { inputs }),
        );
        for (const r of res.results) {
          out.set(
            r._from.id,
            r.to.map((t) => ({
              toId: String(t.toObjectId),
              labels: t.associationTypes.flatMap((a) => (a.label ? [a.label] : [])),
              typeIds: t.associationTypes.map((a) => a.typeId),
            })),
          );
        }
      }
      return out;
    },
    async update(objectType, id, properties) {
      await call(`the ${objectType} update`, () => client.crm.objects.basicApi.update(objectType, id, { properties }));
    },
    async emailEvents(startMs, offset) {
      const q = new URLSearchParams({ startTimestamp: String(startMs), limit: "1000" });
      if (offset) q.set("offset", offset);
      const r = await raw("marketing email events", `/email/public/v1/events?${q}`);
      return { events: (r.events as Array<Record<string, unknown>>) ?? [], offset: r.hasMore ? String(r.offset) : null };
    },
    forms: (after) =>
      call("the forms list", async () => {
        const r = await client.marketing.forms.formsApi.getPage(after ?? undefined, HS_FORMS_LIMIT);
        return {
          results: r.results.map((f) => ({ id: String(f.id), name: String(f.name ?? "") })),
          after: r.paging?.next?.after ?? null,
        };
      }),
    async formSubmissions(formId, after) {
      const q = new URLSearchParams({ limit: String(HS_SUBMISSIONS_LIMIT) });
      if (after) q.set("after", after);
      const r = await raw("form submissions", `/form-integrations/v1/submissions/forms/${encodeURIComponent(formId)}?${q}`);
      const paging = r.paging as { next?: { after?: string } } | undefined;
      return { results: (r.results as HsFormSubmission[]) ?? [], after: paging?.next?.after ?? null };
    },
    calls: () => calls,
  };
}

/** HubSpot's authorize URL (app.hubspot.com, or the connection's OAuth host); HubSpot apps use the client secret, not PKCE. */
export function hubspotAuthorizeUrl(opts: {
  loginUrl: string | null;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const client = new Client();
  const url = new URL(
    client.oauth.getAuthorizationUrl(
      opts.clientId,
      opts.redirectUri,
      "crm.objects.contacts.read crm.objects.contacts.write crm.objects.companies.read crm.objects.deals.read crm.objects.owners.read sales-email-read content forms",
      undefined,
      opts.state,
    ),
  );
  if (opts.loginUrl) {
    const host = new URL(opts.loginUrl);
    url.protocol = host.protocol;
    url.host = host.host;
  }
  return url.toString();
}

export async function hubspotExchangeCode(
  opts: { baseUrl: string; clientId: string; clientSecret: string; redirectUri: string },
  code: string,
): Promise<{ accessToken: string; refreshToken: string | null }> {
  const client = new Client({ basePath: opts.baseUrl });
  try {
    const t = await client.oauth.tokensApi.create("authorization_code", code, opts.redirectUri, opts.clientId, opts.clientSecret);
    return { accessToken: t.accessToken, refreshToken: t.refreshToken ?? null };
  } catch (err) {
    const e = toConnectorError(err, "the code exchange");
    throw new ConnectorError("auth", e.message, null, e.vendorCode);
  }
}

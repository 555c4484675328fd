/**
 * A contract-faithful fake of the HubSpot APIs the connector uses, on loopback, for
 * @hubspot/api-client (pointed at it with `basePath`):
 * - CRM API v3 objects: `POST /crm/v3/objects/{type}/search` (filterGroups/sorts/properties,
 *   `limit` ≤ 200, `paging.next.after`, at most 10 000 results per query: an `after` past that is a
 *   400 VALIDATION_ERROR), `GET /crm/v3/objects/{type}?archived=true` (limit ≤ 100, `archivedAt`),
 *   `PATCH /crm/v3/objects/{type}/{id}`; record shape `{ id, properties, createdAt, updatedAt, archived }`
 *   with every property value a string; `hs_merged_object_ids` on a merge's winner.
 * - Associations v4: `POST /crm/v4/associations/{from}/{to}/batch/read` (`{ status, results: [{ from, to:
 *   [{ toObjectId, associationTypes: [{ category, typeId, label }] }] }] }`).
 * - Owners v3 `GET /crm/v3/owners`, account info `GET /account-info/v3/details`, Email Events API
 *   `GET /email/public/v1/events` (`events`, `hasMore`, `offset`).
 * - Forms: Marketing Forms v3 `GET /marketing/v3/forms/` (form definitions: `id`, `name`, `formType`,
 *   `createdAt`, `updatedAt`, `archived`, `fieldGroups`, `configuration`, `displayOptions`,
 *   `legalConsentOptions`; `after`/`limit` paging; HubSpot forms only unless `formTypes`), and the Forms
 *   API v1 "Get submissions for a form" `GET /form-integrations/v1/submissions/forms/{form_guid}`
 *   (newest first, `limit` 1–50, default 20, `paging.next.after`; results `{ conversionId, submittedAt,
 *   values: [{ name, value, objectTypeId }], pageUrl }`; an unknown guid is a 404).
 * - OAuth v1: `GET /oauth/authorize` (redirects with `code`), `POST /oauth/v1/token`
 *   (authorization_code, refresh_token; 400 BAD_REFRESH_TOKEN / BAD_AUTH_CODE); private-app tokens.
 * - Errors `{ status: "error", message, category, correlationId }`: 401 EXPIRED_AUTHENTICATION /
 *   INVALID_AUTHENTICATION, 429 RATE_LIMIT with `Retry-After`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { type FakeRequest, type FakeServer, type Reply, startFake } from "../http";

export interface HsRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface HubspotFake extends FakeServer {
  objects: Map<string, Map<string, HsRecord>>;
  /** Adds or changes a record; its modification time moves to `at`. */
  upsert(type: string, properties: Record<string, string | null>, at?: Date, id?: string): HsRecord;
  archive(type: string, id: string, at?: Date): void;
  /** A merge: `loser` is archived, `winner` lists it in hs_merged_object_ids. */
  merge(type: string, winner: string, loser: string, at?: Date): void;
  associate(from: string, fromId: string, to: string, toId: string, typeId: number, label?: string | null): void;
  owners: Array<{ id: string; email: string; firstName: string; lastName: string; archived: boolean }>;
  emailEvents: Array<Record<string, unknown>>;
  /** Adds a HubSpot form; returns its guid. */
  addForm(name: string): string;
  /** A submission of a form at `at` with these field values (e.g. `{ email }`); returns its conversion id. */
  submitForm(formId: string, values: Record<string, string>, at?: Date, pageUrl?: string): string;
  privateAppTokens: Set<string>;
  apps: Map<string, { clientSecret: string }>;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  /** The highest `after` a search was asked for (the 10 000-result windowing test reads it). */
  maxAfter: number;
  searches: number;
}

const MOD: Record<string, string> = { contacts: "lastmodifieddate" };
const modProp = (type: string) => MOD[type] ?? "hs_lastmodifieddate";

export async function startHubspotFake(options: { port?: number } = {}): Promise<HubspotFake> {
  const objects = new Map<string, Map<string, HsRecord>>();
  const assoc = new Map<string, Map<string, Array<{ toId: string; typeId: number; label: string | null }>>>();
  const owners: HubspotFake["owners"] = [];
  const emailEvents: Array<Record<string, unknown>> = [];
  const forms = new Map<
    string,
    {
      name: string;
      createdAt: string;
      submissions: Array<{ conversionId: string; submittedAt: number; values: Array<Record<string, string>>; pageUrl: string }>;
    }
  >();
  const privateAppTokens = new Set<string>();
  const apps = new Map<string, { clientSecret: string }>();
  const access = new Set<string>();
  const refresh = new Set<string>();
  const codes = new Map<string, { clientId: string; redirectUri: string }>();
  let nextId = 1000;
  const state = { maxAfter: 0, searches: 0 };
  const table = (t: string) => {
    let m = objects.get(t);
    if (!m) {
      m = new Map();
      objects.set(t, m);
    }
    return m;
  };
  const error = (status: number, category: string, message: string, headers?: Record<string, string>): Reply => ({
    status,
    body: { status: "error", message, correlationId: randomUUID(), category },
    headers,
  });
  const issue = () => {
    const a = `CO${randomBytes(20).toString("base64url")}`;
    const r = randomBytes(18).toString("hex");
    access.add(a);
    refresh.add(r);
    return { access_token: a, refresh_token: r, expires_in: 1800, token_type: "bearer" };
  };
  const authorized = (req: FakeRequest) => {
    const h = String(req.headers.authorization ?? "");
    const t = h.startsWith("Bearer ") ? h.slice(7) : "";
    if (privateAppTokens.has(t) || access.has(t)) return null;
    return t.startsWith("CO") && !access.has(t)
      ? error(401, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired 1 minute(s) ago.")
      : error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports OAuth 2.0 authentication.");
  };
  const view = (r: HsRecord, props: string[] | null) => ({
    id: r.id,
    properties: props
      ? Object.fromEntries(["hs_object_id", "createdate", ...props].map((p) => [p, r.properties[p] ?? null]))
      : r.properties,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archived: r.archived,
    ...(r.archivedAt ? { archivedAt: r.archivedAt } : {}),
  });

  function search(type: string, body: any): Reply {
    state.searches++;
    const limit = Number(body?.limit ?? 10);
    if (limit > 200) return error(400, "VALIDATION_ERROR", "limit must be at most 200");
    const after = Number(body?.after ?? 0);
    state.maxAfter = Math.max(state.maxAfter, after);
    if (after + limit > 10_000)
      return error(
        400,
        "VALIDATION_ERROR",
        "Search results are limited to 10 000; narrow the query (after + limit must not exceed 10000).",
      );
    const mod = modProp(type);
    const filters: Array<{ propertyName: string; operator: string; value: string }> = (body?.filterGroups ?? []).flatMap(
      (g: any) => g.filters ?? [],
    );
    const rows = [...table(type).values()].filter(
      (r) =>
        !r.archived &&
        filters.every((f) => {
          const v = f.propertyName === mod ? Date.parse(r.updatedAt) : Number(r.properties[f.propertyName]);
          const want = Number(f.value);
          return f.operator === "GTE"
            ? v >= want
            : f.operator === "GT"
              ? v > want
              : f.operator === "EQ"
                ? v === want
                : f.operator === "LT"
                  ? v < want
                  : true;
        }),
    );
    rows.sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || Number(a.id) - Number(b.id));
    const page = rows.slice(after, after + limit);
    const next = after + limit < rows.length ? String(after + limit) : null;
    return {
      status: 200,
      body: {
        total: rows.length,
        results: page.map((r) => view(r, body?.properties ?? [])),
        ...(next ? { paging: { next: { after: next, link: "" } } } : {}),
      },
    };
  }

  const fake = await startFake(async (req) => {
    const path = req.url.pathname.replace(/\/+$/, "");
    const q = req.url.searchParams;
    if (path === "/oauth/authorize") {
      const clientId = q.get("client_id") ?? "";
      if (!apps.has(clientId)) return error(400, "BAD_CLIENT_ID", "unknown client_id");
      const code = randomBytes(12).toString("hex");
      codes.set(code, { clientId, redirectUri: q.get("redirect_uri") ?? "" });
      const to = new URL(q.get("redirect_uri") ?? "");
      to.searchParams.set("code", code);
      if (q.get("state")) to.searchParams.set("state", q.get("state")!);
      return { status: 302, headers: { location: to.toString() }, raw: "" };
    }
    if (path === "/oauth/v1/token" && req.method === "POST") {
      const p = req.form();
      const app = apps.get(p.get("client_id") ?? "");
      if (!app || app.clientSecret !== p.get("client_secret"))
        return { status: 400, body: { status: "BAD_CLIENT_ID", message: "missing or invalid client_id/client_secret" } };
      if (p.get("grant_type") === "authorization_code") {
        const c = codes.get(p.get("code") ?? "");
        codes.delete(p.get("code") ?? "");
        if (!c || c.redirectUri !== p.get("redirect_uri"))
          return { status: 400, body: { status: "BAD_AUTH_CODE", message: "missing or unknown auth code" } };
        return { status: 200, body: issue() };
      }
      if (p.get("grant_type") === "refresh_token") {
        const r = p.get("refresh_token") ?? "";
        if (!refresh.has(r))
          return { status: 400, body: { status: "BAD_REFRESH_TOKEN", message: "missing or unknown refresh token" } };
        const t = issue();
        refresh.delete(t.refresh_token);
        return { status: 200, body: { ...t, refresh_token: r } };
      }
      return { status: 400, body: { status: "BAD_GRANT_TYPE", message: "unsupported grant_type" } };
    }
    const denied = authorized(req);
    if (denied) return denied;
    if (path === "/account-info/v3/details")
      return {
        status: 200,
        body: { portalId: 24681357, timeZone: "Europe/Amsterdam", companyCurrency: "EUR", dataHostingLocation: "eu1" },
      };
    if (path === "/crm/v3/owners") {
      const after = Number(q.get("after") ?? 0);
      const limit = Math.min(500, Number(q.get("limit") ?? 100));
      const page = owners.slice(after, after + limit);
      const now = new Date().toISOString();
      return {
        status: 200,
        body: {
          results: page.map((o) => ({ ...o, userId: Number(o.id), createdAt: now, updatedAt: now })),
          ...(after + limit < owners.length ? { paging: { next: { after: String(after + limit) } } } : {}),
        },
      };
    }
    if (path === "/email/public/v1/events") {
      const start = Number(q.get("startTimestamp") ?? 0);
      const offset = Number(q.get("offset") ?? 0);
      const limit = Math.min(1000, Number(q.get("limit") ?? 100));
      const rows = emailEvents.filter((e) => Number(e.created) >= start).sort((a, b) => Number(a.created) - Number(b.created));
      const page = rows.slice(offset, offset + limit);
      return { status: 200, body: { events: page, hasMore: offset + limit < rows.length, offset: String(offset + limit) } };
    }
    if (path === "/marketing/v3/forms" && req.method === "GET") {
      const after = Number(q.get("after") ?? 0);
      const limit = Math.min(500, Number(q.get("limit") ?? 20));
      const rows = [...forms.entries()];
      return {
        status: 200,
        body: {
          results: rows.slice(after, after + limit).map(([id, f]) => ({
            id,
            name: f.name,
            formType: "hubspot",
            createdAt: f.createdAt,
            updatedAt: f.createdAt,
            archived: false,
            fieldGroups: [
              {
                groupType: "default_group",
                richTextType: "text",
                fields: [
                  {
                    objectTypeId: "0-1",
                    name: "email",
                    label: "Email",
                    required: true,
                    hidden: false,
                    fieldType: "email",
                    validation: { blockedEmailDomains: [], useDefaultBlockList: false },
                  },
                ],
              },
            ],
            configuration: {
              language: "en",
              cloneable: true,
              postSubmitAction: { type: "thank_you", value: "Thanks for submitting the form." },
              editable: true,
              archivable: true,
              recaptchaEnabled: false,
              notifyContactOwner: false,
              notifyRecipients: [],
              createNewContactForNewEmail: false,
              prePopulateKnownValues: true,
              allowLinkToResetKnownValues: false,
              lifecycleStages: [],
            },
            displayOptions: {
              renderRawHtml: false,
              theme: "default_style",
              submitButtonText: "Submit",
              style: {},
              cssClass: "",
            },
            legalConsentOptions: { type: "none" },
          })),
          ...(after + limit < rows.length ? { paging: { next: { after: String(after + limit), link: "" } } } : {}),
        },
      };
    }
    const subs = /^\/form-integrations\/v1\/submissions\/forms\/([\w-]+)$/.exec(path);
    if (subs && req.method === "GET") {
      const f = forms.get(subs[1]!);
      if (!f) return error(404, "OBJECT_NOT_FOUND", `Form ${subs[1]} does not exist`);
      const limit = Number(q.get("limit") ?? 20);
      if (!(limit >= 1 && limit <= 50)) return error(400, "VALIDATION_ERROR", "limit must be between 1 and 50");
      const after = Number(q.get("after") ?? 0);
      const rows = [...f.submissions].sort((a, b) => b.submittedAt - a.submittedAt);
      return {
        status: 200,
        body: {
          results: rows.slice(after, after + limit),
          ...(after + limit < rows.length
            ? { paging: { next: { after: String(after + limit), link: `${path}?after=${after + limit}` } } }
            : {}),
        },
      };
    }
    const a4 = /^\/crm\/v4\/associations\/(\w+)\/(\w+)\/batch\/read$/.exec(path);
    if (a4 && req.method === "POST") {
      const m = assoc.get(`${a4[1]}|${a4[2]}`) ?? new Map();
      const inputs: Array<{ id: string }> = req.json()?.inputs ?? [];
      if (inputs.length > 1000) return error(400, "VALIDATION_ERROR", "at most 1000 inputs");
      const now = new Date().toISOString();
      return {
        status: 200,
        body: {
          status: "COMPLETE",
          results: inputs
            .filter((i) => m.has(i.id))
            .map((i) => ({
              from: { id: i.id },
              to: m.get(i.id).map((t: { toId: string; typeId: number; label: string | null }) => ({
                toObjectId: Number(t.toId),
                associationTypes: [{ category: "HUBSPOT_DEFINED", typeId: t.typeId, label: t.label }],
              })),
            })),
          startedAt: now,
          completedAt: now,
        },
      };
    }
    const s = /^\/crm\/v3\/objects\/(\w+)\/search$/.exec(path);
    if (s && req.method === "POST") return search(s[1]!, req.json());
    const one = /^\/crm\/v3\/objects\/(\w+)\/(\d+)$/.exec(path);
    if (one && req.method === "PATCH") {
      const r = table(one[1]!).get(one[2]!);
      if (!r || r.archived) return error(404, "OBJECT_NOT_FOUND", `resource not found`);
      const props = (req.json()?.properties ?? {}) as Record<string, string>;
      const updated = api.upsert(one[1]!, props, new Date(), one[2]!);
      return { status: 200, body: view(updated, null) };
    }
    const list = /^\/crm\/v3\/objects\/(\w+)$/.exec(path);
    if (list && req.method === "GET") {
      const archived = q.get("archived") === "true";
      const after = Number(q.get("after") ?? 0);
      const limit = Math.min(100, Number(q.get("limit") ?? 10));
      const rows = [...table(list[1]!).values()]
        .filter((r) => r.archived === archived)
        .sort((a, b) => Number(a.id) - Number(b.id));
      const props = q.getAll("properties").flatMap((p) => p.split(","));
      return {
        status: 200,
        body: {
          results: rows.slice(after, after + limit).map((r) => view(r, props)),
          ...(after + limit < rows.length ? { paging: { next: { after: String(after + limit), link: "" } } } : {}),
        },
      };
    }
    return error(404, "OBJECT_NOT_FOUND", `no route ${req.method} ${path}`);
  }, options);

  const api = {
    upsert(type: string, properties: Record<string, string | null>, at = new Date(), id?: string): HsRecord {
      const t = table(type);
      const key = id ?? String(nextId++);
      const prev = t.get(key);
      const iso = at.toISOString();
      const r: HsRecord = {
        id: key,
        properties: { ...prev?.properties, ...properties, hs_object_id: key, [modProp(type)]: iso },
        createdAt: prev?.createdAt ?? iso,
        updatedAt: iso,
        archived: false,
      };
      t.set(key, r);
      return r;
    },
  };

  return Object.assign(fake, {
    objects,
    upsert: api.upsert,
    archive(type: string, id: string, at = new Date()) {
      const r = table(type).get(id);
      if (r) Object.assign(r, { archived: true, archivedAt: at.toISOString() });
    },
    merge(type: string, winner: string, loser: string, at = new Date()) {
      const w = table(type).get(winner);
      const merged = [w?.properties.hs_merged_object_ids, loser].filter(Boolean).join(";");
      api.upsert(type, { hs_merged_object_ids: merged }, at, winner);
      const l = table(type).get(loser);
      if (l) Object.assign(l, { archived: true, archivedAt: at.toISOString() });
    },
    associate(from: string, fromId: string, to: string, toId: string, typeId: number, label: string | null = null) {
      for (const [a, aId, b, bId] of [
        [from, fromId, to, toId],
        [to, toId, from, fromId],
      ] as const) {
        let m = assoc.get(`${a}|${b}`);
        if (!m) {
          m = new Map();
          assoc.set(`${a}|${b}`, m);
        }
        m.set(aId, [...(m.get(aId) ?? []).filter((x) => x.toId !== bId), { toId: bId, typeId, label }]);
      }
    },
    owners,
    emailEvents,
    addForm(name: string) {
      const id = randomUUID();
      forms.set(id, { name, createdAt: new Date().toISOString(), submissions: [] });
      return id;
    },
    submitForm(formId: string, values: Record<string, string>, at = new Date(), pageUrl = "https://www.acme.example/contact") {
      const f = forms.get(formId);
      if (!f) throw new Error(`no form ${formId}`);
      const conversionId = randomUUID();
      f.submissions.push({
        conversionId,
        submittedAt: at.getTime(),
        values: Object.entries(values).map(([name, value]) => ({ name, value, objectTypeId: "0-1" })),
        pageUrl,
      });
      return conversionId;
    },
    privateAppTokens,
    apps,
    expireAccessTokens: () => access.clear(),
    revokeRefreshTokens: () => refresh.clear(),
    get maxAfter() {
      return state.maxAfter;
    },
    get searches() {
      return state.searches;
    },
  }) as HubspotFake;
}

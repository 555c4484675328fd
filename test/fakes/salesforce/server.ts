/**
 * A contract-faithful fake of the Salesforce APIs the connector uses, on loopback, for jsforce:
 * - REST API Developer Guide (v59.0): `GET /services/data/vXX.X/query?q=` and `/queryAll?q=`
 *   ("Execute a SOQL Query", "QueryAll"), `nextRecordsUrl` paging with `Sforce-Query-Options:
 *   batchSize` (200–2000, default 2000), `GET /query/<locator>`, `PATCH`/`POST /sobjects/<Type>[/<Id>]`,
 *   record `attributes`, `Sforce-Limit-Info`, error bodies `[{ "message", "errorCode" }]` with 401
 *   INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED, 400 INVALID_QUERY_LOCATOR / MALFORMED_QUERY.
 * - OAuth 2.0 (Salesforce Help "OAuth Authorization Flows"): web server flow with PKCE
 *   (`/services/oauth2/authorize` → redirect with `code`, `/services/oauth2/token` with
 *   `code_verifier`), refresh token flow, username-password flow, JWT bearer flow; errors
 *   `{ "error": "invalid_grant", "error_description": … }`; the identity URL `/id/<org>/<user>`.
 * Data lives in memory; tests seed it and change it (records get a new SystemModstamp, deletes set
 * IsDeleted, merges set MasterRecordId) and inject faults.
 */
import { createHash, createVerify, randomBytes } from "node:crypto";
import { type FakeRequest, type FakeServer, type Reply, startFake } from "../http";
import { compareBy, matches, parseSoql, SoqlError } from "./soql";

export type SfRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

/** A table the fake queries. `ordered` tables (the bench's generated ones) stream in SystemModstamp order. */
export interface SfTable {
  all(): Iterable<SfRecord>;
  get(id: string): SfRecord | undefined;
  put(r: SfRecord): void;
  /** Records with SystemModstamp ≥ `from` in (SystemModstamp, Id) order, without materialising them all. */
  ordered?(from: string | null): Iterable<SfRecord>;
}

export function arrayTable(rows: SfRecord[] = []): SfTable {
  const byId = new Map(rows.map((r) => [r.Id, r]));
  return { all: () => byId.values(), get: (id) => byId.get(id), put: (r) => void byId.set(r.Id, r) };
}

const PREFIX: Record<string, string> = {
  Account: "001",
  Contact: "003",
  Opportunity: "006",
  Task: "00T",
  Event: "00U",
  CampaignMember: "00v",
  Campaign: "701",
  User: "005",
  OpportunityContactRole: "00K",
};
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/** An 18-character id like Salesforce's: key prefix, pod, counter, case-checksum suffix. */
export function sfId(type: string, n: number): string {
  let body = "";
  for (let v = n, i = 0; i < 7; i++, v = Math.floor(v / 62)) body = ALNUM[v % 62] + body;
  const id15 = `${PREFIX[type] ?? "a00"}5g000${body}`;
  let suffix = "";
  for (let c = 0; c < 3; c++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[c * 5 + i]!)) bits |= 1 << i;
    suffix += SUFFIX[bits];
  }
  return id15 + suffix;
}

/** `2026-11-23T10:00:00.000Z` → Salesforce's `2026-11-23T10:00:00.000+0000`. */
export const sfTime = (d: Date | string) => new Date(d).toISOString().replace("Z", "+0000");

interface Locator {
  iter: Iterator<SfRecord>;
  /** The last page served, by its starting offset: asking for the same offset again gets it again, as in a real org. */
  last?: { offset: number; body: unknown };
  peeked?: IteratorResult<SfRecord>;
  fields: string[];
  object: string;
  total: number;
  done: number;
}

export interface SalesforceFake extends FakeServer {
  tables: Map<string, SfTable>;
  table(name: string): SfTable;
  /** Adds or changes a record; SystemModstamp moves to `at` (default: now). */
  upsert(type: string, fields: Partial<SfRecord> & { Id?: string }, at?: Date): SfRecord;
  remove(type: string, id: string, at?: Date, mergedInto?: string): void;
  users: Map<string, { password: string; clientId: string; clientSecret: string }>;
  addUser(username: string, password: string, client: { clientId: string; clientSecret: string }): void;
  registerJwtKey(clientId: string, publicKeyPem: string): void;
  /** Every issued access token stops working (the session expired); refresh tokens still work. */
  expireSessions(): void;
  /** Refresh tokens and sessions are revoked (the admin or the user revoked the app). */
  revokeGrants(): void;
  /** Query locators are forgotten (they expire after 15 minutes in a real org). */
  dropLocators(): void;
  limitExceeded: boolean;
  counter: number;
}

export async function startSalesforceFake(options: { port?: number } = {}): Promise<SalesforceFake> {
  const tables = new Map<string, SfTable>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) {
      t = arrayTable();
      tables.set(name, t);
    }
    return t;
  };
  const users = new Map<string, { password: string; clientId: string; clientSecret: string }>();
  const jwtKeys = new Map<string, string>();
  const sessions = new Set<string>();
  const refreshTokens = new Map<string, string>(); // token → username
  const codes = new Map<string, { challenge: string | null; clientId: string; redirectUri: string; username: string }>();
  const locators = new Map<string, Locator>();
  let base = "";
  const org = "00D5g000004XyzAEAS";

  const issue = (username: string, withRefresh: boolean) => {
    const access = `00D5g!${randomBytes(24).toString("base64url")}`;
    sessions.add(access);
    const out: Record<string, string> = {
      access_token: access,
      instance_url: base,
      id: `${base}/id/${org}/${sfId("User", 1)}`,
      token_type: "Bearer",
      issued_at: String(Date.now()),
      signature: randomBytes(32).toString("base64"),
      scope: "api refresh_token",
    };
    if (withRefresh) {
      const rt = `5Aep${randomBytes(32).toString("base64url")}`;
      refreshTokens.set(rt, username);
      out.refresh_token = rt;
    }
    return out;
  };
  const oauthError = (error: string, description: string, status = 400): Reply => ({
    status,
    body: { error, error_description: description },
  });
  const sfError = (status: number, errorCode: string, message: string): Reply => ({ status, body: [{ message, errorCode }] });

  const project = (r: SfRecord, fields: string[], object: string): Record<string, unknown> => {
    const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/v59.0/sobjects/${object}/${r.Id}` } };
    for (const f of fields) {
      const [rel, sub] = f.split(".");
      if (sub) {
        const v = r[f];
        out[rel!] = v === undefined || v === null ? null : { attributes: { type: rel }, [sub]: v };
      } else out[f] = r[f] ?? null;
    }
    return out;
  };

  /** The next record of a cursor, honouring one record peeked ahead. */
  const take = (loc: Locator): IteratorResult<SfRecord> => {
    if (loc.peeked) {
      const p = loc.peeked;
      loc.peeked = undefined;
      return p;
    }
    return loc.iter.next();
  };

  function page(id: string, loc: Locator, batch: number, offset = loc.done) {
    if (loc.last && offset === loc.last.offset) return loc.last.body;
    const start = loc.done;
    const records: Record<string, unknown>[] = [];
    while (records.length < batch) {
      const n = take(loc);
      if (n.done) {
        loc.peeked = n;
        break;
      }
      records.push(project(n.value, loc.fields, loc.object));
    }
    loc.done += records.length;
    // Streamed cursors do not know their size: look one ahead, as a real org always knows it.
    if (!loc.peeked) loc.peeked = loc.iter.next();
    const done = loc.peeked.done === true;
    const body = {
      totalSize: loc.total >= 0 ? loc.total : loc.done + (done ? 0 : 1),
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v59.0/query/${id}-${loc.done}` }),
      records,
    };
    loc.last = { offset: start, body };
    return body;
  }

  function runQuery(q: string, all: boolean, batch: number) {
    const soql = parseSoql(q);
    const t = table(soql.object);
    const live = (r: SfRecord) => all || r.IsDeleted !== true;
    const onlyModstamp =
      soql.where.every((w) => w.field === "SystemModstamp" && (w.op === ">=" || w.op === ">")) &&
      soql.orderBy.map((o) => o.field).join(",") === "SystemModstamp,Id";
    let iter: Iterator<SfRecord>;
    let total = -1;
    if (t.ordered && onlyModstamp) {
      const src = t.ordered((soql.where[0]?.value as string | undefined) ?? null);
      const strict = soql.where[0]?.op === ">";
      iter = (function* () {
        for (const r of src) if (live(r) && (!strict || matches(r, soql.where))) yield r;
      })();
    } else {
      let rows = [...t.all()].filter((r) => live(r) && matches(r, soql.where));
      if (soql.orderBy.length) rows.sort(compareBy(soql.orderBy));
      if (soql.limit !== null) rows = rows.slice(0, soql.limit);
      iter = rows[Symbol.iterator]();
      total = rows.length;
    }
    const id = `01g5g${randomBytes(6).toString("hex")}`;
    const loc: Locator = { iter, fields: soql.fields, object: soql.object, total, done: 0 };
    locators.set(id, loc);
    return page(id, loc, batch);
  }

  const batchSize = (req: FakeRequest) => {
    const m = /batchSize=(\d+)/.exec(String(req.headers["sforce-query-options"] ?? ""));
    return m ? Math.min(2000, Math.max(200, Number(m[1]))) : 2000;
  };

  let counter = 100_000;
  const fake = await startFake(async (req) => {
    const path = req.url.pathname;
    if (path === "/services/oauth2/authorize") {
      const p = req.url.searchParams;
      const redirect = p.get("redirect_uri") ?? "";
      const client = [...users.values()].find((u) => u.clientId === p.get("client_id"));
      if (!client) return oauthError("invalid_client_id", "client identifier invalid");
      const code = `aPrx${randomBytes(16).toString("base64url")}`;
      const username = [...users.entries()].find(([, u]) => u.clientId === p.get("client_id"))![0];
      codes.set(code, { challenge: p.get("code_challenge"), clientId: client.clientId, redirectUri: redirect, username });
      const to = new URL(redirect);
      to.searchParams.set("code", code);
      if (p.get("state")) to.searchParams.set("state", p.get("state")!);
      return { status: 302, headers: { location: to.toString() }, raw: "" };
    }
    if (path === "/services/oauth2/token" && req.method === "POST") return token(req.form());
    if (path.startsWith("/id/")) {
      if (!authorized(req)) return sfError(403, "Bad_OAuth_Token", "Bad_OAuth_Token");
      return {
        status: 200,
        body: {
          user_id: sfId("User", 1),
          organization_id: org,
          username: [...users.keys()][0] ?? "admin@example.com",
          display_name: "Integration User",
        },
      };
    }
    const data = /^\/services\/data\/v(\d+\.\d)(\/.*)$/.exec(path);
    if (!data) return { status: 404, body: [{ message: "The requested resource does not exist", errorCode: "NOT_FOUND" }] };
    if (!authorized(req)) return sfError(401, "INVALID_SESSION_ID", "Session expired or invalid");
    if (fakeState.limitExceeded) return sfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    const rest = data[2]!;
    const limitHeader = { "sforce-limit-info": `api-usage=${fake.calls}/15000` };
    try {
      if (rest === "/query" || rest === "/queryAll") {
        const q = req.url.searchParams.get("q") ?? "";
        return { status: 200, body: runQuery(q, rest === "/queryAll", batchSize(req)), headers: limitHeader };
      }
      const more = /^\/query(?:All)?\/([\w]+)-(\d+)$/.exec(rest);
      if (more) {
        const loc = locators.get(more[1]!);
        const offset = Number(more[2]);
        if (!loc || (offset !== loc.done && offset !== loc.last?.offset))
          return sfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        return { status: 200, body: page(more[1]!, loc, batchSize(req), offset), headers: limitHeader };
      }
    } catch (err) {
      if (err instanceof SoqlError) return sfError(400, "MALFORMED_QUERY", err.message);
      throw err;
    }
    const sob = /^\/sobjects\/(\w+)(?:\/(\w+))?\/?$/.exec(rest);
    if (sob) {
      const [, type, id] = sob;
      if (req.method === "PATCH" && id) {
        const r = table(type!).get(id);
        if (!r || r.IsDeleted) return sfError(404, "NOT_FOUND", "The requested resource does not exist");
        const body = req.json() as Record<string, unknown>;
        for (const k of Object.keys(body))
          if (!(k in r) && !k.endsWith("__c") && k !== "Role")
            return sfError(400, "INVALID_FIELD", `No such column '${k}' on sobject of type ${type}`);
        fakeApi.upsert(type!, { ...body, Id: id });
        return { status: 204, raw: "" };
      }
      if (req.method === "POST" && !id) {
        const r = fakeApi.upsert(type!, req.json() as Record<string, unknown>);
        return { status: 201, body: { id: r.Id, success: true, errors: [] } };
      }
      if (req.method === "GET" && id) {
        const r = table(type!).get(id);
        return r && !r.IsDeleted ? { status: 200, body: r } : sfError(404, "NOT_FOUND", "The requested resource does not exist");
      }
    }
    return sfError(404, "NOT_FOUND", "The requested resource does not exist");
  }, options);
  base = fake.url;

  function authorized(req: FakeRequest): boolean {
    const h = String(req.headers.authorization ?? "");
    return h.startsWith("Bearer ") && sessions.has(h.slice(7));
  }

  function token(p: URLSearchParams): Reply {
    const grant = p.get("grant_type");
    if (grant === "password") {
      const u = users.get(p.get("username") ?? "");
      if (!u || u.clientId !== p.get("client_id") || u.clientSecret !== p.get("client_secret"))
        return oauthError(u ? "invalid_client" : "invalid_grant", u ? "invalid client credentials" : "authentication failure");
      if (p.get("password") !== u.password) return oauthError("invalid_grant", "authentication failure");
      return { status: 200, body: issue(p.get("username")!, false) };
    }
    if (grant === "authorization_code") {
      const c = codes.get(p.get("code") ?? "");
      codes.delete(p.get("code") ?? "");
      if (!c || c.clientId !== p.get("client_id") || c.redirectUri !== p.get("redirect_uri"))
        return oauthError("invalid_grant", "invalid authorization code");
      if (c.challenge) {
        const v = p.get("code_verifier") ?? "";
        const hashed = createHash("sha256").update(v).digest("base64url");
        if (hashed !== c.challenge) return oauthError("invalid_grant", "invalid code verifier");
      }
      return { status: 200, body: issue(c.username, true) };
    }
    if (grant === "refresh_token") {
      const who = refreshTokens.get(p.get("refresh_token") ?? "");
      if (!who) return oauthError("invalid_grant", "expired access/refresh token");
      const { refresh_token: _, ...rest } = issue(who, false);
      return { status: 200, body: rest };
    }
    if (grant === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      const [h, b, s] = (p.get("assertion") ?? "").split(".");
      if (!h || !b || !s) return oauthError("invalid_grant", "invalid assertion");
      const claims = JSON.parse(Buffer.from(b, "base64url").toString("utf8")) as Record<string, unknown>;
      const key = jwtKeys.get(String(claims.iss));
      if (!key) return oauthError("invalid_client_id", "client identifier invalid");
      const ok = createVerify("RSA-SHA256").update(`${h}.${b}`).verify(key, Buffer.from(s, "base64url"));
      if (!ok) return oauthError("invalid_grant", "invalid assertion");
      if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now())
        return oauthError("invalid_grant", "expired assertion");
      if (!users.has(String(claims.sub))) return oauthError("invalid_grant", "user hasn't approved this consumer");
      return { status: 200, body: issue(String(claims.sub), false) };
    }
    return oauthError("unsupported_grant_type", "grant type not supported");
  }

  const fakeState = { limitExceeded: false };
  const fakeApi = {
    upsert(type: string, fields: Partial<SfRecord> & { Id?: string }, at = new Date()): SfRecord {
      const t = table(type);
      const id = fields.Id ?? sfId(type, fakeApiCounter.next++);
      const prev = t.get(id);
      const r = { IsDeleted: false, ...prev, ...fields, Id: id, SystemModstamp: sfTime(at) } as SfRecord;
      if (!prev && r.CreatedDate === undefined) r.CreatedDate = sfTime(at);
      t.put(r);
      return r;
    },
  };
  const fakeApiCounter = { next: counter };
  counter = 0;

  return Object.assign(fake, {
    tables,
    table,
    users,
    upsert: fakeApi.upsert,
    remove(type: string, id: string, at = new Date(), mergedInto?: string) {
      fakeApi.upsert(type, { Id: id, IsDeleted: true, ...(mergedInto ? { MasterRecordId: mergedInto } : {}) }, at);
    },
    addUser(username: string, password: string, client: { clientId: string; clientSecret: string }) {
      users.set(username, { password, ...client });
    },
    registerJwtKey(clientId: string, pem: string) {
      jwtKeys.set(clientId, pem);
    },
    expireSessions() {
      sessions.clear();
    },
    revokeGrants() {
      sessions.clear();
      refreshTokens.clear();
    },
    dropLocators() {
      locators.clear();
    },
    get limitExceeded() {
      return fakeState.limitExceeded;
    },
    set limitExceeded(v: boolean) {
      fakeState.limitExceeded = v;
    },
    counter,
  });
}

import { findAccountIdByCrm, findAccountIdsByDomain, findAccountIdsByName } from "../accounts/accounts.repo";
import { type Db, sqliteStatements } from "../db/create-db";
import { newId } from "../db/ids";
import type { EventMessage } from "./messages";

/**
 * Identity resolution for one commit: who a message's `userId`, `anonymousId` or email is. Loaded for the whole
 * commit in a few queries, then kept up to date as identify calls in the same commit add people and identities.
 */
export interface Identities {
  /** The person a message of this source is about, or null (anonymous so far). */
  personOf(m: EventMessage, sourceId: string): string | null;
  /** identify: create or update the person, link the account, remember userId/anonymousId. */
  identify(m: EventMessage, sourceId: string): Promise<{ personId: string } | { error: string }>;
  /** group: link the message's person to the account the group names. */
  group(m: EventMessage, sourceId: string): Promise<{ personId: string; accountId: string } | { error: string }>;
  /** (source, kind, key) identities learnt in this commit: their held events can be released. */
  learnt: Array<{ sourceId: string; kind: "user" | "anon"; key: string; personId: string }>;
}

const FREE_MAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "yahoo.com",
  "icloud.com",
  "live.com",
  "proton.me",
  "protonmail.com",
  "gmx.de",
  "web.de",
  "aol.com",
]);
const IDENTITY_BY_KEY = "select person_id from event_identities where source_id = ? and kind = ? and key = ?";
const str = (v: unknown, max = 200): string | null =>
  typeof v === "string" && v.trim() ? v.trim().slice(0, max) : typeof v === "number" ? String(v) : null;

/** `https://www.Acme.com/x` → `acme.com`. */
export function domainOf(v: unknown): string | null {
  const s = str(v, 500);
  if (!s) return null;
  const host = s
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, "")
    .replace(/[/?#:].*$/, "")
    .replace(/^www\./, "");
  return /^[a-z0-9.-]+\.[a-z]{2,}$/.test(host) ? host : null;
}

function nameParts(traits: Record<string, unknown>): { first: string | null; last: string | null } {
  const first = str(traits.firstName ?? traits.first_name, 100);
  const last = str(traits.lastName ?? traits.last_name, 100);
  if (first || last) return { first, last };
  const full = str(traits.name, 200);
  if (!full) return { first: null, last: null };
  const i = full.lastIndexOf(" ");
  return i < 0 ? { first: full, last: "" } : { first: full.slice(0, i), last: full.slice(i + 1) };
}

/** The account that CRM id, then domain, then name names (the panel's lookup order); null when none or several. */
async function findAccount(db: Db, q: { crm: string | null; crmId: string | null; domain: string | null; name: string | null }) {
  if (q.crm && q.crmId) {
    const id = await findAccountIdByCrm(db, q.crm.toLowerCase(), q.crmId);
    if (id) return id;
  }
  if (q.domain) {
    const ids = await findAccountIdsByDomain(db, q.domain);
    if (ids.length === 1) return ids[0]!;
  }
  if (q.name) {
    const ids = await findAccountIdsByName(db, q.name);
    if (ids.length === 1) return ids[0]!;
  }
  return null;
}

export async function loadIdentities(
  db: Db,
  requests: ReadonlyArray<{ sourceId: string; messages: readonly EventMessage[] }>,
  now: string,
): Promise<Identities> {
  // Per source, per kind: key → person (no composite string keys to build for every message).
  const bySource = new Map<string, Record<"user" | "anon", Map<string, string>>>();
  const mapsOf = (sourceId: string) => {
    let maps = bySource.get(sourceId);
    if (!maps) {
      maps = { user: new Map(), anon: new Map() };
      bySource.set(sourceId, maps);
    }
    return maps;
  };
  const byEmail = new Map<string, string>();
  const emails = new Set<string>();
  // The identities the commit names, per source and kind.
  const wanted = new Map<string, Record<"user" | "anon", Set<string>>>();
  for (const r of requests) {
    let w = wanted.get(r.sourceId);
    if (!w) {
      w = { user: new Set(), anon: new Set() };
      wanted.set(r.sourceId, w);
    }
    for (const m of r.messages) {
      if (m.userId) w.user.add(m.userId);
      if (m.anonymousId) w.anon.add(m.anonymousId);
      if (m.email) emails.add(m.email);
    }
  }
  const prepare = sqliteStatements(db);
  if (prepare) {
    // SQLite, in the commit's transaction: one prepared primary-key look-up per identity (a few µs each) costs
    // less than building and compiling IN lists of hundreds of keys.
    const stmt = prepare(IDENTITY_BY_KEY);
    for (const [sourceId, w] of wanted) {
      const maps = mapsOf(sourceId);
      for (const kind of ["user", "anon"] as const)
        for (const k of w[kind]) {
          const row = stmt.get(sourceId, kind, k) as { person_id: string } | undefined;
          if (row) maps[kind].set(k, row.person_id);
        }
    }
  } else {
    const sources = [...wanted.keys()];
    const list = [...new Set([...wanted.values()].flatMap((w) => [...w.user, ...w.anon]))];
    for (let i = 0; i < list.length; i += 500) {
      const rows = await db
        .selectFrom("event_identities")
        .select(["source_id", "kind", "key", "person_id"])
        .where("source_id", "in", sources)
        // Both kinds named, so the whole primary key (source_id, kind, key) is used: without `kind` SQLite
        // searches by source_id alone and reads every identity of the source for each part.
        .where("kind", "in", ["user", "anon"])
        .where("key", "in", list.slice(i, i + 500))
        .execute();
      for (const r of rows) if (r.kind === "user" || r.kind === "anon") mapsOf(r.source_id)[r.kind].set(r.key, r.person_id);
    }
  }
  const emailList = [...emails];
  for (let i = 0; i < emailList.length; i += 500) {
    for (const r of await db
      .selectFrom("people")
      .select(["id", "email"])
      .where("email", "in", emailList.slice(i, i + 500))
      .execute())
      byEmail.set(r.email!, r.id);
  }
  const learnt: Identities["learnt"] = [];

  const personOf = (m: EventMessage, sourceId: string): string | null => {
    const maps = bySource.get(sourceId);
    return (
      (m.userId ? maps?.user.get(m.userId) : undefined) ??
      (m.anonymousId ? maps?.anon.get(m.anonymousId) : undefined) ??
      (m.email ? byEmail.get(m.email) : undefined) ??
      null
    );
  };

  async function remember(sourceId: string, kind: "user" | "anon", k: string, personId: string) {
    const known = mapsOf(sourceId)[kind];
    if (known.get(k) === personId) return;
    await db
      .insertInto("event_identities")
      .values({ source_id: sourceId, kind, key: k, person_id: personId, created_at: now })
      .onConflict((oc) => oc.columns(["source_id", "kind", "key"]).doUpdateSet({ person_id: personId }))
      .execute();
    known.set(k, personId);
    learnt.push({ sourceId, kind, key: k, personId });
  }

  async function identify(m: EventMessage, s: string) {
    const t = m.traits;
    const company = (typeof t.company === "object" && t.company !== null ? t.company : {}) as Record<string, unknown>;
    const accountId = await findAccount(db, {
      crm: str(company.crm ?? t.crm, 50),
      crmId: str(company.crmId ?? company.crm_id ?? t.crmAccountId, 200),
      domain:
        domainOf(company.domain ?? company.website ?? t.website ?? t.domain) ??
        (m.email && !FREE_MAIL.has(m.email.split("@")[1]!) ? m.email.split("@")[1]! : null),
      name: str(typeof t.company === "string" ? t.company : company.name, 200),
    });
    const { first, last } = nameParts(t);
    const title = str(t.title ?? t.jobTitle, 200);
    const phone = str(t.phone, 50);
    let personId = personOf(m, s);
    if (!personId) {
      if (!m.email)
        return {
          error: "identifies an unknown user without traits.email: Quorum cannot create the person (send the email in traits)",
        };
      personId = newId("per");
      await db
        .insertInto("people")
        .values({
          id: personId,
          account_id: accountId,
          first_name: first ?? m.email.split("@")[0]!,
          last_name: last ?? "",
          email: m.email,
          phone,
          job_title: title,
          department: str(t.department, 100),
          seniority: null,
          country: str((t.address as Record<string, unknown> | undefined)?.country, 100),
          source: "events",
          status: "active",
          attributes: "{}",
          created_at: now,
          updated_at: now,
        })
        .execute();
      byEmail.set(m.email, personId);
    } else {
      const row = await db.selectFrom("people").select(["email", "account_id"]).where("id", "=", personId).executeTakeFirst();
      const patch = {
        ...(first ? { first_name: first } : {}),
        ...(last !== null && (first || last) ? { last_name: last } : {}),
        ...(title ? { job_title: title } : {}),
        ...(phone ? { phone } : {}),
        ...(m.email && !row?.email && !byEmail.has(m.email) ? { email: m.email } : {}),
        ...(accountId && !row?.account_id ? { account_id: accountId } : {}),
      };
      if (Object.keys(patch).length)
        await db
          .updateTable("people")
          .set({ ...patch, updated_at: now })
          .where("id", "=", personId)
          .execute();
    }
    if (m.userId) await remember(s, "user", m.userId, personId);
    if (m.anonymousId) await remember(s, "anon", m.anonymousId, personId);
    return { personId };
  }

  async function group(m: EventMessage, sourceId: string) {
    const personId = personOf(m, sourceId);
    if (!personId)
      return { error: "is a group call for a user Quorum has not identified yet; send identify (with traits.email) first" };
    const t = m.traits;
    const accountId = await findAccount(db, {
      crm: str(t.crm, 50),
      crmId: str(t.crmId ?? t.crm_id, 200) ?? (str(t.crm, 50) ? m.groupId : null),
      domain: domainOf(t.domain ?? t.website),
      name: str(t.name, 200),
    });
    if (!accountId)
      return {
        error: `names no account Quorum knows (groupId '${m.groupId}'): give traits.crm + traits.crmId, traits.domain or traits.name of an existing account`,
      };
    await db.updateTable("people").set({ account_id: accountId, updated_at: now }).where("id", "=", personId).execute();
    return { personId, accountId };
  }

  return { personOf, identify, group, learnt };
}

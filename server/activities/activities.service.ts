import { CompiledQuery } from "kysely";
import type { z } from "zod";
import { ActivityInput, ActivityMetadata, type IngestRejection, type IngestResult } from "../../shared/api/activities";
import { hasUnsafeText, unsafeTextIssues } from "../../shared/api/text";
import { dayInTimeZone } from "../../shared/scoring/days";
import type { Db } from "../db/create-db";
import { isPostgres } from "../db/dialect";
import { insertMany, insertManyInserted } from "../db/insert-many";
import { toJson } from "../db/json";
import type { ActivitiesTable } from "../db/schema";
import type { Deps } from "../deps";
import { fieldIssues } from "../http/validate";
import { chunks } from "../scores/scores.repo";
import { applyRollupChanges, type RollupChange } from "../scores/scores.service";
import { activityTypeResolver } from "./activity-types.repo";

const ACTIVITY_COLUMNS = ["external_id", "person_id", "type_id", "occurred_at", "day", "metadata", "ingested_at"] as const;

/** Activities may be at most this far in the future (clock skew between systems). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The number written by the decimal digits s[from..to), or -1 if any is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Milliseconds of a canonical UTC time (`YYYY-MM-DDTHH:MM:SS.mmmZ`, a real calendar date, year
 * 1000 or later), exactly as `toISOString` writes it, or NaN for anything else. Most sources send
 * exactly this; checking it by character codes avoids a regex, a parse and a `toISOString` per item.
 */
export function canonicalUtcMs(s: string): number {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 || // .
    s.charCodeAt(23) !== 90 // Z
  )
    return Number.NaN;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  const hour = digitsAt(s, 11, 13);
  const minute = digitsAt(s, 14, 16);
  const second = digitsAt(s, 17, 19);
  const ms = digitsAt(s, 20, 23);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return Number.NaN;
  }
  if (second < 0 || second > 59 || ms < 0) return Number.NaN;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return Number.NaN;
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), integers only.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

const FAST_KEYS = new Set(["externalId", "personId", "type", "occurredAt", "metadata"]);
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and surrogates go to the careful path
const MAYBE_UNSAFE = /[\u0000\uD800-\uDFFF]/;
const plainText = (v: unknown, max: number): v is string =>
  typeof v === "string" && v.length >= 1 && v.length <= max && v.trim() === v && !MAYBE_UNSAFE.test(v);

type ParsedActivity = z.infer<typeof ActivityInput>;

const METADATA_MAX: Record<string, number> = { url: 2000, product: 200, description: 1000 };
/**
 * Metadata that ActivityMetadata accepts unchanged, checked without zod (event webhooks send metadata with every
 * activity): a plain object of strings within their limits, finite numbers, booleans and nulls, `keywords` an
 * array of at most 50 strings of at most 100 characters. Anything else goes to ActivityMetadata.
 */
function plainMetadata(m: unknown): boolean {
  if (typeof m !== "object" || m === null || Object.getPrototypeOf(m) !== Object.prototype) return false;
  for (const [k, v] of Object.entries(m)) {
    if (k === "keywords") {
      if (!Array.isArray(v) || v.length > 50) return false;
      for (const w of v) if (typeof w !== "string" || w.length > 100) return false;
    } else if (typeof v === "string") {
      if (v.length > (METADATA_MAX[k] ?? 1000)) return false;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v) || k in METADATA_MAX) return false;
    } else if (typeof v === "boolean" || v === null) {
      if (k in METADATA_MAX) return false;
    } else return false;
  }
  return true;
}

/**
 * The common case without zod's per-item cost: a plain object with a person id, trimmed fields and a
 * canonical UTC time. Returns exactly what `ActivityInput.safeParse` would, or null to let zod decide
 * (anything else, including every invalid item, so errors keep zod's messages).
 */
export function fastParseActivity(raw: unknown): ParsedActivity | null {
  return fastParse(raw)?.a ?? null;
}

/** fastParseActivity, with the time's milliseconds (ingest needs them next). */
function fastParse(raw: unknown): { a: ParsedActivity; ms: number } | null {
  if (typeof raw !== "object" || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return null;
  const r = raw as Record<string, unknown>;
  for (const k in r) if (!FAST_KEYS.has(k)) return null;
  const { externalId, personId, type, occurredAt, metadata } = r;
  if (!plainText(externalId, 200) || !plainText(personId, 64) || !plainText(type, 100)) return null;
  if (typeof occurredAt !== "string") return null;
  const ms = canonicalUtcMs(occurredAt);
  if (Number.isNaN(ms)) return null;
  const out: ParsedActivity = { externalId, personId, type, occurredAt };
  if (metadata === null) out.metadata = null;
  else if (metadata !== undefined) {
    if (hasUnsafeText(metadata)) return null;
    if (plainMetadata(metadata)) out.metadata = metadata as ParsedActivity["metadata"];
    else {
      const m = ActivityMetadata.safeParse(metadata);
      if (!m.success) return null;
      out.metadata = m.data;
    }
  } else if ("metadata" in r) out.metadata = undefined;
  return { a: out, ms };
}

/**
 * Rows per insert statement: PostgreSQL takes a whole request's rows (≤ 10 000) in one unnest INSERT,
 * whose SQL does not depend on the count; on SQLite parts of 400 bound the work between two awaits.
 */
const parts = <T>(db: Db, rows: T[]): T[][] => (isPostgres(db) ? (rows.length ? [rows] : []) : chunks(rows, 400));

/**
 * PostgreSQL: which of these ids are people, one primary-key probe per id. `id = any($1)` got a scan of every
 * person (200 000 at bench size) whenever the table had no statistics yet, ~10 % of the ingest's time;
 * `offset 0` keeps the lateral subquery a per-id lookup.
 */
const PG_PEOPLE_BY_ID = `select p.id from unnest($1::text[]) as u(id)
  cross join lateral (select id from people where id = u.id offset 0) p`;

/**
 * Who each item names: its person id if that is a person, else the person with its email. `trustIds`: take every
 * person id as it is, unchecked (the caller's INSERT checks it), and only look up the emails.
 */
async function resolvePeople(db: Db, items: ParsedActivity[], { trustIds = false } = {}) {
  const ids = trustIds ? [] : [...new Set(items.flatMap((a) => (a.personId ? [a.personId] : [])))];
  const emails = [...new Set(items.flatMap((a) => (!a.personId && a.personEmail ? [a.personEmail] : [])))];
  const byId = new Set<string>();
  const byEmail = new Map<string, string>();
  if (isPostgres(db)) {
    // One round trip: the ids as one array parameter, one primary-key probe each (PG_PEOPLE_BY_ID).
    if (ids.length)
      for (const r of (await db.executeQuery<{ id: string }>(CompiledQuery.raw(PG_PEOPLE_BY_ID, [ids]))).rows) byId.add(r.id);
  } else
    for (const part of chunks(ids))
      for (const r of await db.selectFrom("people").select("id").where("id", "in", part).execute()) byId.add(r.id);
  for (const part of chunks(emails)) {
    for (const r of await db.selectFrom("people").select(["id", "email"]).where("email", "in", part).execute())
      byEmail.set(r.email!, r.id);
  }
  return (a: ParsedActivity): string | null =>
    a.personId ? (trustIds || byId.has(a.personId) ? a.personId : null) : (byEmail.get(a.personEmail ?? "") ?? null);
}

/**
 * An activity its caller built from input it has already checked (event webhooks): ids, type and texts within
 * ActivityInput's limits and free of text no database can store, `occurredAt` canonical UTC, `metadataJson` the
 * JSON text of metadata ActivityMetadata accepts unchanged (or null). Type, person and time are still checked.
 */
export interface CheckedActivity {
  externalId: string;
  personId: string;
  type: string;
  occurredAt: string;
  metadataJson: string | null;
}

/** Time spent in each phase of ingest since the process started (the server bench reports it). */
export const ingestPhaseMs = { validate: 0, insert: 0, rollup: 0, scores: 0, commit: 0 };

/**
 * Batch ingest (≤ 10 000). Each item is validated on its own: bad items are rejected with their index
 * and the reason, good ones are stored. Idempotent on `externalId`: an id seen before (in an earlier
 * batch or earlier in this one) counts as a duplicate and changes nothing. New activities update the
 * daily rollup in the same transaction; then the scores of the people and groups they touch are
 * recomputed.
 */
export async function ingestActivities(
  deps: Deps,
  items: readonly unknown[],
  options: {
    /** Filled with the external ids actually stored (event webhooks tell stored from duplicate per message). */
    storedIds?: Set<string>;
    /**
     * Every item's `personId` was read from the database in the caller's transaction (`deps.db`), so it is
     * a person that exists: skip looking the people up again (event webhooks resolve them from identities).
     */
    peopleKnown?: boolean;
    /**
     * The items are CheckedActivity (event webhooks): their text and metadata were checked by the caller, so the
     * per-item validation is skipped for those whose id and time are in form (the others take the usual path).
     */
    checked?: boolean;
  } = {},
): Promise<IngestResult> {
  const { storedIds, peopleKnown = false, checked = false } = options;
  let t0 = performance.now();
  const lap = (k: keyof typeof ingestPhaseMs) => {
    const t = performance.now();
    ingestPhaseMs[k] += t - t0;
    t0 = t;
  };
  const now = deps.clock();
  const rejected: IngestRejection[] = [];
  // `ms`: the time's milliseconds when it is canonical UTC (NaN: parse it below).
  // `json`: the metadata's JSON text when the caller gave it (CheckedActivity).
  const parsed: Array<{ index: number; a: ParsedActivity; ms: number; json?: string | null }> = [];
  items.forEach((item, index) => {
    let raw = item;
    if (checked) {
      const c = item as CheckedActivity;
      const ms = canonicalUtcMs(c.occurredAt);
      if (c.externalId.length <= 200 && !Number.isNaN(ms)) {
        parsed.push({ index, a: c, ms, json: c.metadataJson });
        return;
      }
      const { metadataJson, ...rest } = c;
      raw = { ...rest, metadata: metadataJson === null ? null : JSON.parse(metadataJson) };
    }
    const fast = fastParse(raw);
    if (fast) {
      parsed.push({ index, a: fast.a, ms: fast.ms });
      return;
    }
    // Text no database can store (in any string or key, metadata included) is this item's rejection,
    // as any other invalid field is: the rest of the batch is still stored.
    const textIssues = unsafeTextIssues(raw, { maxIssues: 5 });
    const r = textIssues.length ? null : ActivityInput.safeParse(raw);
    if (r?.success) parsed.push({ index, a: r.data, ms: canonicalUtcMs(r.data.occurredAt) });
    else {
      const externalId =
        typeof raw === "object" && raw !== null && typeof (raw as { externalId?: unknown }).externalId === "string"
          ? (raw as { externalId: string }).externalId
          : null;
      rejected.push({
        index,
        externalId,
        reason: (r ? fieldIssues(r.error) : textIssues).map((i) => `${i.field} ${i.message}`).join("; "),
      });
    }
  });
  // PostgreSQL checks every row's person with the activities' own foreign key: ids are taken on trust and looked
  // up (PG_PEOPLE_BY_ID, ~26 ms per 8 000 ids in EXPLAIN ANALYZE) only when the INSERT names an unknown one (SQLSTATE 23503, below).
  const trustIds = !peopleKnown && isPostgres(deps.db);
  const [typeOf, firstPersonOf] = await Promise.all([
    activityTypeResolver(deps.db),
    peopleKnown && deps.db.isTransaction
      ? (a: ParsedActivity) => a.personId ?? null
      : resolvePeople(
          deps.db,
          parsed.map((p) => p.a),
          { trustIds },
        ),
  ]);
  const ingestedAt = now.toISOString();
  const utc = deps.config.timeZone === "UTC";
  const latest = now.getTime() + FUTURE_TOLERANCE_MS;
  /** The rows to store (first of each external id), with the items refused and the in-batch duplicates. */
  const build = (personOf: (a: ParsedActivity) => string | null) => {
    const seen = new Set<string>();
    const refused: IngestRejection[] = [];
    let repeated = 0;
    const out: ActivitiesTable[] = [];
    for (const { index, a, ms: canonicalMs, json } of parsed) {
      const typeId = typeOf(a.type);
      const personId = personOf(a);
      const occurredMs = Number.isNaN(canonicalMs) ? Date.parse(a.occurredAt) : canonicalMs;
      if (!typeId || !personId || occurredMs > latest) {
        refused.push({
          index,
          externalId: a.externalId,
          reason: !typeId
            ? `type '${a.type}' is not a known activity type; create it with POST /api/activity-types`
            : !personId
              ? a.personId
                ? `personId '${a.personId}' is not a known person`
                : `personEmail '${a.personEmail}' matches no person; create the person first`
              : `occurredAt ${a.occurredAt} is in the future`,
        });
      } else if (seen.has(a.externalId)) repeated++;
      else {
        seen.add(a.externalId);
        // Stored times are canonical UTC ISO strings; most sources already send exactly that.
        const occurredAt = Number.isNaN(canonicalMs) ? new Date(occurredMs).toISOString() : a.occurredAt;
        out.push({
          external_id: a.externalId,
          person_id: personId,
          type_id: typeId,
          occurred_at: occurredAt,
          day: utc ? occurredAt.slice(0, 10) : dayInTimeZone(new Date(occurredMs), deps.config.timeZone),
          metadata: json !== undefined ? json : a.metadata ? toJson(a.metadata) : null,
          ingested_at: ingestedAt,
        });
      }
    }
    return { rows: out, refused, repeated };
  };
  let built = build(firstPersonOf);
  lap("validate");
  // Inside a caller's transaction (the CRM sync commits a page's activities with its cursor) run in it;
  // otherwise in a transaction of our own.
  const inTransaction = <T>(fn: (trx: Db) => Promise<T>): Promise<T> =>
    deps.db.isTransaction ? fn(deps.db) : deps.db.transaction().execute(fn);
  const inserted = await inTransaction(async (trx) => {
    const insertRows = async (rows: ActivitiesTable[]) => {
      const stored: ActivitiesTable[] = [];
      // PostgreSQL: all rows in one unnest INSERT (see insertMany); SQLite: prepared single-row statements.
      for (const part of parts(trx, rows)) {
        const wentIn = await insertManyInserted(
          trx,
          "ingest-activities",
          "activities",
          ACTIVITY_COLUMNS,
          part,
          "external_id",
          (q) => q.onConflict((oc) => oc.column("external_id").doNothing()),
        );
        part.forEach((r, i) => {
          if (wentIn[i]) stored.push(r);
        });
      }
      return stored;
    };
    let stored: ActivitiesTable[];
    if (trustIds) {
      await trx.executeQuery(CompiledQuery.raw("savepoint ingest_trusted_people"));
      try {
        stored = await insertRows(built.rows);
        await trx.executeQuery(CompiledQuery.raw("release savepoint ingest_trusted_people"));
      } catch (err) {
        // A person id that is no person (foreign_key_violation): look the ids up and refuse those items.
        if ((err as { code?: string }).code !== "23503") throw err;
        await trx.executeQuery(CompiledQuery.raw("rollback to savepoint ingest_trusted_people"));
        built = build(
          await resolvePeople(
            trx,
            parsed.map((p) => p.a),
          ),
        );
        stored = await insertRows(built.rows);
      }
    } else stored = await insertRows(built.rows);
    lap("insert");
    const rollup = new Map<string, { person_id: string; type_id: string; day: string; count: number }>();
    for (const r of stored) {
      const key = `${r.person_id}\u0000${r.day}\u0000${r.type_id}`;
      const cur = rollup.get(key);
      if (cur) cur.count++;
      else rollup.set(key, { person_id: r.person_id, type_id: r.type_id, day: r.day, count: 1 });
    }
    const changes: RollupChange[] = [];
    // In the rollup's key order (person, day, type; the map's keys sort the same): each page of the
    // rollup is visited in one run, and concurrent ingests on PostgreSQL take the rollup's row locks
    // in the same order (they wait for each other instead of deadlocking).
    const upserts = [...rollup].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    for (const part of parts(trx, upserts)) {
      const after = await insertMany<"activity_daily", { person_id: string; type_id: string; day: string; count: number }>(
        trx,
        "ingest-rollup",
        "activity_daily",
        ["person_id", "type_id", "day", "count"],
        part,
        (q) =>
          q
            .onConflict((oc) =>
              oc
                .columns(["person_id", "day", "type_id"])
                .doUpdateSet((eb) => ({ count: eb("activity_daily.count", "+", eb.ref("excluded.count")) })),
            )
            .returning(["person_id", "type_id", "day", "count"]),
      );
      for (const r of after) {
        const added = rollup.get(`${r.person_id}\u0000${r.day}\u0000${r.type_id}`)?.count ?? 0;
        changes.push({ personId: r.person_id, typeId: r.type_id, day: r.day, before: r.count - added, after: r.count });
      }
    }
    lap("rollup");
    // Scores move in the same transaction as the activities that moved them.
    const groupsRecomputed = await applyRollupChanges(trx, deps, changes, now);
    lap("scores");
    return { stored, groupsRecomputed };
  });
  lap("commit");
  if (storedIds) for (const r of inserted.stored) storedIds.add(r.external_id);
  const duplicate = built.repeated + built.rows.length - inserted.stored.length;
  return {
    accepted: inserted.stored.length,
    duplicate,
    rejected: [...rejected, ...built.refused].sort((a, b) => a.index - b.index),
    groupsRecomputed: inserted.groupsRecomputed,
  };
}

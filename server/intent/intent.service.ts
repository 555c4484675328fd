import type { AccountIntent, IntentIngestResult, IntentView } from "../../shared/api/intent";
import {
  type IntentSignalInput,
  type IntentType,
  intentTopics,
  levelsByType,
  predictSolutionInterest,
} from "../../shared/domain/intent";
import { foldText } from "../../shared/domain/role-rules";
import { notFound } from "../../shared/errors";
import type { Db } from "../db/create-db";
import { parseJson } from "../db/json";
import type { IntentSignalsTable } from "../db/schema";
import type { Deps } from "../deps";

type IntentSignalRow = IntentSignalsTable;

const DAY_MS = 86_400_000;

interface SignalIn {
  externalId: string;
  accountId?: string | undefined;
  personId?: string | undefined;
  type: IntentType;
  topic: string;
  strength: number;
  occurredAt: string;
}

/** Ingests signals idempotently on externalId; a person's signal is filed under the person's account. */
export async function ingestIntent(deps: Deps, signals: readonly SignalIn[]): Promise<IntentIngestResult> {
  const at = deps.clock().toISOString();
  const personIds = [...new Set(signals.flatMap((s) => (s.personId ? [s.personId] : [])))];
  const accountIds = [...new Set(signals.flatMap((s) => (s.accountId ? [s.accountId] : [])))];
  const [people, accounts] = await Promise.all([
    personIds.length ? deps.db.selectFrom("people").select(["id", "account_id"]).where("id", "in", personIds).execute() : [],
    accountIds.length ? deps.db.selectFrom("accounts").select("id").where("id", "in", accountIds).execute() : [],
  ]);
  const personAccount = new Map(people.map((p) => [p.id, p.account_id]));
  const knownAccounts = new Set(accounts.map((a) => a.id));
  const rejected: IntentIngestResult["rejected"] = [];
  const rows: IntentSignalRow[] = [];
  const seen = new Set<string>();
  for (const [index, s] of signals.entries()) {
    const reject = (reason: string) => rejected.push({ index, externalId: s.externalId, reason });
    let accountId = s.accountId ?? null;
    if (s.personId) {
      const pa = personAccount.get(s.personId);
      if (pa === undefined) {
        reject(`person '${s.personId}' does not exist`);
        continue;
      }
      if (!pa) {
        reject(`person '${s.personId}' has no account`);
        continue;
      }
      if (accountId && accountId !== pa) {
        reject(`person '${s.personId}' is not a contact of account '${accountId}'`);
        continue;
      }
      accountId = pa;
    } else if (accountId && !knownAccounts.has(accountId)) {
      reject(`account '${accountId}' does not exist`);
      continue;
    }
    if (!accountId || seen.has(s.externalId)) continue;
    seen.add(s.externalId);
    rows.push({
      external_id: s.externalId,
      account_id: accountId,
      person_id: s.personId ?? null,
      type: s.type,
      topic: s.topic,
      topic_key: foldText(s.topic),
      strength: s.strength,
      occurred_at: new Date(s.occurredAt).toISOString(),
      origin: "ingest",
      ingested_at: at,
    });
  }
  const accepted = await insertSignals(deps.db, rows);
  return { accepted, duplicates: signals.length - rejected.length - accepted, rejected };
}

async function insertSignals(db: Db, rows: IntentSignalRow[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    const res = await db
      .insertInto("intent_signals")
      .values(part)
      .onConflict((oc) => oc.column("external_id").doNothing())
      .returning("external_id")
      .execute();
    inserted += res.length;
  }
  return inserted;
}

/**
 * Derives intent signals from activity metadata (`keywords`: string or string[], `product`: string,
 * `solution`: string) of activities in the window: keyword and product topics as they are, and a
 * solution topic for each solution interest that lists one of them (see solutionMatcher). Separate from activity ingest; idempotent (one signal per activity
 * and topic, external id `activity:<activity id>:<type>:<topic>`). Strength is the activity type's weight.
 */
export async function deriveIntentFromActivities(deps: Deps, now = deps.clock()): Promise<{ derived: number }> {
  const since = new Date(now.getTime() - deps.config.windowDays * DAY_MS).toISOString();
  const at = now.toISOString();
  const solutionsFor = await solutionMatcher(deps.db);
  let derived = 0;
  let after = "";
  for (;;) {
    const batch = await deps.db
      .selectFrom("activities as a")
      .innerJoin("people as p", "p.id", "a.person_id")
      .innerJoin("activity_types as t", "t.id", "a.type_id")
      .select(["a.external_id", "a.person_id", "p.account_id", "a.occurred_at", "a.metadata", "t.weight"])
      .where("a.occurred_at", ">=", since)
      .where("a.metadata", "is not", null)
      .where("p.account_id", "is not", null)
      .where("a.external_id", ">", after)
      .orderBy("a.external_id")
      .limit(2000)
      .execute();
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.external_id;
    const rows = batch.flatMap((a) => {
      const meta = parseJson<Record<string, unknown>>(a.metadata, {});
      const keywords = Array.isArray(meta.keywords)
        ? meta.keywords
        : typeof meta.keywords === "string"
          ? meta.keywords.split(",")
          : [];
      const named: Array<[IntentType, string]> = [
        ...keywords
          .filter((k): k is string => typeof k === "string" && k.trim() !== "")
          .map((k) => ["keyword", k.trim()] as [IntentType, string]),
        ...(typeof meta.product === "string" && meta.product.trim()
          ? [["product", meta.product.trim()] as [IntentType, string]]
          : []),
      ];
      const solutions = new Set(solutionsFor(named));
      if (typeof meta.solution === "string" && meta.solution.trim()) solutions.add(meta.solution.trim());
      const topics: Array<[IntentType, string]> = [
        ...named,
        ...[...solutions].map((name) => ["solution", name] as [IntentType, string]),
      ];
      return topics.map(([type, topic]) => ({
        external_id: `activity:${a.external_id}:${type}:${foldText(topic)}`.slice(0, 400),
        account_id: a.account_id!,
        person_id: a.person_id,
        type,
        topic,
        topic_key: foldText(topic),
        strength: Math.max(0, Math.min(100, a.weight)),
        occurred_at: a.occurred_at,
        origin: "activity",
        ingested_at: at,
      }));
    });
    derived += await insertSignals(deps.db, rows);
  }
  return { derived };
}

/**
 * Solution intent: an activity whose keywords or product are ones a solution interest lists signals
 * intent for that solution (topic = the interest's name), once per activity and interest; an
 * activity's `metadata.solution` names one directly.
 */
async function solutionMatcher(db: Db): Promise<(topics: ReadonlyArray<[IntentType, string]>) => string[]> {
  const interests = await db.selectFrom("solution_interests").select(["name", "keywords", "products"]).execute();
  const byTopic = new Map<string, string[]>();
  const add = (key: string, name: string) => {
    const list = byTopic.get(key) ?? byTopic.set(key, []).get(key)!;
    if (!list.includes(name)) list.push(name);
  };
  for (const si of interests) {
    for (const k of parseJson<string[]>(si.keywords, [])) add(`keyword|${foldText(k)}`, si.name);
    for (const p of parseJson<string[]>(si.products, [])) add(`product|${foldText(p)}`, si.name);
  }
  return (topics) => [...new Set(topics.flatMap(([type, topic]) => byTopic.get(`${type}|${foldText(topic)}`) ?? []))];
}

type Scope = { accountId: string } | { personIds: readonly string[]; accountId?: string };

async function loadSignals(db: Db, scope: Scope, since: string) {
  let q = db
    .selectFrom("intent_signals")
    .select(["person_id", "type", "topic", "strength", "occurred_at"])
    .where("occurred_at", ">=", since);
  if ("personIds" in scope) {
    const ids = [...scope.personIds];
    const acc = scope.accountId;
    if (ids.length === 0 && !acc) return [];
    q = q.where((eb) => {
      const accountWide = acc ? [eb.and([eb("account_id", "=", acc), eb("person_id", "is", null)])] : [];
      return eb.or([...(ids.length ? [eb("person_id", "in", ids)] : []), ...accountWide]);
    });
  } else {
    q = q.where("account_id", "=", scope.accountId);
  }
  return q.execute();
}

const toInput = (r: { type: string; topic: string; strength: number; occurred_at: string }): IntentSignalInput => ({
  type: r.type as IntentType,
  topic: r.topic,
  strength: r.strength,
  occurredAt: r.occurred_at,
});

function view(signals: IntentSignalInput[], now: Date, windowDays: number): IntentView {
  const topics = intentTopics(signals, now, windowDays);
  return { levels: levelsByType(topics), topics };
}

/** Each person's intent topics (their own signals), for role rules and member cards. */
export async function personIntent(deps: Deps, personIds: readonly string[], db: Db = deps.db) {
  const now = deps.clock();
  const since = new Date(now.getTime() - deps.config.windowDays * DAY_MS).toISOString();
  const out = new Map<string, IntentView>();
  if (personIds.length === 0) return out;
  const rows: Awaited<ReturnType<typeof loadSignals>> = [];
  for (let i = 0; i < personIds.length; i += 500)
    rows.push(...(await loadSignals(db, { personIds: personIds.slice(i, i + 500) }, since)));
  const by = new Map<string, IntentSignalInput[]>();
  for (const r of rows) if (r.person_id) (by.get(r.person_id) ?? by.set(r.person_id, []).get(r.person_id)!).push(toInput(r));
  for (const id of personIds) out.set(id, view(by.get(id) ?? [], now, deps.config.windowDays));
  return out;
}

/** A group's intent: its active members' signals plus the account-wide ones (no person). */
export async function groupIntent(deps: Deps, groupId: string, accountId: string): Promise<IntentView> {
  return (await groupIntentUntil(deps, groupId, accountId, deps.clock())).view;
}

/**
 * A group's intent as of `now`, and until when (epoch ms) it stays exactly that if no signal or member
 * changes: the next moment one of its signals grows a whole day older (decay is by whole days of age).
 */
export async function groupIntentUntil(
  deps: Deps,
  groupId: string,
  accountId: string,
  now: Date,
): Promise<{ view: IntentView; validUntil: number }> {
  const since = new Date(now.getTime() - deps.config.windowDays * DAY_MS).toISOString();
  const members = await deps.db
    .selectFrom("group_members")
    .select("person_id")
    .where("group_id", "=", groupId)
    .where("status", "=", "active")
    .execute();
  const rows = await loadSignals(deps.db, { personIds: members.map((m) => m.person_id), accountId }, since);
  return intentFromSignals(rows, now, deps.config.windowDays);
}

/** The start of the intent window as of `now` (signals at or after it count). */
export const intentSince = (now: Date, windowDays: number) => new Date(now.getTime() - windowDays * DAY_MS).toISOString();

/** groupIntentUntil from signal rows already read (the group's active members' and the account's own). */
export function intentFromSignals(
  rows: ReadonlyArray<{ type: string; topic: string; strength: number; occurred_at: string }>,
  now: Date,
  windowDays: number,
): { view: IntentView; validUntil: number } {
  let validUntil = Number.POSITIVE_INFINITY;
  for (const r of rows) {
    const at = Date.parse(r.occurred_at);
    const age = Math.floor((now.getTime() - at) / DAY_MS);
    if (age >= 0) validUntil = Math.min(validUntil, at + (age + 1) * DAY_MS);
  }
  return { view: view(rows.map(toInput), now, windowDays), validUntil };
}

/** An account's intent (every signal of the account and its people) and its predicted solution interest. */
export async function accountIntent(deps: Deps, accountId: string): Promise<AccountIntent> {
  const acc = await deps.db.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst();
  if (!acc) throw notFound("Account", accountId);
  const now = deps.clock();
  const since = new Date(now.getTime() - deps.config.windowDays * DAY_MS).toISOString();
  const [rows, interests] = await Promise.all([
    loadSignals(deps.db, { accountId }, since),
    deps.db.selectFrom("solution_interests").select(["id", "name", "keywords", "products"]).execute(),
  ]);
  const v = view(rows.map(toInput), now, deps.config.windowDays);
  return {
    accountId,
    ...v,
    predictedSolutionInterest: predictSolutionInterest(
      v.topics,
      interests.map((si) => ({
        id: si.id,
        name: si.name,
        keywords: parseJson(si.keywords, []),
        products: parseJson(si.products, []),
      })),
    ),
  };
}

import { type Expression, sql } from "kysely";
import type { GroupSummary, Member } from "../../shared/api/groups";
import type { Person } from "../../shared/api/people";
import { hasUnsafeText } from "../../shared/api/text";
import type { Db } from "../db/create-db";

const summaryColumns = [
  "g.id",
  "g.name",
  "g.account_id",
  "a.name as account_name",
  "g.solution_interest_id",
  "si.name as si_name",
  "g.completeness",
  "g.engagement",
  "g.engagement_raw",
  "g.scores_computed_at",
  "g.stage_id",
  "st.name as stage_name",
  "st.kind as stage_kind",
  "g.role_template_id",
  "t.name as template_name",
  "t.version as template_version",
  "g.created_at",
  "g.updated_at",
  "g.summary",
] as const;

function baseQuery(db: Db) {
  return db
    .selectFrom("buying_groups as g")
    .innerJoin("accounts as a", "a.id", "g.account_id")
    .innerJoin("solution_interests as si", "si.id", "g.solution_interest_id")
    .innerJoin("role_templates as t", "t.id", "g.role_template_id")
    .leftJoin("stages as st", "st.id", "g.stage_id");
}

export type SummaryRow = Awaited<ReturnType<typeof selectSummaries>>[number];
function selectSummaries(db: Db, ids: string[]) {
  return summariesQuery(db, ids).execute();
}

/** The query behind getGroupSummaries (the PostgreSQL details statement embeds it). */
export function summariesQuery(db: Db, ids: string[]) {
  return baseQuery(db)
    .select(summaryColumns)
    .select((eb) =>
      eb
        .selectFrom("group_members as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.group_id", "=", "g.id")
        .where("m.status", "=", "active")
        .as("member_count"),
    )
    .where("g.id", "in", ids);
}

export function toSummary(r: SummaryRow, memberCount: number): GroupSummary & { summary: string | null } {
  return {
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    accountName: r.account_name,
    solutionInterestId: r.solution_interest_id,
    solutionInterestName: r.si_name,
    memberCount,
    completeness: r.completeness,
    engagement: r.engagement,
    engagementRaw: r.engagement_raw,
    scoresComputedAt: r.scores_computed_at,
    stage: r.stage_id ? { id: r.stage_id, name: r.stage_name ?? "", kind: r.stage_kind ?? "" } : null,
    roleTemplate: { id: r.role_template_id, name: r.template_name, version: r.template_version },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    summary: r.summary,
  };
}

export async function getGroupSummaries(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await selectSummaries(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toSummary(r, Number(r.member_count ?? 0))] : [];
  });
}

export interface GroupFilter {
  q?: string;
  accountId?: string;
  solutionInterestId?: string;
  stageId?: string;
  missingRole?: string;
  completenessMin?: number;
  completenessMax?: number;
  engagementMin?: number;
  engagementMax?: number;
  industry?: string;
  marketSegment?: string;
  country?: string;
}

export interface GroupPage {
  sort: "name" | "-updatedAt" | "-engagement" | "-completeness";
  limit: number;
  offset: number;
  cursor?: string;
}

/** Buying groups `g` narrowed by every filter of browse and the dashboard (account fields through a subquery). */
export function filteredGroups(db: Db, f: GroupFilter) {
  let q = db.selectFrom("buying_groups as g");
  if (f.q) q = q.where(sql`lower(g.name)`, "like", `%${f.q.toLowerCase()}%`);
  if (f.accountId) q = q.where("g.account_id", "=", f.accountId);
  if (f.solutionInterestId) q = q.where("g.solution_interest_id", "=", f.solutionInterestId);
  if (f.stageId) q = q.where("g.stage_id", "=", f.stageId);
  if (f.completenessMin !== undefined) q = q.where("g.completeness", ">=", f.completenessMin);
  if (f.completenessMax !== undefined) q = q.where("g.completeness", "<=", f.completenessMax);
  if (f.engagementMin !== undefined) q = q.where("g.engagement", ">=", f.engagementMin);
  if (f.engagementMax !== undefined) q = q.where("g.engagement", "<=", f.engagementMax);
  if (f.industry || f.marketSegment || f.country) {
    let accounts = db.selectFrom("accounts as a").select("a.id");
    if (f.industry) accounts = accounts.where(sql`lower(a.industry)`, "=", f.industry.toLowerCase());
    if (f.marketSegment) accounts = accounts.where(sql`lower(a.market_segment)`, "=", f.marketSegment.toLowerCase());
    if (f.country) accounts = accounts.where(sql`upper(a.country)`, "=", f.country.toUpperCase());
    q = q.where("g.account_id", "in", accounts);
  }
  if (f.missingRole) {
    const role = f.missingRole;
    // The role exists in the group's template and has fewer active members than it requires. group_role_fill
    // keeps that per group and role with the group's completeness (one key lookup); a group never scored has
    // no row there, and only then are its active members counted.
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("template_roles as tr")
          .leftJoin("group_role_fill as fill", (join) =>
            join.onRef("fill.group_id", "=", "g.id").onRef("fill.role_key", "=", "tr.key"),
          )
          .select("tr.key")
          .whereRef("tr.template_id", "=", "g.role_template_id")
          .where("tr.key", "=", role)
          .where(
            sql<number>`coalesce(fill.filled, case when (select count(*) from group_members m where m.group_id = g.id and m.role_key = tr.key and m.status = 'active') >= tr.members_required then 1 else 0 end)`,
            "=",
            0,
          ),
      ),
    );
  }
  return q;
}

const ORDER = {
  name: { col: "g.name", dir: "asc" },
  "-updatedAt": { col: "g.updated_at", dir: "desc" },
  "-engagement": { col: "g.engagement", dir: "desc" },
  "-completeness": { col: "g.completeness", dir: "desc" },
} as const;

export const encodeCursor = (value: string | number, id: string) =>
  Buffer.from(JSON.stringify([value, id])).toString("base64url");

export function decodeCursor(cursor: string): [string | number, string] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    // A forged cursor can decode to text no database stores (NUL): not a cursor this API wrote.
    return Array.isArray(v) &&
      v.length === 2 &&
      (typeof v[0] === "string" || typeof v[0] === "number") &&
      typeof v[1] === "string" &&
      !hasUnsafeText(v)
      ? [v[0], v[1]]
      : null;
  } catch {
    return null;
  }
}

/**
 * One page of group ids: sorted by `sort` then id; `cursor` (from the previous page's last row)
 * continues after that row, `offset` skips rows. Returns the total matching and the next cursor.
 */
export async function listGroupIds(db: Db, f: GroupFilter, page: GroupPage) {
  const q = filteredGroups(db, f);
  const { col, dir } = ORDER[page.sort];
  let rowsQuery = q
    .select(["g.id", `${col} as sort_value`])
    .orderBy(col, dir)
    .orderBy("g.id")
    .limit(page.limit);
  if (page.cursor) {
    const after = decodeCursor(page.cursor);
    if (!after) return null;
    const [value, id] = after;
    rowsQuery = rowsQuery.where((eb) =>
      eb.or([eb(col, dir === "asc" ? ">" : "<", value), eb.and([eb(col, "=", value), eb("g.id", ">", id)])]),
    );
  } else rowsQuery = rowsQuery.offset(page.offset);
  const [rows, total] = await Promise.all([
    rowsQuery.execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  const last = rows[rows.length - 1];
  return {
    ids: rows.map((r) => r.id),
    total: Number(total.n),
    nextCursor: rows.length === page.limit && last ? encodeCursor(last.sort_value as string | number, last.id) : null,
  };
}

/**
 * Active members of a group (with `includeRemoved`, removed ones too) with their person fields and
 * person scores (`scoresOf`: scores.service `personScores`), highest score first.
 */
export async function listMembers(
  db: Db,
  groupId: string,
  includeRemoved: boolean,
  scoresOf: (personIds: string[]) => Promise<ReadonlyMap<string, number>>,
) {
  let q = membersQuery(db, groupId);
  if (!includeRemoved) q = q.where("m.status", "=", "active");
  const rows = await q.orderBy("p.last_name").orderBy("m.person_id").execute();
  return withScores(rows, await scoresOf(rows.map((r) => r.person_id)));
}

/** A group's member rows with their person fields (every status; callers narrow and order). */
export function membersQuery(db: Db, groupId: string) {
  return db
    .selectFrom("group_members as m")
    .innerJoin("people as p", "p.id", "m.person_id")
    .select([
      "m.person_id",
      "m.role_key",
      "m.status",
      "m.source",
      "m.last_change_source",
      "m.last_change_at",
      "m.added_at",
      "p.first_name",
      "p.last_name",
      "p.job_title",
      "p.email",
      "p.phone",
      "p.status as person_status",
    ])
    .where("m.group_id", "=", groupId);
}

export type MemberRow = Awaited<ReturnType<ReturnType<typeof membersQuery>["execute"]>>[number];

/** Member rows (in last name, person id order) with their scores, highest first; equal scores keep that order. */
export function withScores(rows: readonly MemberRow[], scores: ReadonlyMap<string, number>) {
  return rows.map((r) => ({ ...r, score: scores.get(r.person_id) ?? 0 })).sort((a, b) => b.score - a.score);
}

export function toMember(
  r: Awaited<ReturnType<typeof listMembers>>[number],
  roles: ReadonlyMap<string, { name: string; decisionMaker: boolean }>,
): Member {
  const role = roles.get(r.role_key);
  return {
    personId: r.person_id,
    name: `${r.first_name} ${r.last_name}`.trim(),
    jobTitle: r.job_title,
    roleKey: r.role_key,
    roleName: role?.name ?? r.role_key,
    decisionMaker: role?.decisionMaker ?? false,
    score: r.score,
    email: r.email,
    phone: r.phone,
    source: r.source as Member["source"],
    lastChangeSource: r.last_change_source as Member["source"],
    lastChangeAt: r.last_change_at,
    addedAt: r.added_at,
    status: r.status as Member["status"],
    personStatus: r.person_status as Person["status"],
  };
}

/**
 * The last journeys (most recently entered first) the account is currently in: its place in the journey
 * is still active (not exited or completed) and the journey itself runs (active or paused, not a draft
 * and not completed).
 */
export async function accountJourneys(db: Db, accountId: string, limit = 3) {
  return toJourneys(await accountJourneysQuery(db, accountId, limit).execute());
}

export const toJourneys = (rows: ReadonlyArray<{ id: string; name: string; status: string; entered_at: string }>) =>
  rows.map((r) => ({ id: r.id, name: r.name, status: r.status, enteredAt: r.entered_at }));

/** The query behind accountJourneys; `accountId` may be a subquery (the PostgreSQL details statement). */
export function accountJourneysQuery(db: Db, accountId: string | Expression<string>, limit = 3) {
  return db
    .selectFrom("account_journeys as aj")
    .innerJoin("journeys as j", "j.id", "aj.journey_id")
    .select(["j.id", "j.name", "aj.status", "aj.entered_at"])
    .where("aj.account_id", "=", accountId)
    .where("aj.status", "=", "active")
    .where("j.status", "in", ["active", "paused"])
    .orderBy("aj.entered_at", "desc")
    .limit(limit);
}

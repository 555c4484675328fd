import { type Kysely, PostgresAdapter, sql } from "kysely";

// Frozen in time: never import application code here.
//
// 1. `buying_groups.details_version`: a stamp that changes in the same transaction as every change
//    to what `GET /api/groups/:id` shows, so a process can cache the serialized details per
//    (group, version) and check the version with one indexed read. Score writes bump it explicitly
//    (server/scores/scores.repo.ts, in the same UPDATE); everything else is bumped by the triggers
//    below, so no code path (API, CLI, jobs, imports, other processes) can forget it. Triggers are the
//    one place where SQL differs per engine: the same statements, wrapped as a SQLite trigger body or
//    a PL/pgSQL trigger function.
// 2. Drops `activity_daily_day`: every read of the rollup filters on person_id first, which the
//    primary key (person_id, day, type_id) serves; the index only cost writes at ingest.

type Ref = "NEW" | "OLD";
interface Bump {
  name: string;
  table: string;
  event: "insert" | "update" | "delete";
  /** For updates: fire only when one of these columns is set. */
  columns?: readonly string[];
  /** WHERE clauses on buying_groups (one UPDATE each), given the row reference(s) the event has. */
  where: (refs: readonly Ref[]) => string[];
}

const refsOf = (event: Bump["event"]): Ref[] => (event === "insert" ? ["NEW"] : event === "delete" ? ["OLD"] : ["NEW", "OLD"]);
const inList = (col: string, refs: readonly Ref[], field: string) =>
  refs.length === 1 ? `${col} = ${refs[0]}.${field}` : `${col} in (${refs.map((r) => `${r}.${field}`).join(", ")})`;
const allEvents = ["insert", "update", "delete"] as const;

const BUMPS: Bump[] = [
  // The group's own row (name, stage, template, summary, …); score columns are bumped by their writer.
  {
    name: "groups_update",
    table: "buying_groups",
    event: "update",
    columns: ["name", "account_id", "solution_interest_id", "role_template_id", "stage_id", "summary", "updated_at"],
    where: () => ["id = NEW.id"],
  },
  // Members: list, roles, counts, the intent of the members.
  ...allEvents.map(
    (event): Bump => ({ name: `members_${event}`, table: "group_members", event, where: (r) => [inList("id", r, "group_id")] }),
  ),
  // A member's person fields shown on member cards (the score is bumped by its writer).
  {
    name: "people_update",
    table: "people",
    event: "update",
    columns: ["first_name", "last_name", "job_title", "email", "phone", "status"],
    where: () => ["id in (select group_id from group_members where person_id = NEW.id)"],
  },
  // The account's people count.
  ...allEvents.map(
    (event): Bump => ({
      name: `people_account_${event}`,
      table: "people",
      event,
      ...(event === "update" ? { columns: ["account_id"] } : {}),
      where: (r) => [inList("account_id", r, "account_id")],
    }),
  ),
  { name: "accounts_update", table: "accounts", event: "update", where: () => ["account_id = NEW.id"] },
  ...allEvents.map(
    (event): Bump => ({
      name: `crm_links_${event}`,
      table: "account_crm_links",
      event,
      where: (r) => [inList("account_id", r, "account_id")],
    }),
  ),
  ...allEvents.map(
    (event): Bump => ({
      name: `account_journeys_${event}`,
      table: "account_journeys",
      event,
      where: (r) => [inList("account_id", r, "account_id")],
    }),
  ),
  {
    name: "journeys_update",
    table: "journeys",
    event: "update",
    columns: ["name"],
    where: () => ["account_id in (select account_id from account_journeys where journey_id = NEW.id)"],
  },
  {
    name: "interests_update",
    table: "solution_interests",
    event: "update",
    columns: ["name"],
    where: () => ["solution_interest_id = NEW.id"],
  },
  {
    name: "templates_update",
    table: "role_templates",
    event: "update",
    columns: ["name", "version"],
    where: () => ["role_template_id = NEW.id"],
  },
  ...allEvents.map(
    (event): Bump => ({
      name: `template_roles_${event}`,
      table: "template_roles",
      event,
      where: (r) => [inList("role_template_id", r, "template_id")],
    }),
  ),
  { name: "stages_update", table: "stages", event: "update", columns: ["name", "kind"], where: () => ["stage_id = NEW.id"] },
  // Intent: a person's signals count in every group the person is a member of; account-wide ones
  // (no person) in the account's groups.
  ...allEvents.map(
    (event): Bump => ({
      name: `intent_${event}`,
      table: "intent_signals",
      event,
      where: (r) =>
        r.flatMap((ref) => [
          `id in (select group_id from group_members where person_id = ${ref}.person_id)`,
          `${ref}.person_id is null and account_id = ${ref}.account_id`,
        ]),
    }),
  ),
];

const bumpSql = (where: string) => `update buying_groups set details_version = details_version + 1 where ${where};`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("buying_groups")
    .addColumn("details_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.dropIndex("activity_daily_day").execute();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const b of BUMPS) {
    const body = b.where(refsOf(b.event)).map(bumpSql).join(" ");
    const on = `after ${b.event}${b.columns ? ` of ${b.columns.join(", ")}` : ""} on ${b.table} for each row`;
    if (postgres) {
      await sql
        .raw(
          `create or replace function details_version_${b.name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`,
        )
        .execute(db);
      await sql.raw(`create trigger details_version_${b.name} ${on} execute procedure details_version_${b.name}()`).execute(db);
    } else {
      await sql.raw(`create trigger details_version_${b.name} ${on} begin ${body} end`).execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const b of BUMPS) {
    await sql.raw(`drop trigger if exists details_version_${b.name}${postgres ? ` on ${b.table}` : ""}`).execute(db);
    if (postgres) await sql.raw(`drop function if exists details_version_${b.name}()`).execute(db);
  }
  await db.schema.createIndex("activity_daily_day").on("activity_daily").column("day").execute();
  await db.schema.alterTable("buying_groups").dropColumn("details_version").execute();
}

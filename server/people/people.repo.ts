import { sql } from "kysely";
import type { CreatePersonInput, Person } from "../../shared/api/people";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";
import type { PersonRow } from "../db/schema";

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    accountId: row.account_id,
    firstName: row.first_name,
    lastName: row.last_name,
    name: `${row.first_name} ${row.last_name}`.trim(),
    email: row.email,
    phone: row.phone,
    jobTitle: row.job_title,
    department: row.department,
    seniority: row.seniority,
    country: row.country,
    source: row.source,
    status: row.status as Person["status"],
    attributes: parseJson(row.attributes, {}),
    score: row.score,
    scoreComputedAt: row.score_computed_at,
  };
}

export async function getPeople(db: Db, ids: string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("people").selectAll().where("id", "in", ids).execute();
  return rows.map(toPerson);
}

export async function findPersonByEmail(db: Db, email: string): Promise<Person | null> {
  const row = await db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirst();
  return row ? toPerson(row) : null;
}

export async function insertPerson(db: Db, input: CreatePersonInput, now: string): Promise<string> {
  const id = newId("per");
  await db
    .insertInto("people")
    .values({
      id,
      account_id: input.accountId,
      first_name: input.firstName,
      last_name: input.lastName,
      email: input.email,
      phone: input.phone,
      job_title: input.jobTitle,
      department: input.department,
      seniority: input.seniority,
      country: input.country,
      source: input.source,
      status: input.status,
      attributes: toJson(input.attributes),
      score: 0,
      score_computed_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function listAccountPeople(db: Db, accountId: string, q: string | undefined, limit: number, offset: number) {
  let query = db.selectFrom("people").where("account_id", "=", accountId);
  if (q) {
    const like = `%${q.toLowerCase()}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(first_name || ' ' || last_name)`, "like", like),
        eb("email", "like", like),
        eb(sql`lower(coalesce(job_title, ''))`, "like", like),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy("score", "desc").orderBy("last_name").orderBy("id").limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toPerson), total: Number(total.n) };
}

import { sql } from "kysely";
import type { CreatePersonInput, Person } from "../../shared/api/people";
import type { Db } from "../db/create-db";
import { newId } from "../db/ids";
import { parseJson, toJson } from "../db/json";
import type { PersonRow } from "../db/schema";

/** A person as the API shows it, with their person score as of `scoreComputedAt` (see scores.service `personScores`). */
export function toPerson(row: PersonRow, score: number, scoreComputedAt: string): Person {
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
    score,
    scoreComputedAt,
  };
}

export async function getPersonRow(db: Db, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom("people").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findPersonRowByEmail(db: Db, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom("people").selectAll().where("email", "=", email).executeTakeFirst();
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
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Every person of an account, optionally matching `q` (name, email or job title). */
export async function listAccountPersonRows(db: Db, accountId: string, q: string | undefined): Promise<PersonRow[]> {
  let query = db.selectFrom("people").selectAll().where("account_id", "=", accountId);
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
  return query.execute();
}

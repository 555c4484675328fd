import type { CreatePersonInput, CreatePersonResult, Person } from "../../shared/api/people";
import { notFound, QuorumError } from "../../shared/errors";
import { accountExists } from "../accounts/accounts.repo";
import { isUniqueViolation } from "../db/errors";
import type { PersonRow } from "../db/schema";
import type { Deps } from "../deps";
import { personScores } from "../scores/scores.service";
import { findPersonRowByEmail, getPersonRow, insertPerson, listAccountPersonRows, toPerson } from "./people.repo";

/** People as the API shows them, with their person scores as of now. */
async function withScores(deps: Deps, rows: readonly PersonRow[]): Promise<Person[]> {
  const now = deps.clock();
  const scores = await personScores(
    deps.db,
    deps,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => toPerson(r, scores.get(r.id) ?? 0, now.toISOString()));
}

async function findPersonByEmail(deps: Deps, email: string): Promise<Person | null> {
  const row = await findPersonRowByEmail(deps.db, email);
  return row ? ((await withScores(deps, [row]))[0] ?? null) : null;
}

export async function getPerson(deps: Deps, id: string): Promise<Person> {
  const row = await getPersonRow(deps.db, id);
  if (!row) throw notFound("Person", id);
  return (await withScores(deps, [row]))[0]!;
}

/**
 * People of an account by person score (highest first, then last name), a page at a time. Scores are
 * computed for every matching person of the account (a few rollup rows each), then sorted.
 */
export async function listAccountPeople(deps: Deps, accountId: string, q: string | undefined, limit: number, offset: number) {
  const people = await withScores(deps, await listAccountPersonRows(deps.db, accountId, q));
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  people.sort((a, b) => b.score - a.score || byText(a.lastName, b.lastName) || byText(a.id, b.id));
  return { items: people.slice(offset, offset + limit), total: people.length };
}

/**
 * Creates a person, or returns the existing one with the same email (`matched: true`) unchanged:
 * the one-click assign from a CRM page must never create a duplicate.
 */
export async function createOrMatchPerson(deps: Deps, input: CreatePersonInput): Promise<CreatePersonResult> {
  if (input.email) {
    const existing = await findPersonByEmail(deps, input.email);
    if (existing) return { person: existing, matched: true };
  }
  if (input.accountId && !(await accountExists(deps.db, input.accountId))) {
    throw new QuorumError(400, "validation_failed", `Invalid request body: accountId '${input.accountId}' is not an account.`, {
      issues: [{ field: "accountId", message: "is not an existing account" }],
    });
  }
  try {
    const id = await insertPerson(deps.db, input, deps.clock().toISOString());
    return { person: await getPerson(deps, id), matched: false };
  } catch (err) {
    // Two clicks on the same contact at once: the second insert loses the race and returns the first.
    const winner = input.email && isUniqueViolation(err) ? await findPersonByEmail(deps, input.email) : null;
    if (winner) return { person: winner, matched: true };
    throw err;
  }
}

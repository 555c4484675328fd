import type { CreatePersonInput, CreatePersonResult, Person } from "../../shared/api/people";
import { notFound, QuorumError } from "../../shared/errors";
import { accountExists } from "../accounts/accounts.repo";
import { isUniqueViolation } from "../db/errors";
import type { Deps } from "../deps";
import { findPersonByEmail, getPeople, insertPerson } from "./people.repo";

export async function getPerson(deps: Deps, id: string): Promise<Person> {
  const [p] = await getPeople(deps.db, [id]);
  if (!p) throw notFound("Person", id);
  return p;
}

/**
 * Creates a person, or returns the existing one with the same email (`matched: true`) unchanged:
 * the one-click assign from a CRM page must never create a duplicate.
 */
export async function createOrMatchPerson(deps: Deps, input: CreatePersonInput): Promise<CreatePersonResult> {
  if (input.email) {
    const existing = await findPersonByEmail(deps.db, input.email);
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
    const winner = input.email && isUniqueViolation(err) ? await findPersonByEmail(deps.db, input.email) : null;
    if (winner) return { person: winner, matched: true };
    throw err;
  }
}

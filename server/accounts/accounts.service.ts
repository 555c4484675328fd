import type { Account, AccountLookupResult, CreateAccountInput } from "../../shared/api/accounts";
import { notFound, QuorumError } from "../../shared/errors";
import { isUniqueViolation } from "../db/errors";
import type { Deps } from "../deps";
import {
  accountExists,
  findAccountIdByCrm,
  findAccountIdsByDomain,
  findAccountIdsByName,
  getAccounts,
  insertAccount,
  insertCrmLink,
} from "./accounts.repo";

export async function getAccount(deps: Deps, id: string): Promise<Account> {
  const [account] = await getAccounts(deps.db, [id]);
  if (!account) throw notFound("Account", id);
  return account;
}

/** Resolves an account the way the panel does: CRM record id, then domain, then name. */
export async function lookupAccount(
  deps: Deps,
  q: { crm?: string; recordId?: string; domain?: string; name?: string },
): Promise<AccountLookupResult> {
  if (q.crm && q.recordId) {
    const id = await findAccountIdByCrm(deps.db, q.crm, q.recordId);
    if (id) return { matchedBy: "crm", accounts: await getAccounts(deps.db, [id]) };
  }
  if (q.domain) {
    const ids = await findAccountIdsByDomain(deps.db, q.domain);
    if (ids.length > 0) return { matchedBy: "domain", accounts: await getAccounts(deps.db, ids) };
  }
  if (q.name) {
    const ids = await findAccountIdsByName(deps.db, q.name);
    if (ids.length > 0) return { matchedBy: "name", accounts: await getAccounts(deps.db, ids) };
  }
  return { matchedBy: null, accounts: [] };
}

async function assertLinksFree(deps: Deps, links: Array<{ crm: string; recordId: string }>) {
  for (const l of links) {
    const owner = await findAccountIdByCrm(deps.db, l.crm, l.recordId);
    if (owner) {
      throw new QuorumError(409, "conflict", `CRM record ${l.crm}/${l.recordId} is already linked to account '${owner}'.`, {
        crm: l.crm,
        recordId: l.recordId,
        accountId: owner,
      });
    }
  }
}

/** A CRM record linked concurrently by someone else between our check and our insert. */
function linkTaken(links: Array<{ crm: string; recordId: string }>) {
  return new QuorumError(
    409,
    "conflict",
    "One of these CRM records was just linked to another account; look the record up again.",
    { links },
  );
}

export async function createAccount(deps: Deps, input: CreateAccountInput): Promise<Account> {
  if (input.parentId && !(await accountExists(deps.db, input.parentId))) {
    throw new QuorumError(400, "validation_failed", `Invalid request body: parentId '${input.parentId}' is not an account.`, {
      issues: [{ field: "parentId", message: "is not an existing account" }],
    });
  }
  await assertLinksFree(deps, input.crmLinks);
  const now = deps.clock().toISOString();
  const id = await deps.db
    .transaction()
    .execute((trx) => insertAccount(trx, input, now))
    .catch((err: unknown) => {
      throw isUniqueViolation(err) ? linkTaken(input.crmLinks) : err;
    });
  return getAccount(deps, id);
}

/** Links a CRM record to an existing account (the panel's "link this record" for ambiguous lookups). */
export async function linkAccount(deps: Deps, accountId: string, link: { crm: string; recordId: string }): Promise<Account> {
  if (!(await accountExists(deps.db, accountId))) throw notFound("Account", accountId);
  await assertLinksFree(deps, [link]);
  await insertCrmLink(deps.db, accountId, link.crm, link.recordId, deps.clock().toISOString()).catch((err: unknown) => {
    throw isUniqueViolation(err) ? linkTaken([link]) : err;
  });
  return getAccount(deps, accountId);
}

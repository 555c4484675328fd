import { CrmSchema, normaliseDomain } from "../../shared/api/accounts";
import { IdSchema } from "../../shared/api/common";
import { CreatePersonBody, type CreatePersonInput } from "../../shared/api/people";
import type { Deps } from "../deps";
import { createOrMatchPerson } from "../people/people.service";
import { accountIdsByCrmLink, accountIdsByDomain, existingAccountIds, linkKey, writeWithFallback } from "./batch";
import { describeIssues, type Header, listOf, type Row, requireColumns } from "./columns";
import type { BatchResult, ImporterFactory, Prepared } from "./types";

const FIELD_COLUMNS: Record<string, string> = {
  firstName: "first_name",
  lastName: "last_name",
  jobTitle: "job_title",
};

/** How the row names the person's account; at least one is set. */
interface AccountRef {
  accountId?: string;
  link?: { crm: string; recordId: string };
  domain?: string;
}

export interface PersonItem {
  /** Validated, without `accountId`: the account is resolved when the batch is written. */
  input: CreatePersonInput;
  account: AccountRef;
}

function prepare(row: Row): Prepared<PersonItem> {
  const reasons: string[] = [];
  const account: AccountRef = {};

  const accountId = row.get("account_id");
  if (accountId !== undefined) {
    const r = IdSchema.safeParse(accountId);
    if (r.success) account.accountId = r.data;
    else reasons.push(describeIssues(row, r.error, () => "account_id"));
  }
  const crm = row.get("crm");
  const recordId = row.get("account_record_id");
  if (crm !== undefined && recordId !== undefined) {
    const r = CrmSchema.safeParse(crm);
    if (r.success) account.link = { crm: r.data, recordId };
    else reasons.push(describeIssues(row, r.error, () => "crm"));
  } else if (crm !== undefined || recordId !== undefined) {
    reasons.push(`${row.label("crm")} and ${row.label("account_record_id")} go together: give both, or neither`);
  }
  const domainRaw = row.get("account_domain");
  if (domainRaw !== undefined) {
    const d = normaliseDomain(domainRaw);
    if (d) account.domain = d;
    else reasons.push(`${row.label("account_domain")} must be a web domain such as acme.com (got '${domainRaw}')`);
  }
  if (reasons.length === 0 && !account.accountId && !account.link && !account.domain) {
    const ways = [
      row.label("account_domain"),
      row.label("account_id"),
      `${row.label("crm")} + ${row.label("account_record_id")}`,
    ];
    reasons.push(`${listOf(ways, "or")} must be given to find the person's account`);
  }

  const parsed = CreatePersonBody.safeParse({
    firstName: row.get("first_name") ?? "",
    lastName: row.get("last_name"),
    email: row.get("email"),
    phone: row.get("phone"),
    jobTitle: row.get("job_title"),
    department: row.get("department"),
    seniority: row.get("seniority"),
    country: row.get("country"),
    source: row.get("source") ?? "import",
  });
  if (!parsed.success) reasons.unshift(describeIssues(row, parsed.error, (path) => FIELD_COLUMNS[path] ?? path));
  if (reasons.length > 0 || !parsed.success) return { ok: false, reason: reasons.join("; ") };
  return { ok: true, item: { input: parsed.data, account } };
}

/** Resolves every account reference of a batch with three queries. */
async function accountResolver(deps: Deps, items: readonly PersonItem[], header: Header) {
  const refs = items.map((i) => i.account);
  const [ids, links, domains] = await Promise.all([
    existingAccountIds(
      deps.db,
      refs.flatMap((r) => (r.accountId ? [r.accountId] : [])),
    ),
    accountIdsByCrmLink(
      deps.db,
      refs.flatMap((r) => (r.link ? [r.link] : [])),
    ),
    accountIdsByDomain(
      deps.db,
      refs.flatMap((r) => (r.domain ? [r.domain] : [])),
    ),
  ]);
  /** The account id, tried by account_id, then CRM record, then domain; or why none matched. */
  return (ref: AccountRef): { id: string } | { reason: string } => {
    const problems: string[] = [];
    if (ref.accountId) {
      if (ids.has(ref.accountId)) return { id: ref.accountId };
      problems.push(`${header.label("account_id")} '${ref.accountId}' is not an account`);
    }
    if (ref.link) {
      const id = links.get(linkKey(ref.link.crm, ref.link.recordId));
      if (id) return { id };
      problems.push(`no account is linked to ${ref.link.crm} record '${ref.link.recordId}'`);
    }
    if (ref.domain) {
      const found = domains.get(ref.domain) ?? [];
      if (found.length === 1 && found[0]) return { id: found[0] };
      problems.push(
        found.length === 0
          ? `${header.label("account_domain")} '${ref.domain}' matches no account`
          : `${header.label("account_domain")} '${ref.domain}' matches ${found.length} accounts; give ${header.label("account_id")} or ${header.label("crm")} + ${header.label("account_record_id")} instead`,
      );
    }
    const fix = problems.some((p) => !p.endsWith("instead")) ? "; import the account first or correct the value" : "";
    return { reason: `${problems.join("; ")}${fix}` };
  };
}

/**
 * People: `first_name` and an account (by `account_domain`, `account_id` or `crm` + `account_record_id`)
 * are required. A person whose email already exists (in the database or earlier in the file) is a
 * duplicate and is left unchanged.
 */
export const peopleImporter: ImporterFactory<PersonItem> = {
  example: "first_name,last_name,email,job_title,account_domain",
  create(header: Header) {
    requireColumns(header, ["first_name"], [["account_domain"], ["account_id"], ["crm", "account_record_id"]]);
    return {
      batchSize: 1000,
      prepare,
      async write(deps, batch) {
        const resolve = await accountResolver(
          deps,
          batch.map((b) => b.item),
          header,
        );
        return writeWithFallback(batch, (part) =>
          deps.db.transaction().execute(async (trx) => {
            // The service checks the email and the account again, inside this batch's transaction.
            const inTrx = { ...deps, db: trx };
            const r: BatchResult = { imported: 0, duplicates: 0, rejected: [] };
            for (const { line, item } of part) {
              const account = resolve(item.account);
              if ("reason" in account) {
                r.rejected.push({ line, reason: account.reason });
                continue;
              }
              const { matched } = await createOrMatchPerson(inTrx, { ...item.input, accountId: account.id });
              if (matched) r.duplicates++;
              else r.imported++;
            }
            return r;
          }),
        );
      },
    };
  },
};

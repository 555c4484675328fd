import { CreateAccountBody, type CreateAccountInput, normaliseDomain } from "../../shared/api/accounts";
import { BUILTIN_CRMS } from "../../shared/domain/crm";
import { insertAccount } from "../accounts/accounts.repo";
import { accountIdsByCrmLink, accountIdsByDomain, linkKey, writeWithFallback } from "./batch";
import { describeIssues, type Header, numberCell, type Row, requireColumns } from "./columns";
import type { BatchResult, ImporterFactory, Prepared } from "./types";

/** `salesforce_id`, `hubspot_id`, …: one CRM link each. */
const LINK_COLUMNS = BUILTIN_CRMS.map((crm) => ({ crm, column: `${crm}_id` }));

const FIELD_COLUMNS: Record<string, string> = {
  marketSegment: "market_segment",
  annualRevenue: "annual_revenue",
  openOpportunitiesCount: "open_opportunities_count",
  openOpportunitiesAmount: "open_opportunities_amount",
};

export interface AccountItem {
  /** Validated, without `parentId`: the parent is resolved when the batch is written. */
  input: CreateAccountInput;
  parentDomain: string | null;
}

function prepare(row: Row): Prepared<AccountItem> {
  const reasons: string[] = [];
  const number = (column: string, opts: { integer?: boolean; example: string }) => {
    const r = numberCell(row, column, opts);
    if (r.ok) return r.value;
    reasons.push(r.reason);
    return undefined;
  };
  const annualRevenue = number("annual_revenue", { example: "2500000" });
  const openOpportunitiesCount = number("open_opportunities_count", { integer: true, example: "3" });
  const openOpportunitiesAmount = number("open_opportunities_amount", { example: "120000" });

  const parentRaw = row.get("parent_domain");
  const parentDomain = parentRaw === undefined ? null : normaliseDomain(parentRaw);
  if (parentRaw !== undefined && !parentDomain) {
    reasons.push(`${row.label("parent_domain")} must be a web domain such as acme.com (got '${parentRaw}')`);
  }

  // Each link remembers the columns it came from, to name them in a reason.
  const links: Array<{ crm: string; recordId: string }> = [];
  const sources: Array<{ crm: string; recordId: string }> = [];
  const crm = row.get("crm");
  const recordId = row.get("record_id");
  if (crm !== undefined && recordId !== undefined) {
    links.push({ crm, recordId });
    sources.push({ crm: "crm", recordId: "record_id" });
  } else if (crm !== undefined || recordId !== undefined) {
    reasons.push(`${row.label("crm")} and ${row.label("record_id")} go together: give both, or neither`);
  }
  for (const { crm, column } of LINK_COLUMNS) {
    const id = row.get(column);
    if (id === undefined) continue;
    links.push({ crm, recordId: id });
    sources.push({ crm: column, recordId: column });
  }

  const parsed = CreateAccountBody.safeParse({
    name: row.get("name") ?? "",
    domain: row.get("domain"),
    industry: row.get("industry"),
    marketSegment: row.get("market_segment"),
    country: row.get("country"),
    annualRevenue,
    openOpportunitiesCount,
    openOpportunitiesAmount,
    crmLinks: links,
  });
  if (!parsed.success) {
    reasons.unshift(
      describeIssues(row, parsed.error, (path) => {
        const link = path.match(/^crmLinks\.(\d+)\.(crm|recordId)$/);
        if (link) return sources[Number(link[1])]?.[link[2] as "crm" | "recordId"] ?? "crm";
        return FIELD_COLUMNS[path] ?? path;
      }),
    );
  }
  if (reasons.length > 0 || !parsed.success) return { ok: false, reason: reasons.join("; ") };
  const unique = new Map(parsed.data.crmLinks.map((l) => [linkKey(l.crm, l.recordId), l]));
  return { ok: true, item: { input: { ...parsed.data, crmLinks: [...unique.values()] }, parentDomain } };
}

/**
 * Accounts: `name` is required. An account whose CRM record or domain already exists (in the database
 * or earlier in the file) is a duplicate and is left unchanged. `parent_domain` may name an account
 * earlier in the same file.
 */
export const accountsImporter: ImporterFactory<AccountItem> = {
  example: "name,domain,industry,country,salesforce_id",
  create(header: Header) {
    requireColumns(header, ["name"]);
    const parentLabel = header.label("parent_domain");
    return {
      batchSize: 1000,
      prepare,
      async write(deps, batch) {
        const items = batch.map((b) => b.item);
        const domains = await accountIdsByDomain(
          deps.db,
          items.flatMap((i) => [i.input.domain, i.parentDomain].filter((d): d is string => d !== null)),
        );
        const links = await accountIdsByCrmLink(
          deps.db,
          items.flatMap((i) => i.input.crmLinks),
        );
        const now = deps.clock().toISOString();
        return writeWithFallback(batch, async (part) => {
          const added = { domains: new Map<string, string>(), links: new Map<string, string>() };
          const result = await deps.db.transaction().execute(async (trx) => {
            const r: BatchResult = { imported: 0, duplicates: 0, rejected: [] };
            for (const { line, item } of part) {
              const { input, parentDomain } = item;
              const keys = input.crmLinks.map((l) => linkKey(l.crm, l.recordId));
              const known = (d: string) => domains.get(d) ?? (added.domains.has(d) ? [added.domains.get(d)!] : []);
              if (keys.some((k) => links.has(k) || added.links.has(k)) || (input.domain && known(input.domain).length > 0)) {
                r.duplicates++;
                continue;
              }
              let parentId: string | null = null;
              if (parentDomain) {
                const ids = known(parentDomain);
                if (ids.length !== 1) {
                  r.rejected.push({
                    line,
                    reason:
                      ids.length === 0
                        ? `${parentLabel} '${parentDomain}' matches no account; put the parent's row above this one, or import the parent first`
                        : `${parentLabel} '${parentDomain}' matches ${ids.length} accounts; give the parent a unique domain`,
                  });
                  continue;
                }
                parentId = ids[0] ?? null;
              }
              const id = await insertAccount(trx, { ...input, parentId }, now);
              if (input.domain) added.domains.set(input.domain, id);
              for (const k of keys) added.links.set(k, id);
              r.imported++;
            }
            return r;
          });
          for (const [d, id] of added.domains) domains.set(d, [id]);
          for (const [k, id] of added.links) links.set(k, id);
          return result;
        });
      },
    };
  },
};

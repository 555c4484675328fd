import { ActivityInput } from "../../shared/api/activities";
import { MAX_ACTIVITY_BATCH } from "../../shared/api/common";
import { ingestActivities } from "../activities/activities.service";
import { describeIssues, type Header, type Row, requireColumns } from "./columns";
import type { ImporterFactory, Prepared } from "./types";

/** ActivityInput's fields → the CSV columns they come from. */
const FIELD_COLUMNS: Record<string, string> = {
  externalId: "external_id",
  personId: "person_id",
  personEmail: "person_email",
  type: "type",
  occurredAt: "occurred_at",
  "metadata.url": "url",
  "metadata.keywords": "keywords",
  "metadata.product": "product",
};

const columnOf = (path: string) => FIELD_COLUMNS[path] ?? FIELD_COLUMNS[path.replace(/\.\d+$/, "")] ?? path;

/** The body item `ingestActivities` takes (it validates again; here it is checked to name the columns). */
export interface ActivityItem {
  externalId: string;
  personId?: string;
  personEmail?: string;
  type: string;
  occurredAt: string;
  metadata?: { url?: string; keywords?: string[]; product?: string };
}

function prepare(row: Row): Prepared<ActivityItem> {
  const personId = row.get("person_id");
  const personEmail = row.get("person_email");
  if (personId === undefined && personEmail === undefined) {
    return { ok: false, reason: `${row.label("person_email")} or ${row.label("person_id")} must be given to find the person` };
  }
  const metadata: NonNullable<ActivityItem["metadata"]> = {};
  const url = row.get("url");
  const keywords = row
    .get("keywords")
    ?.split(";")
    .map((k) => k.trim())
    .filter(Boolean);
  const product = row.get("product");
  if (url !== undefined) metadata.url = url;
  if (keywords && keywords.length > 0) metadata.keywords = keywords;
  if (product !== undefined) metadata.product = product;
  const item: ActivityItem = {
    externalId: row.get("external_id") ?? "",
    ...(personId !== undefined ? { personId } : {}),
    ...(personEmail !== undefined ? { personEmail } : {}),
    type: row.get("type") ?? "",
    occurredAt: row.get("occurred_at") ?? "",
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
  const parsed = ActivityInput.safeParse(item);
  if (!parsed.success) return { ok: false, reason: describeIssues(row, parsed.error, columnOf) };
  return { ok: true, item };
}

/** `personEmail 'x' matches no person; …` → `person_email 'x' matches no person; …` (the file's own column names). */
function renameFields(reason: string, header: Header): string {
  return reason
    .split("; ")
    .map((part) =>
      part
        .replace(/^([A-Za-z.]+)(?=\s)/, (field) => (FIELD_COLUMNS[field] ? header.label(FIELD_COLUMNS[field]) : field))
        .replace("create the person first", "import the person first"),
    )
    .join("; ");
}

/**
 * Activities go through `ingestActivities` in batches of up to 10 000: it validates, resolves the person
 * and the type, stores each batch in one transaction and counts ids seen before as duplicates.
 */
export const activitiesImporter: ImporterFactory<ActivityItem> = {
  example: "external_id,person_email,type,occurred_at",
  create(header: Header) {
    requireColumns(header, ["external_id", "type", "occurred_at"], [["person_email"], ["person_id"]]);
    return {
      batchSize: MAX_ACTIVITY_BATCH,
      prepare,
      async write(deps, batch) {
        const result = await ingestActivities(
          deps,
          batch.map((b) => b.item),
        );
        return {
          imported: result.accepted,
          duplicates: result.duplicate,
          rejected: result.rejected.map((r) => ({ line: batch[r.index]?.line ?? 0, reason: renameFields(r.reason, header) })),
        };
      },
    };
  },
};

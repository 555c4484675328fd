/**
 * What a CRM connector hands the sync: records already mapped to Quorum's shape (mapping.ts of each
 * CRM), with the record id the CRM and the extension use. Every reference to another record is by
 * CRM record id; the store resolves it through the links.
 */
export interface AccountIn {
  recordId: string;
  name: string;
  domain: string | null;
  industry: string | null;
  marketSegment: string | null;
  country: string | null;
  annualRevenue: number | null;
  parentRecordId: string | null;
}

export interface ContactIn {
  recordId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  department: string | null;
  seniority: string | null;
  country: string | null;
  accountRecordId: string | null;
  /** The CRM's buying-role value (raw; undefined: the CRM does not carry one for this connection). */
  roleValue?: string | null;
}

export interface OpportunityIn {
  recordId: string;
  accountRecordId: string | null;
  name: string;
  amount: number | null;
  stage: string | null;
  isClosed: boolean;
  isWon: boolean;
  closeDate: string | null;
  ownerRecordId: string | null;
  /** Contacts on the deal/opportunity with their role (when the stream carries them). */
  contacts?: OpportunityContactIn[];
}

export interface OpportunityContactIn {
  opportunityRecordId: string;
  contactRecordId: string;
  role: string | null;
  isPrimary: boolean;
}

export interface OwnerIn {
  recordId: string;
  name: string;
  email: string | null;
  active: boolean;
}

export interface ActivityIn {
  /** Unique per activity in the CRM (campaign statuses: member id + status). */
  recordId: string;
  /** Mapping key, e.g. `task:Call`, `campaign:Attended`, `meeting`. */
  sourceKey: string;
  /** The contact it belongs to (by CRM id) or, for marketing events, the address. */
  contactRecordId: string | null;
  email?: string | null;
  occurredAt: string;
  metadata: Record<string, string | number | boolean | null>;
}

export interface DeletedIn {
  recordId: string;
  /** The surviving record of a merge. */
  mergedInto: string | null;
}

export type Mapped<T> = { ok: true; value: T } | { ok: false; recordId: string; reason: string };

export type StreamKind = "owners" | "accounts" | "contacts" | "opportunities" | "opportunity_contacts" | "activities";

/** One page a stream fetched: mapped records, records the mapping refused, deletions, and where to go on. */
export interface StreamPage {
  kind: StreamKind;
  records: Mapped<unknown>[];
  deleted: DeletedIn[];
  /** Where the next page starts; null: the pass is complete. */
  next: unknown | null;
  /** Highest modification time seen so far in this pass (the next pass starts there). */
  high: string | null;
  apiCalls: number;
}

/** A stream of one CRM: pages in modification order from `since` (null: everything), resumable at `position`. */
export interface Stream {
  name: string;
  kind: StreamKind;
  fetchPage(since: string | null, position: unknown | null, high: string | null): Promise<StreamPage>;
}

/** A connection's SDK client, signed in; `streams` in dependency order (accounts before contacts …). */
export interface Connector {
  /** Who the credentials sign in as (shown after a test). */
  whoAmI(): Promise<string>;
  streams(): Stream[];
  /** Writes a contact's buying role (write-back); value null clears it. */
  writeRole(contactRecordId: string, value: string | null, target: { kind: string; field: string | null }): Promise<void>;
  /** Calls made through the SDK so far (the bench reports calls per 1 000 records). */
  apiCalls(): number;
}

import type { ConnectionSettingsT } from "../../../shared/api/connections";
import { ConnectorError } from "../errors";
import type { Connector, DeletedIn, Mapped, Stream, StreamKind } from "../types";
import type { SalesforceClient } from "./client";
import {
  mapAccount,
  mapCampaignMember,
  mapContact,
  mapContactRole,
  mapDeleted,
  mapEvent,
  mapOpportunity,
  mapTask,
  mapUser,
  SF_FIELDS,
  type SfRow,
  sfInstant,
} from "./mapping";

/**
 * Salesforce streams in dependency order. Each is one SOQL query through `queryAll` (deleted and
 * merged rows included: IsDeleted, MasterRecordId), ordered by (SystemModstamp, Id) and paged with
 * `nextRecordsUrl` at 2 000 records; an incremental pass starts at the last pass's highest
 * SystemModstamp (inclusive: records sharing that instant are written again, which changes nothing).
 * A position is the nextRecordsUrl; if the org has forgotten it (locators expire after 15 minutes),
 * the pass restarts at the highest SystemModstamp it had committed.
 */
interface SfStreamDef {
  name: string;
  kind: StreamKind;
  object: keyof typeof SF_FIELDS;
  extra?: string[];
  map: (r: SfRow) => Mapped<unknown>;
  deleted?: (r: SfRow) => DeletedIn;
}

type Position = { next: string };

export function salesforceStreams(client: SalesforceClient, settings: ConnectionSettingsT): Stream[] {
  const wb = settings.writeback;
  const roleField = wb.enabled && wb.target === "contact_field" && wb.field ? wb.field : null;
  const defs: SfStreamDef[] = [
    { name: "owners", kind: "owners", object: "User", map: mapUser },
    { name: "accounts", kind: "accounts", object: "Account", map: mapAccount },
    {
      name: "contacts",
      kind: "contacts",
      object: "Contact",
      extra: roleField ? [roleField] : [],
      map: (r) => mapContact(r, roleField),
    },
    { name: "opportunities", kind: "opportunities", object: "Opportunity", map: mapOpportunity },
    {
      name: "contact_roles",
      kind: "opportunity_contacts",
      object: "OpportunityContactRole",
      map: mapContactRole,
      deleted: (r) => ({
        recordId: `${mapDeleted({ ...r, Id: String(r.OpportunityId) }).recordId}:${mapDeleted({ ...r, Id: String(r.ContactId) }).recordId}`,
        mergedInto: null,
      }),
    },
    {
      name: "tasks",
      kind: "activities",
      object: "Task",
      map: mapTask,
      deleted: (r) => ({ recordId: `Task:${mapDeleted(r).recordId}`, mergedInto: null }),
    },
    {
      name: "events",
      kind: "activities",
      object: "Event",
      map: mapEvent,
      deleted: (r) => ({ recordId: `Event:${mapDeleted(r).recordId}`, mergedInto: null }),
    },
    {
      name: "campaign_members",
      kind: "activities",
      object: "CampaignMember",
      map: mapCampaignMember,
      deleted: (r) => ({ recordId: `CampaignMember:${mapDeleted(r).recordId}`, mergedInto: null }),
    },
  ];
  return defs.map((d) => sfStream(client, d));
}

function sfStream(client: SalesforceClient, def: SfStreamDef): Stream {
  const fields = [...SF_FIELDS[def.object], ...(def.extra ?? [])];
  const soql = (from: string | null) =>
    `SELECT ${fields.join(", ")} FROM ${def.object}${from ? ` WHERE SystemModstamp >= ${from}` : ""} ORDER BY SystemModstamp, Id`;
  return {
    name: def.name,
    kind: def.kind,
    async fetchPage(since, position, high) {
      const before = client.calls();
      const pos = position as Position | null;
      let page: Awaited<ReturnType<SalesforceClient["query"]>>;
      if (pos?.next) {
        try {
          page = await client.queryMore<SfRow>(pos.next);
        } catch (err) {
          if (!(err instanceof ConnectorError) || err.vendorCode !== "INVALID_QUERY_LOCATOR") throw err;
          page = await client.query<SfRow>(soql(high ?? since), { all: true });
        }
      } else page = await client.query<SfRow>(soql(high ?? since), { all: true });
      const records: Mapped<unknown>[] = [];
      const deleted: DeletedIn[] = [];
      let top = high;
      for (const raw of page.records as SfRow[]) {
        const at = sfInstant(raw.SystemModstamp);
        if (at && (!top || at > top)) top = at;
        if (raw.IsDeleted === true) deleted.push(def.deleted ? def.deleted(raw) : mapDeleted(raw));
        else records.push(def.map(raw));
      }
      return {
        kind: def.kind,
        records,
        deleted,
        next: page.next ? { next: page.next } : null,
        high: top,
        apiCalls: client.calls() - before,
      };
    },
  };
}

const quote = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The Salesforce connector: streams plus the role write-back. */
export function salesforceConnector(client: SalesforceClient, settings: ConnectionSettingsT): Connector {
  return {
    whoAmI: () => client.identity(),
    streams: () => salesforceStreams(client, settings),
    apiCalls: () => client.calls(),
    async writeRole(contactId, value, target) {
      if (target.kind === "contact_field") {
        if (!target.field)
          throw new ConnectorError("permanent", "Pick the Contact field that holds the buying role on the Connections screen.");
        await client.update("Contact", contactId, { [target.field]: value });
        return;
      }
      // The OpportunityContactRole on the account's open opportunity closing first; updated when it exists (a retry never adds a second).
      const contact = await client.query<SfRow>(`SELECT Id, AccountId FROM Contact WHERE Id = ${quote(contactId)}`);
      const accountId = contact.records[0]?.AccountId;
      if (typeof accountId !== "string")
        throw new ConnectorError("permanent", `Contact ${contactId} has no account in Salesforce.`);
      const opp = await client.query<SfRow>(
        `SELECT Id FROM Opportunity WHERE AccountId = ${quote(accountId)} AND IsClosed = false ORDER BY CloseDate LIMIT 1`,
      );
      const oppId = opp.records[0]?.Id;
      if (!oppId)
        throw new ConnectorError(
          "permanent",
          `The account of contact ${contactId} has no open opportunity to hold the contact role.`,
        );
      const existing = async () =>
        (
          await client.query<SfRow>(
            `SELECT Id, Role FROM OpportunityContactRole WHERE OpportunityId = ${quote(oppId)} AND ContactId = ${quote(contactId)}`,
          )
        ).records[0];
      const ocr = await existing();
      if (ocr) {
        await client.update("OpportunityContactRole", ocr.Id, { Role: value });
        return;
      }
      if (value === null) return;
      try {
        await client.create("OpportunityContactRole", { OpportunityId: oppId, ContactId: contactId, Role: value });
      } catch (err) {
        // The answer may have been lost after Salesforce created it: look again rather than create a second one.
        if (!(err instanceof ConnectorError) || err.kind !== "transient") throw err;
        const created = await existing();
        if (!created) throw err;
        if (created.Role !== value) await client.update("OpportunityContactRole", created.Id, { Role: value });
      }
    },
  };
}

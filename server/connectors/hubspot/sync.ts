import type { ConnectionSettingsT } from "../../../shared/api/connections";
import { ConnectorError } from "../errors";
import type { Connector, DeletedIn, Mapped, Stream, StreamKind, StreamPage } from "../types";
import { HS_SEARCH_LIMIT, HS_SEARCH_MAX, type HsAssociation, type HsObject, type HubspotClient } from "./client";
import {
  HS_PROPERTIES,
  mapCompany,
  mapContact,
  mapDeal,
  mapEmailEvent,
  mapEngagement,
  mapFormSubmission,
  mapOwner,
  mergedIds,
} from "./mapping";

/**
 * HubSpot streams in dependency order. Objects come from CRM search sorted by modification time
 * (then id), 200 a page. Search answers at most 10 000 results per query, so when the next page would
 * pass that, the pass starts a new query window at the last modification time it saw (inclusive:
 * records at that instant come again, which changes nothing). After the search, archived records
 * (deleted) are listed; merges are followed through the winner's `hs_merged_object_ids`.
 */
type SearchPosition = { phase: "search" | "archived"; windowMs: number | null; after: string | null };

const objectStream = (
  client: HubspotClient,
  name: string,
  kind: StreamKind,
  objectType: string,
  properties: readonly string[],
  map: (objects: HsObject[]) => Promise<Mapped<unknown>[]>,
  deletedId: (o: HsObject) => string = (o) => o.id,
): Stream => ({
  name,
  kind,
  async fetchPage(since, position, high): Promise<StreamPage> {
    const before = client.calls();
    const sinceMs = since ? Date.parse(since) : null;
    const pos = (position as SearchPosition | null) ?? { phase: "search", windowMs: sinceMs, after: null };
    if (pos.phase === "archived") {
      const page = await client.archived(objectType, [...properties], pos.after);
      const deleted: DeletedIn[] = page.results
        .filter((o) => sinceMs === null || !o.archivedAt || o.archivedAt.getTime() >= sinceMs)
        .map((o) => ({ recordId: deletedId(o), mergedInto: null }));
      return {
        kind,
        records: [],
        deleted,
        next: page.after ? { ...pos, after: page.after } : null,
        high,
        apiCalls: client.calls() - before,
      };
    }
    const page = await client.search(objectType, [...properties], pos.windowMs, pos.after);
    let top = high;
    for (const o of page.results) {
      const at = o.updatedAt.toISOString();
      if (!top || at > top) top = at;
    }
    const records = await map(page.results);
    const deleted: DeletedIn[] = page.results.flatMap((o) => mergedIds(o).map((id) => ({ recordId: id, mergedInto: o.id })));
    let next: SearchPosition;
    if (!page.after) next = { phase: "archived", windowMs: null, after: null };
    else if (Number(page.after) + HS_SEARCH_LIMIT > HS_SEARCH_MAX) {
      const last = page.results[page.results.length - 1]?.updatedAt.getTime() ?? pos.windowMs ?? 0;
      // A whole window at one instant cannot move on inclusively: step past it.
      next = { phase: "search", windowMs: last === pos.windowMs ? last + 1 : last, after: null };
    } else next = { ...pos, after: page.after };
    return { kind, records, deleted, next, high: top, apiCalls: client.calls() - before };
  },
});

/**
 * Form submissions (Forms API v1, as Airbyte's `form_submissions` stream reads them): the pass lists
 * the portal's forms (Marketing Forms v3), then each form's submissions, newest first, until one is
 * older than the last pass's watermark. The watermark never passes the pass's start minus a margin,
 * so a submission that arrives on an already-read form while the pass runs is read next time.
 */
type FormsPosition = {
  phase: "forms" | "submissions";
  started: number;
  forms: Array<{ id: string; name: string }>;
  after: string | null;
  i: number;
};
const FORMS_MARGIN_MS = 5 * 60_000;

const formSubmissionsStream = (client: HubspotClient): Stream => ({
  name: "form_submissions",
  kind: "activities",
  async fetchPage(since, position, high) {
    const before = client.calls();
    const sinceMs = since ? Date.parse(since) : null;
    const pos = (position as FormsPosition | null) ?? { phase: "forms", started: Date.now(), forms: [], after: null, i: 0 };
    const page = (records: Mapped<unknown>[], next: FormsPosition | null, top: string | null): StreamPage => ({
      kind: "activities",
      records,
      deleted: [],
      next,
      high: top,
      apiCalls: client.calls() - before,
    });
    if (pos.phase === "forms") {
      const forms = await client.forms(pos.after);
      const all = [...pos.forms, ...forms.results];
      const next: FormsPosition = forms.after
        ? { ...pos, forms: all, after: forms.after }
        : { ...pos, phase: "submissions", forms: all, after: null, i: 0 };
      return page([], all.length === 0 && !forms.after ? null : next, high);
    }
    const form = pos.forms[pos.i];
    if (!form) return page([], null, high);
    const subs = await client.formSubmissions(form.id, pos.after);
    const fresh = subs.results.filter((s) => sinceMs === null || s.submittedAt >= sinceMs);
    let top = high;
    const cap = new Date(pos.started - FORMS_MARGIN_MS).toISOString();
    for (const s of fresh) {
      let at = new Date(s.submittedAt).toISOString();
      if (at > cap) at = cap;
      if (since && at < since) at = since;
      if (!top || at > top) top = at;
    }
    // Newest first: an older submission than the watermark ends this form.
    const more = subs.after !== null && fresh.length === subs.results.length;
    const next: FormsPosition | null = more
      ? { ...pos, after: subs.after }
      : pos.i + 1 < pos.forms.length
        ? { ...pos, after: null, i: pos.i + 1 }
        : null;
    return page(
      fresh.map((s) => mapFormSubmission(form, s)),
      next,
      top,
    );
  },
});

export function hubspotStreams(client: HubspotClient, settings: ConnectionSettingsT): Stream[] {
  const wb = settings.writeback;
  const roleProperty = wb.enabled ? (wb.field ?? "hs_buying_role") : null;
  const assoc = (from: string, to: string, objects: HsObject[]) =>
    objects.length
      ? client.associations(
          from,
          to,
          objects.map((o) => o.id),
        )
      : Promise.resolve(new Map<string, HsAssociation[]>());
  const engagement = (kind: "calls" | "meetings" | "emails") =>
    objectStream(client, kind, "activities", kind, HS_PROPERTIES[kind], async (objects) => {
      const contacts = await assoc(kind, "contacts", objects);
      return objects.flatMap((o) => mapEngagement(kind, o, contacts.get(o.id)));
    });
  return [
    {
      name: "owners",
      kind: "owners",
      async fetchPage(_since, position) {
        const before = client.calls();
        const page = await client.owners((position as { after: string } | null)?.after ?? null);
        return {
          kind: "owners",
          records: page.results.map(mapOwner),
          deleted: [],
          next: page.after ? { after: page.after } : null,
          high: null,
          apiCalls: client.calls() - before,
        };
      },
    },
    objectStream(client, "companies", "accounts", "companies", HS_PROPERTIES.companies, async (objects) =>
      objects.map(mapCompany),
    ),
    objectStream(
      client,
      "contacts",
      "contacts",
      "contacts",
      [...HS_PROPERTIES.contacts, ...(roleProperty ? [roleProperty] : [])],
      async (objects) => {
        const companies = await assoc("contacts", "companies", objects);
        return objects.map((o) => mapContact(o, companies.get(o.id), roleProperty));
      },
    ),
    objectStream(client, "deals", "opportunities", "deals", HS_PROPERTIES.deals, async (objects) => {
      const [companies, contacts] = [await assoc("deals", "companies", objects), await assoc("deals", "contacts", objects)];
      return objects.map((o) => mapDeal(o, companies.get(o.id), contacts.get(o.id)));
    }),
    engagement("calls"),
    engagement("meetings"),
    engagement("emails"),
    formSubmissionsStream(client),
    {
      name: "email_events",
      kind: "activities",
      async fetchPage(since, position, high) {
        const before = client.calls();
        const start = since ? Date.parse(since) : 0;
        const page = await client.emailEvents(start, (position as { offset: string } | null)?.offset ?? null);
        let top = high;
        const records: Mapped<unknown>[] = [];
        for (const e of page.events) {
          const m = mapEmailEvent(e);
          if (m) records.push(m);
          if (typeof e.created === "number") {
            const at = new Date(e.created).toISOString();
            if (!top || at > top) top = at;
          }
        }
        return {
          kind: "activities",
          records,
          deleted: [],
          next: page.offset ? { offset: page.offset } : null,
          high: top,
          apiCalls: client.calls() - before,
        };
      },
    },
  ];
}

export function hubspotConnector(client: HubspotClient, settings: ConnectionSettingsT): Connector {
  return {
    whoAmI: () => client.accountInfo(),
    streams: () => hubspotStreams(client, settings),
    apiCalls: () => client.calls(),
    async writeRole(contactId, value, target) {
      if (target.kind !== "contact_field")
        throw new ConnectorError("permanent", "HubSpot keeps the buying role on the contact: pick a contact property.");
      await client.update("contacts", contactId, { [target.field ?? "hs_buying_role"]: value ?? "" });
    },
  };
}

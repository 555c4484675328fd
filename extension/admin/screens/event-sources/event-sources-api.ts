/** The Event sources screen's server calls (admin only): typed wrappers over the console's client. */

import type { ActivityType } from "../../../../shared/api/activities";
import type { EventMapping, EventSource, EventSourceWithSecret, UnmappedEvent } from "../../../../shared/api/event-sources";
import { type AdminApi, expectOk, expectOkWithIssues } from "../../api";

export interface MappingsView {
  items: EventMapping[];
  unmapped: UnmappedEvent[];
  released?: number;
}

export function eventSourcesApi(api: AdminApi) {
  const s = api["event-sources"];
  return {
    list: async () => (await expectOk<{ items: EventSource[] }>(s.$get())).items,
    create: (name: string) => expectOkWithIssues<EventSourceWithSecret>(s.$post({ json: { name } })),
    update: (id: string, json: { name?: string; status?: "active" | "paused" }) =>
      expectOkWithIssues<EventSource>(s[":id"].$patch({ param: { id }, json })),
    rotate: (id: string) => expectOk<EventSourceWithSecret>(s[":id"].rotate.$post({ param: { id } })),
    remove: (id: string) => expectOk<null>(s[":id"].$delete({ param: { id } })),
    mappings: () => expectOk<MappingsView>(s.mappings.$get()),
    saveMappings: (items: Array<{ eventName: string; typeId: string | null }>) =>
      expectOkWithIssues<MappingsView>(s.mappings.$put({ json: { items } })),
    activityTypes: async () => (await expectOk<{ items: ActivityType[] }>(api["activity-types"].$get())).items,
  };
}

export type EventSourcesClient = ReturnType<typeof eventSourcesApi>;

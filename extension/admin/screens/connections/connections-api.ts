/** The Connections screen's server calls (admin only): typed wrappers over the console's client. */

import type { ActivityType } from "../../../../shared/api/activities";
import type { ActivityMapping, Connection, ConnectionSettingsT, ConnectorCrm, SyncRun } from "../../../../shared/api/connections";
import { type AdminApi, expectOk, expectOkWithIssues } from "../../api";

export function connectionsApi(api: AdminApi) {
  const c = api.connections;
  return {
    list: async () => (await expectOk<{ items: Connection[] }>(c.$get())).items,
    create: (json: Record<string, unknown>) => expectOkWithIssues<Connection>(c.$post({ json: json as never })),
    update: (id: string, json: { settings?: ConnectionSettingsT; name?: string }) =>
      expectOkWithIssues<Connection>(c[":id"].$patch({ param: { id }, json: json as never })),
    remove: (id: string) => expectOk<null>(c[":id"].$delete({ param: { id } })),
    test: (id: string) => expectOkWithIssues<{ ok: true; signedInAs: string }>(c[":id"].test.$post({ param: { id } })),
    signIn: (id: string) => expectOkWithIssues<{ authorizeUrl: string }>(c[":id"].oauth.start.$post({ param: { id } })),
    sync: (id: string, kind: "incremental" | "full") =>
      expectOkWithIssues<{ run: SyncRun; created: boolean }>(c[":id"].sync.$post({ param: { id }, json: { kind } })),
    run: (runId: string) => expectOk<SyncRun>(c.runs[":runId"].$get({ param: { runId } })),
    mappings: async (crm: ConnectorCrm) =>
      (await expectOk<{ items: ActivityMapping[] }>(c["activity-mappings"][":crm"].$get({ param: { crm } }))).items,
    saveMappings: async (crm: ConnectorCrm, items: Array<{ sourceKey: string; typeId: string | null }>) =>
      (
        await expectOkWithIssues<{ items: ActivityMapping[] }>(
          c["activity-mappings"][":crm"].$put({ param: { crm }, json: { items } }),
        )
      ).items,
    activityTypes: async () => (await expectOk<{ items: ActivityType[] }>(api["activity-types"].$get())).items,
  };
}

export type ConnectionsClient = ReturnType<typeof connectionsApi>;

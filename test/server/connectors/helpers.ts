import { defaultRetryPolicy, type RetryPolicy } from "../../../server/connectors/errors";
import { runSyncsUntilIdle } from "../../../server/connectors/sync-runner";
import { type SalesforceFake, startSalesforceFake } from "../../fakes/salesforce/server";
import { createTestContext, type TestContext } from "../../helpers/test-app";

/** Retries without real waiting (the waits are asserted where they matter). */
export const fastPolicy = (waits: number[] = []): RetryPolicy => ({
  ...defaultRetryPolicy(),
  sleep: async (ms) => {
    waits.push(ms);
  },
});

/** The fake org's integration user, and the body of a password connection that signs in as them. */
export function addIntegrationUser(sf: SalesforceFake): void {
  sf.addUser("integration@acme.example", "s3cret", { clientId: "3MVG9-client", clientSecret: "consumer-secret" });
}
export const passwordConnection = (loginUrl: string, name = "Acme Salesforce") => ({
  crm: "salesforce",
  name,
  loginUrl,
  auth: {
    kind: "password",
    clientId: "3MVG9-client",
    clientSecret: "consumer-secret",
    username: "integration@acme.example",
    password: "s3",
    securityToken: "cret",
  },
});

export async function salesforceSetup(options: { now?: Date } = {}) {
  const t = await createTestContext({
    now: options.now ?? new Date("2026-11-23T12:00:00.000Z"),
    env: { QUORUM_CONNECTOR_KEY: "a".repeat(64) },
  });
  const sf = await startSalesforceFake();
  addIntegrationUser(sf);
  const connect = async (extra: Record<string, unknown> = {}) => {
    const res = await t.call("POST", "/api/connections", { ...passwordConnection(sf.url), ...extra });
    if (res.status !== 201) throw new Error(`connect: ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const sync = async (connectionId: string, kind: "incremental" | "full" = "incremental", policy: RetryPolicy = fastPolicy()) => {
    const started = await t.call("POST", `/api/connections/${connectionId}/sync`, { kind });
    if (started.status !== 202 && started.status !== 200) throw new Error(`sync: ${JSON.stringify(started.body)}`);
    await runSyncsUntilIdle(t.deps, { policy });
    return (await t.call("GET", `/api/connections/runs/${started.body.run.id}`)).body;
  };
  const close = async () => {
    await sf.close();
    await t.close();
  };
  return { t, sf, connect, sync, close };
}

export type SalesforceSetup = Awaited<ReturnType<typeof salesforceSetup>>;
export type { TestContext };

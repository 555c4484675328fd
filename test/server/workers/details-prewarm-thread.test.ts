import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detailsCachesOf } from "../../../server/groups/details-cache";
import { getGroupDetails } from "../../../server/groups/groups.service";
import { startBackgroundWork } from "../../../server/workers/host";
import { groupSetup, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// The real worker thread (QUORUM_WORKERS=thread) on a real database file (or PostgreSQL): after a full
// recompute moves the version of a group a request read, the worker rebuilds its details and the request
// thread's cache holds them before any request asks again; the next request gets exactly a fresh build.
describe("the worker thread pre-warms group details after a recompute", () => {
  let t: TestContext;
  let dir: string;
  let groupId: string;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "quorum-prewarm-"));
    const env: Record<string, string> = process.env.QUORUM_TEST_DATABASE_URL ? {} : { DATABASE_URL: join(dir, "q.sqlite") };
    // The worker thread reads the real clock: so does this app.
    t = await createTestContext({ now: new Date(), env });
    const setup = await groupSetup(t);
    groupId = setup.group.id;
    const ann = (await person(t, setup.account.id, "Ann", { jobTitle: "CFO" })).id;
    const res = await t.call("POST", `/api/groups/${groupId}/members`, {
      members: [{ personId: ann, roleKey: "decision-maker" }],
    });
    expect(res.status).toBe(200);
    const bg = await startBackgroundWork(t.deps, "thread", { owner: "inst_prewarmtest", log: () => {} });
    expect(bg.mode).toBe("thread");
    stop = () => bg.stop();
  });
  afterEach(async () => {
    await stop();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const version = async () =>
    Number(
      (await t.deps.db.selectFrom("buying_groups").select("details_version").where("id", "=", groupId).executeTakeFirstOrThrow())
        .details_version,
    );

  it("holds the new version's body before the next request, and it is exactly a fresh build", async () => {
    const read = async () =>
      (await t.app.request(`/api/groups/${groupId}`, { headers: { authorization: `Bearer ${t.tokens.admin}` } })).json();
    await read();
    const cache = detailsCachesOf(t.deps.db)[0]!;
    const before = await version();
    expect(cache.get(groupId)?.version).toBe(before);
    t.clock.now = new Date();
    const queued = await t.call("POST", "/api/scores/recompute");
    expect(queued.status).toBe(202);
    let now = before;
    for (let i = 0; i < 300 && (cache.get(groupId)?.version ?? -1) <= before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await version();
    }
    expect(now).toBeGreaterThan(before);
    // No request read it since the recompute: the worker built this entry.
    const entry = cache.get(groupId)!;
    expect(entry.version).toBe(await version());
    t.clock.now = new Date();
    const served = await read();
    expect(cache.get(groupId)!.builtAt).toBe(entry.builtAt);
    expect(served).toEqual(JSON.parse(JSON.stringify(await getGroupDetails(t.deps, groupId))));
  }, 60_000);
});

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBootstrapToken, openDatabase } from "../../server/bootstrap";
import { serveSchedules } from "../../server/cli/serve";
import { type Config, loadConfig } from "../../server/config";
import type { Db } from "../../server/db/create-db";
import { periodStart } from "../../server/lifecycle/schedules";
import { recomputeAll } from "../../server/scores/scores.service";
import { DEFAULT_TEMPLATE } from "../../server/seed/demo-config";
import { GREETING_EMAIL } from "../helpers/email-setup";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";

// Three real server processes (`tsx server/cli/main.ts serve`) on one PostgreSQL database, hit
// concurrently with assigns, role changes, removals, group creation, a creation job and an email
// batch while scheduled maintenance fires: afterwards nothing is duplicated, every job finished
// once, the event feed read through the API during the storm holds every event exactly once, and
// every stored score equals a fresh recompute.
const PG = process.env.QUORUM_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `multi_${process.pid}_${Date.now()}`;
const url = (() => {
  const u = new URL(PG);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
})();
const TOKEN = "multi_instance_token_0123456789abcdef";
const TOKEN_SECRET = "multi-instance-token-secret-0123456789abcdef";
const ACCOUNTS = 12;
const PEOPLE_PER_ACCOUNT = 6;

async function admin(text: string) {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(text);
  await c.end();
}

interface Instance {
  proc: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `serve` in a child process and resolves once it printed the address it listens on. */
function startInstance(i: number, dataDir: string, sink: SmtpSink): Promise<Instance> {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", "serve"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url,
      QUORUM_PG_POOL_SIZE: "5",
      QUORUM_HOST: "127.0.0.1",
      QUORUM_PORT: "0",
      QUORUM_DATA_DIR: join(dataDir, `instance-${i}`),
      QUORUM_BOOTSTRAP_TOKEN: TOKEN,
      // Servers sharing a database share the keys of token hashes and CRM credentials (README, docs/deploy.md).
      QUORUM_TOKEN_SECRET: TOKEN_SECRET,
      QUORUM_CONNECTOR_KEY: "multi-instance-connector-key-0123456789abcdef",
      QUORUM_DEMO_DATA: "false",
      QUORUM_LOG: "info",
      QUORUM_SMTP_URL: `${sink.url}?security=none`,
      QUORUM_EMAIL_FROM: "Quorum <sales@quorum.test>",
      // Small batches so the creation job takes many claims; schedules checked five times a second;
      // maintenance due about every second (the schedule itself runs once a minute across instances).
      QUORUM_JOB_BATCH_SIZE: "2",
      QUORUM_SCHEDULE_TICK_SECONDS: "0.2",
      QUORUM_MAINTENANCE_INTERVAL_HOURS: "0.0003",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => {
    out += d;
  });
  proc.stderr?.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${i} did not start in 90 s:\n${out}`)), 90_000);
    const onData = () => {
      const m = /Quorum is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout?.off("data", onData);
      resolve({ proc, base: m[1]!, output: () => out, exited });
    };
    proc.stdout?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`instance ${i} exited (${code}) before listening:\n${out}`));
    });
  });
}

async function call<T = any>(inst: Instance, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${inst.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function ok<T = any>(inst: Instance, method: string, path: string, body?: unknown, status = [200, 201]) {
  const res = await call<T>(inst, method, path, body);
  if (!status.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const started = Date.now();
/** Progress on stderr, so a slow CI run shows where its time went. */
const step = (msg: string) => process.stderr.write(`[multi-instance +${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}\n`);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${instances.map((i) => i.output().slice(-3000)).join("\n---\n")}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

let instances: Instance[] = [];

describe("three server processes on one PostgreSQL database", () => {
  const dir = mkdtempSync(join(tmpdir(), "quorum-multi-"));
  let sink: SmtpSink;
  let config: Config;
  let db: Db;

  beforeAll(async () => {
    await admin(`create schema ${schema}`);
    sink = await startSmtpSink();
    config = loadConfig({ DATABASE_URL: url, QUORUM_LOG: "silent", QUORUM_DATA_DIR: dir, QUORUM_TOKEN_SECRET: TOKEN_SECRET });
    // Migrate and create the automation token once, before the processes start (as a deployment would).
    db = await openDatabase(config);
    await ensureBootstrapToken(db, config, TOKEN);
    instances = await Promise.all([0, 1, 2].map((i) => startInstance(i, dir, sink)));
    step(`three instances listening: ${instances.map((i) => i.base).join(", ")}`);
  }, 180_000);

  afterAll(async () => {
    for (const inst of instances) if (inst.proc.exitCode === null) inst.proc.kill("SIGKILL");
    await db?.destroy();
    await sink?.close();
    await admin(`drop schema if exists ${schema} cascade`);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("duplicates nothing, finishes every job once, loses no event and keeps every score exact", async () => {
    const [i0, i1, i2] = instances as [Instance, Instance, Instance];
    const on = (k: number) => instances[k % 3]!;

    // ---- set-up, spread over the instances ----
    const created = await ok(i0, "POST", "/api/role-templates", DEFAULT_TEMPLATE);
    const template = await ok(i1, "POST", `/api/role-templates/${created.id}/publish`);
    const si = await ok(i2, "POST", "/api/solution-interests", { name: "Data platform", roleTemplateId: template.id });
    const profiles = [
      { seniority: "VP", jobTitle: "VP Engineering", department: "Engineering" },
      { seniority: "Director", jobTitle: "Head of Data", department: "Engineering" },
      { seniority: "Manager", jobTitle: "Procurement lead", department: "Procurement" },
      { seniority: "Individual Contributor", jobTitle: "Data engineer", department: "Engineering" },
      { seniority: "Individual Contributor", jobTitle: "Analyst", department: "Marketing" },
      { seniority: "C-Level", jobTitle: "CFO", department: "Finance" },
    ];
    const accounts: Array<{ id: string; people: string[] }> = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const acc = await ok(on(a), "POST", "/api/accounts", { name: `Multi ${a}`, domain: `multi${a}.example.com` });
      const people: string[] = [];
      for (let p = 0; p < PEOPLE_PER_ACCOUNT; p++) {
        const res = await ok(on(a + p), "POST", "/api/people", {
          accountId: acc.id,
          firstName: `P${p}`,
          lastName: `A${a}`,
          email: `p${p}.a${a}@multi.example.com`,
          ...profiles[p],
        });
        people.push(res.person.id);
      }
      accounts.push({ id: acc.id, people });
    }
    // Engagement that depends on who is a member: activities for most people, a few days ago.
    const day = 86_400_000;
    const activities = accounts.flatMap((a, ai) =>
      a.people.flatMap((personId, pi) =>
        Array.from({ length: 1 + ((ai + pi) % 4) }, (_, k) => ({
          externalId: `multi-${ai}-${pi}-${k}`,
          personId,
          type: k % 2 ? "open-email" : "visit-webpage",
          occurredAt: new Date(Date.now() - (2 + k) * day).toISOString(),
        })),
      ),
    );
    await ok(i0, "POST", "/api/activities", { activities });
    // Groups by hand for the first six accounts; the email group (account 11) with its members.
    const manualGroups: string[] = [];
    for (let a = 0; a < 6; a++)
      manualGroups.push((await ok(on(a), "POST", "/api/groups", { accountId: accounts[a]!.id, solutionInterestId: si.id })).id);
    const mailAccount = accounts[ACCOUNTS - 1]!;
    const mailGroup = (await ok(i1, "POST", "/api/groups", { accountId: mailAccount.id, solutionInterestId: si.id })).id;
    await ok(i2, "POST", `/api/groups/${mailGroup}/members`, {
      members: mailAccount.people.map((personId) => ({ personId, roleKey: "practitioner" })),
    });
    const ws = await ok(i0, "POST", "/api/workspaces", { name: "Multi" });
    const email = await ok(i1, "POST", "/api/emails", { workspaceId: ws.id, ...GREETING_EMAIL });
    await ok(i2, "POST", `/api/emails/${email.id}/approve`);

    step("set-up done");
    // ---- a follower reads the event feed through the API (instance 2) during the storm ----
    const seen: string[] = [];
    let cursor: string | null = null;
    let following = true;
    const readFeed = async () => {
      for (;;) {
        const page = await ok<{ items: Array<{ id: string }>; next: string | null; hasMore: boolean }>(
          i2,
          "GET",
          `/api/events?limit=50${cursor ? `&after=${cursor}` : ""}`,
        );
        seen.push(...page.items.map((e) => e.id));
        cursor = page.next;
        if (!page.hasMore) return;
      }
    };
    let followerError: unknown = null;
    const follower = (async () => {
      try {
        while (following) {
          await readFeed();
          await new Promise((r) => setTimeout(r, 10));
        }
      } catch (err) {
        followerError = err; // reported below; never an unhandled rejection after a failed check
      }
    })();

    // ---- the storm: everything at once, spread over the three processes ----
    const statuses: Array<{ what: string; status: number; body: unknown }> = [];
    const record = (what: string) => (res: { status: number; body: unknown }) => {
      statuses.push({ what, ...res });
    };
    const storm: Array<Promise<unknown>> = [];
    manualGroups.forEach((groupId, g) => {
      const people = accounts[g]!.people;
      people.forEach((personId, p) => {
        // The same assignment from all three processes at once.
        for (let k = 0; k < 3; k++)
          storm.push(
            call(on(k), "POST", `/api/groups/${groupId}/members`, { members: [{ personId, roleKey: "practitioner" }] }).then(
              record("assign"),
            ),
          );
        storm.push(
          call(on(g + p + 1), "PATCH", `/api/groups/${groupId}/members`, { changes: [{ personId, roleKey: "influencer" }] }).then(
            record("role"),
          ),
        );
        if (p % 2 === 0)
          storm.push(
            call(on(g + p + 2), "POST", `/api/groups/${groupId}/members/remove`, { personIds: [personId] }).then(
              record("remove"),
            ),
          );
      });
    });
    // Activities for the same people arriving meanwhile, one batch per person on a rotating process:
    // their scores move the groups whose membership is changing at the same moment.
    manualGroups.forEach((_, g) => {
      accounts[g]!.people.forEach((personId, p) => {
        const storm1 = Array.from({ length: 3 }, (_, k) => ({
          externalId: `storm-${g}-${p}-${k}`,
          personId,
          type: k % 2 ? "open-email" : "visit-webpage",
          occurredAt: new Date(Date.now() - k * 3_600_000).toISOString(),
        }));
        storm.push(call(on(g + p), "POST", "/api/activities", { activities: storm1 }).then(record("ingest")));
      });
    });
    // A creation job over every account (six have groups already; three are created by hand meanwhile).
    const jobPromise = call(i1, "POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    storm.push(jobPromise.then(record("job")));
    for (let a = 6; a < 9; a++)
      storm.push(
        call(on(a), "POST", "/api/groups", { accountId: accounts[a]!.id, solutionInterestId: si.id }).then(record("group")),
      );
    // An email batch: one send request arriving at two processes at once (same key), and a second one.
    const send = (inst: Instance, key: string) =>
      call(inst, "POST", `/api/groups/${mailGroup}/emails`, {
        emailId: email.id,
        personIds: mailAccount.people,
        idempotencyKey: key,
      });
    storm.push(send(i0, "multi-batch-1").then(record("send")));
    storm.push(send(i1, "multi-batch-1").then(record("send")));
    storm.push(send(i2, "multi-batch-2").then(record("send")));
    await Promise.all(storm);
    step(`storm done: ${storm.length} requests`);

    const allowed: Record<string, number[]> = {
      assign: [200],
      role: [200, 400], // 400: not (or no longer) a member at that moment
      remove: [200],
      job: [202, 201, 200],
      group: [201, 409], // 409: the creation job made it first
      send: [202],
      ingest: [200],
    };
    const unexpected = statuses.filter((s) => !allowed[s.what]!.includes(s.status));
    if (unexpected.length > 0) following = false;
    expect(unexpected).toEqual([]);
    const job = (await jobPromise).body as { id: string };

    // ---- quiesce: the job done, every message delivered, no job pending ----
    await until("the creation job", async () => (await ok(i0, "GET", `/api/jobs/${job.id}`)).status === "done");
    await until("the outbox", async () => {
      const rows = await db.selectFrom("email_outbox").select("status").execute();
      return rows.length === 12 && rows.every((r) => r.status === "sent");
    });
    await sink.waitFor(12, 60_000);
    await until("pending jobs", async () =>
      Number(
        (
          await db
            .selectFrom("lifecycle_jobs")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("status", "in", ["queued", "running", "cancelling"])
            .executeTakeFirstOrThrow()
        ).n,
      ) === 0
        ? true
        : null,
    );
    step("quiet: job done, outbox delivered, no job pending");
    // The follower reads to the end of the feed; scheduled maintenance may still add events later.
    const eventsWhenQuiet = Number(
      (
        await db
          .selectFrom("events")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    following = false;
    await follower;
    expect(followerError).toBeNull();
    await readFeed();
    // Stop the processes cleanly (SIGTERM: current batch and message finish) so nothing moves while we check.
    for (const inst of instances) inst.proc.kill("SIGTERM");
    const codes = await Promise.all(instances.map((inst) => inst.exited));
    expect(codes).toEqual([0, 0, 0]);
    step("instances stopped; checking");
    // ---- groups: one per account and interest ----
    const groups = await db.selectFrom("buying_groups").select(["id", "account_id", "solution_interest_id"]).execute();
    expect(groups).toHaveLength(ACCOUNTS);
    expect(new Set(groups.map((g) => `${g.account_id}|${g.solution_interest_id}`)).size).toBe(ACCOUNTS);

    // ---- memberships: one row per group and person ----
    const members = await db.selectFrom("group_members").selectAll().execute();
    expect(new Set(members.map((m) => `${m.group_id}|${m.person_id}`)).size).toBe(members.length);

    // ---- events: unique, consistent with the final memberships, and each read once from the feed ----
    const events = await sql<{ seq: string; id: string; type: string; group_id: string; person_id: string; data: string }>`
      select seq, id, type, group_id, person_id, data from events order by tx_id, seq`.execute(db);
    const ids = events.rows.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(events.rows.map((e) => e.seq)).size).toBe(ids.length);
    // Read during the storm, the feed gave every committed event once, in order: no cursor skipped one.
    expect(seen.length).toBeGreaterThanOrEqual(eventsWhenQuiet);
    expect(seen).toEqual(ids.slice(0, seen.length));
    const state = new Map<string, { active: boolean; role: string }>();
    for (const e of [...events.rows].sort((a, b) => Number(a.seq) - Number(b.seq))) {
      if (!e.type.startsWith("member.")) continue;
      const key = `${e.group_id}|${e.person_id}`;
      const before = state.get(key);
      const roleKey = (JSON.parse(e.data) as { roleKey: string }).roleKey;
      // No duplicated event: an assignment only of a non-member, a removal or role change only of a member.
      if (e.type === "member.assigned") expect(before?.active ?? false, `${e.type} ${key}`).toBe(false);
      else expect(before?.active, `${e.type} ${key}`).toBe(true);
      state.set(key, { active: e.type !== "member.removed", role: roleKey });
    }
    for (const m of members) {
      const s = state.get(`${m.group_id}|${m.person_id}`);
      expect(s?.active ?? false, `${m.group_id}|${m.person_id}`).toBe(m.status === "active");
      if (m.status === "active") expect(s?.role).toBe(m.role_key);
    }

    // ---- email: one outbox row per recipient and request, each delivered once with its Message-ID ----
    const outbox = await db.selectFrom("email_outbox").select(["message_id", "status", "person_id", "request_id"]).execute();
    expect(outbox).toHaveLength(12);
    expect(new Set(outbox.map((o) => o.message_id)).size).toBe(12);
    expect(new Set(outbox.map((o) => o.request_id)).size).toBe(2);
    const delivered = sink.messages.map((m) => m.headers.get("message-id"));
    expect(delivered).toHaveLength(12);
    expect(new Set(delivered)).toEqual(new Set(outbox.map((o) => o.message_id)));
    const sentActivities = await db
      .selectFrom("activities")
      .select("external_id")
      .where("type_id", "=", "sales-email-sent")
      .execute();
    expect(sentActivities).toHaveLength(12);

    // ---- jobs: each finished exactly once; scheduled maintenance at most once per schedule period ----
    const jobs = await db.selectFrom("lifecycle_jobs").selectAll().execute();
    expect(jobs.every((j) => j.status === "done")).toBe(true);
    // Groups made by hand during the creation job are skipped by the job, not reported as errors.
    expect(jobs.filter((j) => j.kind === "creation").map((j) => [j.error_count, j.errors])).toEqual([[0, "[]"]]);
    const finishes = await db
      .selectFrom("audit_log")
      .select(["entity_id", "action"])
      .where("action", "like", "job.%.done")
      .execute();
    expect(finishes.map((f) => f.entity_id).sort()).toEqual(jobs.map((j) => j.id).sort());
    const creation = jobs.find((j) => j.id === job.id)!;
    const byHand = statuses.filter((s) => s.what === "group" && s.status === 201).length;
    expect(creation.groups_created + byHand).toBe(ACCOUNTS - manualGroups.length - 1);
    const scheduled = jobs.filter((j) => j.trigger === "schedule").map((j) => periodStart(new Date(j.created_at), 60_000));
    expect(new Set(scheduled).size).toBe(scheduled.length);
    const runs = await db.selectFrom("schedule_runs").selectAll().execute();
    // one lease row per scheduled task (shared, not one per process); the day's roll-over waits for the local midnight
    const names = runs.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(serveSchedules().map((t) => t.name)).toEqual(expect.arrayContaining(names));
    expect(names).toEqual(expect.arrayContaining(["maintenance-schedule", "score-rollover"]));

    // ---- scores: what the processes stored equals a fresh recompute ----
    const readScores = async () => ({
      groups: Object.fromEntries(
        (await db.selectFrom("buying_groups").select(["id", "completeness", "engagement", "engagement_raw"]).execute()).map(
          // The raw engagement to 9 decimals: an incrementally moved score (Σ Δ × share) may differ from a
          // full recompute in the last bits of the double; the displayed score must match exactly.
          (g) => [g.id, [Number(g.completeness), Number(g.engagement), Number(Number(g.engagement_raw).toFixed(9))]],
        ),
      ),
    });
    const stored = await readScores();
    expect(Object.values(stored.groups).some(([, engagement]) => engagement! > 0)).toBe(true);
    await recomputeAll({ db, config, clock: () => new Date() }, new Date());
    expect(stored).toEqual(await readScores());
  }, 300_000);
});

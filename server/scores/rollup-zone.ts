import { sql } from "kysely";
import { dayInTimeZone } from "../../shared/scoring";
import type { Config } from "../config";
import type { Db } from "../db/create-db";

/**
 * Activities are counted per calendar day in the organisation's time zone (QUORUM_TIME_ZONE): each
 * activity's `day` and the daily rollup (`activity_daily`) are written in that zone at ingest. The zone
 * they were built in is kept in `app_settings` under this key. A server started with another zone
 * refuses to start (it would mix days of two zones) and names the command that rebuilds them:
 * `quorum recompute` re-buckets every stored activity in the configured zone, rebuilds the rollup from
 * the activities (so raw = rollup holds) and then recomputes every score.
 */
export const ROLLUP_ZONE_KEY = "rollup_time_zone";

/** The zone the stored days were built in; null before the first start (nothing recorded yet). */
export async function rollupTimeZone(db: Db): Promise<string | null> {
  const row = await db.selectFrom("app_settings").select("value").where("key", "=", ROLLUP_ZONE_KEY).executeTakeFirst();
  return row?.value ?? null;
}

async function setRollupTimeZone(db: Db, zone: string): Promise<void> {
  await db
    .insertInto("app_settings")
    .values({ key: ROLLUP_ZONE_KEY, value: zone })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: zone }))
    .execute();
}

/** The command that rebuilds the days in the configured zone, as an operator types it. */
export const rebuildCommand = (config: Config) => `QUORUM_TIME_ZONE=${config.timeZone} npm run quorum -- recompute`;

/**
 * At start (serve, worker, import): records the zone on a first start (an install from before this
 * was recorded is taken to be in the configured zone), accepts a changed zone while no activity is
 * stored, and otherwise throws with the exact command to run.
 */
export async function checkRollupTimeZone(db: Db, config: Config): Promise<void> {
  const stored = await rollupTimeZone(db);
  if (stored === config.timeZone) return;
  const hasActivities = (await db.selectFrom("activities").select("external_id").limit(1).execute()).length > 0;
  if (stored === null || !hasActivities) {
    await setRollupTimeZone(db, config.timeZone);
    return;
  }
  throw new Error(
    `QUORUM_TIME_ZONE is ${config.timeZone}, but the stored activities are counted per day in ${stored}. ` +
      `Stop every Quorum process and rebuild the days in the new zone with \`${rebuildCommand(config)}\`, ` +
      `or set QUORUM_TIME_ZONE back to ${stored}.`,
  );
}

/** Activities re-bucketed per page (one transaction each). */
const PAGE = 5000;

export interface RollupRebuildReport {
  from: string | null;
  to: string;
  activities: number;
  /** Activities whose day changed. */
  moved: number;
  rollupRows: number;
}

/**
 * Re-buckets every stored activity into its day in `config.timeZone` and rebuilds `activity_daily`
 * from the activities, then records the zone. Run with the server stopped (`recompute` does it when
 * the zone changed, or with `--rebuild-rollup`). Interrupted, it is simply run again: the zone is
 * recorded only at the end.
 */
export async function rebuildRollup(
  db: Db,
  config: Config,
  onProgress?: (done: number, phase: string) => void,
): Promise<RollupRebuildReport> {
  const from = await rollupTimeZone(db);
  const zone = config.timeZone;
  let after = "";
  let activities = 0;
  let moved = 0;
  for (;;) {
    const rows = await db
      .selectFrom("activities")
      .select(["external_id", "occurred_at", "day"])
      .where("external_id", ">", after)
      .orderBy("external_id")
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    const byDay = new Map<string, string[]>();
    for (const r of rows) {
      const day = dayInTimeZone(new Date(r.occurred_at), zone);
      if (day === r.day) continue;
      (byDay.get(day) ?? byDay.set(day, []).get(day)!).push(r.external_id);
    }
    if (byDay.size > 0) {
      await db.transaction().execute(async (trx) => {
        for (const [day, ids] of byDay) {
          for (let i = 0; i < ids.length; i += 500)
            await trx
              .updateTable("activities")
              .set({ day })
              .where("external_id", "in", ids.slice(i, i + 500))
              .execute();
        }
      });
    }
    for (const ids of byDay.values()) moved += ids.length;
    activities += rows.length;
    after = rows[rows.length - 1]!.external_id;
    onProgress?.(activities, "activities");
  }
  // The rollup is exactly the activities counted per (person, type, day): rebuilt in one statement.
  const rollupRows = await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("activity_daily").execute();
    await sql`insert into activity_daily (person_id, type_id, day, count)
      select person_id, type_id, day, count(*) from activities group by person_id, type_id, day`.execute(trx);
    const n = await trx
      .selectFrom("activity_daily")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await setRollupTimeZone(trx, zone);
    return Number(n.n);
  });
  return { from, to: zone, activities, moved, rollupRows };
}

/** True when the stored days were built in another zone than the configured one (and there are activities). */
export async function rollupNeedsRebuild(db: Db, config: Config): Promise<boolean> {
  const stored = await rollupTimeZone(db);
  if (stored === null || stored === config.timeZone) return false;
  return (await db.selectFrom("activities").select("external_id").limit(1).execute()).length > 0;
}

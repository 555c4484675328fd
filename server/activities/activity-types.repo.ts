import type { ActivityType } from "../../shared/api/activities";
import { ACTIVITY_CATALOGUE, slugify } from "../../shared/domain/activity-catalogue";
import type { Db } from "../db/create-db";
import { bool, int } from "../db/json";

export async function listActivityTypes(db: Db): Promise<ActivityType[]> {
  const rows = await db.selectFrom("activity_types").selectAll().orderBy("builtin", "desc").orderBy("name").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    engagementType: r.engagement_type,
    dailyCap: r.daily_cap,
    weight: r.weight,
    countsTowardEngagement: bool(r.counts_toward_engagement),
    builtin: bool(r.builtin),
  }));
}

/** Maps a type given by id or by name (case- and punctuation-insensitive) to its id. */
export async function activityTypeResolver(db: Db): Promise<(type: string) => string | null> {
  const rows = await db.selectFrom("activity_types").select(["id", "name"]).execute();
  const map = new Map<string, string>();
  for (const r of rows) {
    map.set(r.id, r.id);
    map.set(slugify(r.name), r.id);
  }
  return (type) => map.get(type) ?? map.get(slugify(type)) ?? null;
}

export async function insertActivityType(
  db: Db,
  t: Omit<ActivityType, "id" | "builtin"> & { id?: string },
  builtin: boolean,
  now: string,
): Promise<string> {
  const id = t.id ?? slugify(t.name);
  await db
    .insertInto("activity_types")
    .values({
      id,
      name: t.name,
      description: t.description,
      engagement_type: t.engagementType,
      daily_cap: t.dailyCap,
      weight: t.weight,
      counts_toward_engagement: int(t.countsTowardEngagement),
      builtin: int(builtin),
      created_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  return id;
}

/** Ensures every built-in catalogue entry exists (run at start; never overwrites edits). */
export async function ensureCatalogue(db: Db, now: string): Promise<void> {
  for (const e of ACTIVITY_CATALOGUE) await insertActivityType(db, e, true, now);
}

import type { Kysely } from "kysely";

// Frozen in time. Covering indexes for the dashboard's role coverage (members per group and role)
// and contact overlap (groups per person): index scans instead of sorting every member row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("group_members_group_role")
    .on("group_members")
    .columns(["group_id", "role_key", "status"])
    .execute();
  await db.schema
    .createIndex("group_members_person_status")
    .on("group_members")
    .columns(["person_id", "status", "group_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("group_members_person_status").execute();
  await db.schema.dropIndex("group_members_group_role").execute();
}

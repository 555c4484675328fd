import { type Kysely, sql } from "kysely";

// Frozen in time. Dashboard support: which roles each group has filled (kept with completeness when
// scores are recomputed, so role coverage is a scan of small rows), and covering indexes for
// members per group and role and for groups per person (contact overlap).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("group_role_fill")
    .addColumn("group_id", "text", (c) => c.notNull().references("buying_groups.id").onDelete("cascade"))
    .addColumn("role_key", "text", (c) => c.notNull())
    .addColumn("filled", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_role_fill_pk", ["group_id", "role_key"])
    .execute();
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
  await sql`
    insert into group_role_fill (group_id, role_key, filled)
    select g.id, tr.key,
      case when (select count(*) from group_members m where m.group_id = g.id and m.role_key = tr.key and m.status = 'active') >= tr.members_required
      then 1 else 0 end
    from buying_groups g join template_roles tr on tr.template_id = g.role_template_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("group_members_person_status").execute();
  await db.schema.dropIndex("group_members_group_role").execute();
  await db.schema.dropTable("group_role_fill").execute();
}

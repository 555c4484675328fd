import type { Kysely } from "kysely";

// Frozen in time: never import application code here. Portable SQL only (SQLite and PostgreSQL).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("domain", "text")
    .addColumn("industry", "text")
    .addColumn("market_segment", "text")
    .addColumn("country", "text")
    .addColumn("annual_revenue", "double precision")
    .addColumn("parent_id", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("open_opportunities_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("open_opportunities_amount", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("accounts_domain").on("accounts").column("domain").execute();
  await db.schema.createIndex("accounts_name").on("accounts").column("name").execute();

  await db.schema
    .createTable("account_crm_links")
    .addColumn("crm", "text", (c) => c.notNull())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_crm_links_pk", ["crm", "record_id"])
    .execute();
  await db.schema.createIndex("account_crm_links_account").on("account_crm_links").column("account_id").execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.references("accounts.id").onDelete("set null"))
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("job_title", "text")
    .addColumn("department", "text")
    .addColumn("seniority", "text")
    .addColumn("country", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("score", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("score_computed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("people_account").on("people").column("account_id").execute();
  await db.schema.createIndex("people_email").on("people").column("email").unique().execute();

  await db.schema
    .createTable("activity_types")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("engagement_type", "text", (c) => c.notNull())
    .addColumn("daily_cap", "integer", (c) => c.notNull())
    .addColumn("weight", "integer", (c) => c.notNull())
    .addColumn("counts_toward_engagement", "integer", (c) => c.notNull())
    .addColumn("builtin", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("activities")
    .addColumn("external_id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("type_id", "text", (c) => c.notNull().references("activity_types.id"))
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("metadata", "text")
    .addColumn("ingested_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activities_person_time").on("activities").columns(["person_id", "occurred_at"]).execute();

  await db.schema
    .createTable("activity_daily")
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("type_id", "text", (c) => c.notNull().references("activity_types.id"))
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_daily_pk", ["person_id", "day", "type_id"])
    .execute();
  await db.schema.createIndex("activity_daily_day").on("activity_daily").column("day").execute();

  await db.schema
    .createTable("role_templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("family_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("role_templates_family_version", ["family_id", "version"])
    .execute();

  await db.schema
    .createTable("template_roles")
    .addColumn("template_id", "text", (c) => c.notNull().references("role_templates.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("weighting", "text", (c) => c.notNull())
    .addColumn("members_required", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("counts_toward_completeness", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("decision_maker", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("conditions", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("template_roles_pk", ["template_id", "key"])
    .execute();

  await db.schema
    .createTable("stage_models")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("stages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("model_id", "text", (c) => c.notNull().references("stage_models.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("stage_transitions")
    .addColumn("model_id", "text", (c) => c.notNull().references("stage_models.id").onDelete("cascade"))
    .addColumn("from_stage_id", "text", (c) => c.notNull().references("stages.id").onDelete("cascade"))
    .addColumn("to_stage_id", "text", (c) => c.notNull().references("stages.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("stage_transitions_pk", ["from_stage_id", "to_stage_id"])
    .execute();

  await db.schema
    .createTable("solution_interests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("role_template_id", "text", (c) => c.notNull().references("role_templates.id"))
    .addColumn("stage_model_id", "text", (c) => c.references("stage_models.id"))
    .addColumn("keywords", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("products", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("buying_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("solution_interest_id", "text", (c) => c.notNull().references("solution_interests.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role_template_id", "text", (c) => c.notNull().references("role_templates.id"))
    .addColumn("stage_id", "text", (c) => c.references("stages.id"))
    .addColumn("completeness", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("engagement", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("engagement_raw", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("scores_computed_at", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("buying_groups_account_interest", ["account_id", "solution_interest_id"])
    .execute();
  await db.schema.createIndex("buying_groups_interest").on("buying_groups").column("solution_interest_id").execute();
  await db.schema.createIndex("buying_groups_name").on("buying_groups").column("name").execute();

  await db.schema
    .createTable("group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("buying_groups.id").onDelete("cascade"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id").onDelete("cascade"))
    .addColumn("role_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("last_change_source", "text", (c) => c.notNull())
    .addColumn("last_change_at", "text", (c) => c.notNull())
    .addColumn("last_changed_by", "text")
    .addColumn("added_at", "text", (c) => c.notNull())
    .addColumn("removed_at", "text")
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "person_id"])
    .execute();
  await db.schema.createIndex("group_members_person").on("group_members").column("person_id").execute();

  await db.schema
    .createTable("group_stage_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("group_id", "text", (c) => c.notNull().references("buying_groups.id").onDelete("cascade"))
    .addColumn("from_stage_id", "text", (c) => c.references("stages.id"))
    .addColumn("to_stage_id", "text", (c) => c.notNull().references("stages.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("changed_by", "text")
    .addColumn("changed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("group_stage_history_group")
    .on("group_stage_history")
    .columns(["group_id", "changed_at"])
    .execute();

  await db.schema
    .createTable("journeys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("account_journeys")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id").onDelete("cascade"))
    .addColumn("journey_id", "text", (c) => c.notNull().references("journeys.id").onDelete("cascade"))
    .addColumn("entered_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("account_journeys_pk", ["account_id", "journey_id"])
    .execute();

  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("emails")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html_body", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("approved_by", "text")
    .addColumn("approved_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("group_id", "text")
    .addColumn("details", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_group").on("audit_log").columns(["group_id", "at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    "audit_log",
    "api_tokens",
    "users",
    "emails",
    "workspaces",
    "account_journeys",
    "journeys",
    "group_stage_history",
    "group_members",
    "buying_groups",
    "solution_interests",
    "stage_transitions",
    "stages",
    "stage_models",
    "template_roles",
    "role_templates",
    "activity_daily",
    "activities",
    "activity_types",
    "people",
    "account_crm_links",
    "accounts",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

import type { Deps } from "../deps";
import { createTemplate, publishTemplate } from "../templates/templates.service";
import { DEFAULT_TEMPLATE } from "./demo-config";

/** Marks that the starter content was considered once (a later start never re-creates what an admin deleted). */
const STARTER_KEY = "starter_template_created_at";

/**
 * What a fresh install without demo data (`QUORUM_DEMO_DATA=false`) starts with: the default roles template
 * (server/seed/demo-config.ts), published, so role rules, creation jobs and the extension's pre-chosen roles work
 * before an admin has written a template. Runs once per database: the first start claims a key in app_settings;
 * when templates already exist (demo data, an import) nothing is created. Returns whether it created the template.
 */
export async function ensureStarterTemplate(deps: Deps): Promise<boolean> {
  const claimed = await deps.db
    .insertInto("app_settings")
    .values({ key: STARTER_KEY, value: deps.clock().toISOString() })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
  const existing = await deps.db.selectFrom("role_templates").select("id").limit(1).executeTakeFirst();
  if (existing) return false;
  const admin = await deps.db.selectFrom("users").select("id").where("role", "=", "admin").executeTakeFirst();
  const userId = admin?.id ?? "system";
  await publishTemplate(deps, (await createTemplate(deps, DEFAULT_TEMPLATE, userId)).id, userId);
  return true;
}

import { notFound } from "../../shared/errors";
import type { Deps } from "../deps";
import { deleteGroups } from "./group-delete";

/** Deletes one buying group (admins), in one transaction with its events and audit snapshot; 404 if unknown. */
export async function deleteGroup(deps: Deps, id: string, userId: string): Promise<void> {
  const at = deps.clock().toISOString();
  const n = await deps.db.transaction().execute((trx) => deleteGroups(trx, [id], { userId, at, reason: "group_deleted" }));
  if (n === 0) throw notFound("Buying group", id);
}

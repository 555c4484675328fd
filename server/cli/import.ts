import type { Deps } from "../deps";
import { importCsv } from "../import/run-import";
import type { ImportReport } from "../import/types";

export type { ImportReport };

/**
 * `npm run quorum -- import <accounts|people|activities> <file.csv>`: streams the CSV in batches, writes
 * each batch in one transaction and reports what was imported, what already existed and which lines were
 * rejected and why. A progress bar goes to stderr when `opts.progress`. Throws an Error with a message
 * for the person running it when the file cannot be imported at all (missing file, empty file, missing
 * column, a quote that is never closed).
 */
export function runImport(
  deps: Deps,
  kind: "accounts" | "people" | "activities",
  file: string,
  opts: { progress: boolean },
): Promise<ImportReport> {
  return importCsv(deps, kind, file, opts);
}

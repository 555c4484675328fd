import { stat } from "node:fs/promises";
import cliProgress from "cli-progress";
import type { Deps } from "../deps";
import { accountsImporter } from "./accounts";
import { activitiesImporter } from "./activities";
import { addResult } from "./batch";
import { Header } from "./columns";
import { readCsv } from "./csv-reader";
import { peopleImporter } from "./people";
import type { ImporterFactory, ImportKind, ImportReport } from "./types";

/** Imports a CSV file of accounts, people or activities; see `server/cli/import.ts`. */
export function importCsv(deps: Deps, kind: ImportKind, file: string, opts: { progress: boolean }): Promise<ImportReport> {
  switch (kind) {
    case "accounts":
      return run(deps, kind, accountsImporter, file, opts);
    case "people":
      return run(deps, kind, peopleImporter, file, opts);
    case "activities":
      return run(deps, kind, activitiesImporter, file, opts);
    default:
      return Promise.reject(new Error(`Cannot import '${String(kind)}': the kind must be accounts, people or activities.`));
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error(`Cannot import ${file}: it is not a file.`);
    return s.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new Error(`Cannot import ${file}: the file does not exist (looked in ${process.cwd()} for relative paths).`);
    if (code === "EACCES") throw new Error(`Cannot import ${file}: permission denied; check the file's permissions.`);
    throw err;
  }
}

const summary = (r: ImportReport) => `${r.imported} imported, ${r.duplicates} duplicate, ${r.rejected.length} rejected`;

async function run<T>(
  deps: Deps,
  kind: ImportKind,
  factory: ImporterFactory<T>,
  file: string,
  opts: { progress: boolean },
): Promise<ImportReport> {
  const size = await fileSize(file);
  const report: ImportReport = { rows: 0, imported: 0, duplicates: 0, rejected: [] };
  const fail = (line: number | null, reason: string) =>
    new Error(`Cannot import ${file}${line === null ? "" : ` (line ${line})`}: ${reason}`);

  const bar = opts.progress
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `Importing ${kind} [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(Math.max(size, 1), 0, { rows: 0 });

  let importer: ReturnType<ImporterFactory<T>["create"]> | null = null;
  let header: Header | null = null;
  let batch: Array<{ line: number; item: T }> = [];
  const flush = async () => {
    if (batch.length === 0 || !importer) return;
    const rows = batch;
    batch = [];
    try {
      addResult(report, await importer.write(deps, rows));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw fail(
        null,
        `writing the rows on lines ${rows[0]?.line}–${rows.at(-1)?.line} failed (${message}). ` +
          `Before them: ${summary(report)}. Fix the problem and import the file again: rows already imported count as duplicates.`,
      );
    }
  };

  try {
    for await (const event of readCsv(file)) {
      if (event.type === "fatal") {
        await flush();
        throw fail(
          event.line,
          `${event.reason}. The import stopped there; before it: ${summary(report)}. ` +
            `Close the quote (a quote inside a quoted value is written "") and import the file again: rows already imported count as duplicates.`,
        );
      }
      if (!importer || !header) {
        if (event.type === "malformed") throw fail(event.line, `the header row cannot be read: ${event.reason}`);
        try {
          header = Header.from(event.cells);
          importer = factory.create(header);
        } catch (err) {
          throw fail(null, err instanceof Error ? err.message : String(err));
        }
        continue;
      }
      report.rows++;
      if (report.rows % 500 === 0) bar?.update(event.bytes, { rows: report.rows });
      if (event.type === "malformed") {
        report.rejected.push({ line: event.line, reason: `the CSV is malformed here: ${event.reason}` });
        continue;
      }
      const cells = event.cells;
      const width = header.width;
      const extra = cells.slice(width);
      if (cells.length < width || extra.some((c) => c.trim() !== "")) {
        const fix =
          cells.length > width
            ? "put values that contain commas in double quotes"
            : "every row needs one value per column (leave a value empty between two commas)";
        report.rejected.push({
          line: event.line,
          reason: `has ${cells.length} values but the header has ${width} columns; ${fix}`,
        });
        continue;
      }
      const prepared = importer.prepare(header.row(event.line, cells));
      if (!prepared.ok) report.rejected.push({ line: event.line, reason: prepared.reason });
      else {
        batch.push({ line: event.line, item: prepared.item });
        if (batch.length >= importer.batchSize) await flush();
      }
    }
    if (!importer) throw fail(null, `the file is empty; it needs a header row naming the columns, such as ${factory.example}`);
    await flush();
    bar?.update(Math.max(size, 1), { rows: report.rows });
  } finally {
    bar?.stop();
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

import type { Deps } from "../deps";
import type { Header, Row } from "./columns";

export type ImportKind = "accounts" | "people" | "activities";

export interface ImportReport {
  /** Data rows read (blank lines not counted); rows = imported + duplicates + rejected.length. */
  rows: number;
  imported: number;
  duplicates: number;
  /** Sorted by line; the header is line 1. */
  rejected: Array<{ line: number; reason: string }>;
}

/** What a batch write did with each row. */
export interface BatchResult {
  imported: number;
  duplicates: number;
  rejected: Array<{ line: number; reason: string }>;
}

export type Prepared<T> = { ok: true; item: T } | { ok: false; reason: string };

/** One kind of import for one file's header: how to validate a row and write a batch of valid rows. */
export interface KindImporter<T> {
  batchSize: number;
  /** Validates one row without touching the database. */
  prepare(row: Row): Prepared<T>;
  /** Writes the rows (in file order); a failure never leaves a half-written row. */
  write(deps: Deps, batch: ReadonlyArray<{ line: number; item: T }>): Promise<BatchResult>;
}

/** Builds the importer for a header; throws an Error naming a missing column. */
export interface ImporterFactory<T> {
  /** A header row to show when the file is empty. */
  example: string;
  create(header: Header): KindImporter<T>;
}

import type { Deps } from "../deps";

export interface ImportReport {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: Array<{ line: number; reason: string }>;
}

export async function runImport(_deps: Deps, _kind: string, _file: string, _opts: { progress: boolean }): Promise<ImportReport> {
  throw new Error("not yet");
}

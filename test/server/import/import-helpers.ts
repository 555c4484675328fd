import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTestContext, type TestContext } from "../../helpers/test-app";

export const FIXTURES = resolve(import.meta.dirname, "../../fixtures/import");

export interface ImportTestContext extends TestContext {
  /** Writes `content` to a file in this context's temp dir and returns its path. */
  file: (name: string, content: string | Buffer) => string;
  dir: string;
}

/**
 * A test context on its own SQLite file in a temp dir (so that imports in parallel test files never share
 * a database), plus a place for generated CSV files. `close()` removes both.
 */
export async function importContext(): Promise<ImportTestContext> {
  const dir = mkdtempSync(join(tmpdir(), "quorum-import-"));
  const t = await createTestContext({ env: { DATABASE_URL: join(dir, "quorum.sqlite") } });
  return {
    ...t,
    dir,
    file: (name, content) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    close: async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CSV text from lines (LF line ends, with a final newline). */
export const csv = (...lines: string[]) => `${lines.join("\n")}\n`;

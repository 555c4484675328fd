import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const EXT = join(__dirname, "../../../extension");
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
}

describe("extension source rules", () => {
  it("never writes HTML from strings (CRM page text is untrusted)", () => {
    const offenders = files(EXT).filter((f) =>
      /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("content-script code never calls the network nor reads storage (the token lives there)", () => {
    const entrypoints = readdirSync(join(EXT, "entrypoints"))
      .filter((f) => f.endsWith("-crm.ts")) // <crm>-crm.ts: the content scripts (five built-in CRMs + custom-crm.ts)
      .map((f) => join(EXT, "entrypoints", f));
    expect(entrypoints).toHaveLength(6); // five built-in CRMs + the self-hosted CRMs' script
    const content = [...files(join(EXT, "utils/content")), ...entrypoints, ...files(join(EXT, "crm"))];
    const offenders = content.filter((f) =>
      /\bfetch\(|XMLHttpRequest|storage\.|api\/client|server-api|settings"/.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});

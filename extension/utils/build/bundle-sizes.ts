/**
 * Build-time only (wxt.config.ts hook): gzip sizes of what each page really loads: an HTML page's scripts plus every
 * chunk they import, and each content script. Printed after every build.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";

/** Static imports (`from "./x.js"`, `import "./x.js"`) and dynamic ones (`import("./x.js")`) of a built file. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const code = readFileSync(file, "utf8");
  const at = (m: RegExpMatchArray) => join(dirname(file), m[1]!);
  return {
    static: [...code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)].map(at),
    dynamic: [...code.matchAll(/import\s*\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g)].map(at),
  };
}

/** Every file loaded up front from these entries (static imports only). */
function staticClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file).static);
  }
  return seen;
}

/**
 * What a page really loads: its static closure plus the largest of the chunks it imports on demand (a page loads one
 * UI language's catalogue, not all of them). Dynamic imports of those chunks are followed one level.
 */
function jsClosure(outDir: string, entries: string[]): string[] {
  const initial = staticClosure(entries);
  const gz = (files: Iterable<string>) => [...files].reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  let largest: string[] = [];
  let largestBytes = 0;
  for (const chunk of new Set([...initial].flatMap((f) => importsOf(f).dynamic))) {
    const extra = [...staticClosure([chunk])].filter((f) => !initial.has(f));
    const bytes = gz(extra);
    if (bytes > largestBytes) [largest, largestBytes] = [extra, bytes];
  }
  return [...initial, ...largest].map((f) => relative(outDir, f));
}

function pageScripts(outDir: string, html: string): string[] {
  const text = readFileSync(join(outDir, html), "utf8");
  return [...text.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => join(outDir, m[1]!));
}

export interface BundleSize {
  name: string;
  files: string[];
  gzipBytes: number;
}

export function bundleSizes(outDir: string): BundleSize[] {
  const gz = (files: string[]) => files.reduce((n, f) => n + gzipSync(readFileSync(join(outDir, f))).length, 0);
  const out: BundleSize[] = [];
  for (const page of ["sidepanel.html", "options.html"]) {
    if (!existsSync(join(outDir, page))) continue;
    const files = jsClosure(outDir, pageScripts(outDir, page));
    out.push({ name: `${page.replace(".html", "")} JS`, files, gzipBytes: gz(files) });
  }
  for (const cs of [...contentScripts(outDir), "background.js"]) {
    if (existsSync(join(outDir, cs))) {
      const files = jsClosure(outDir, [join(outDir, cs)]);
      out.push({ name: cs, files, gzipBytes: gz(files) });
    }
  }
  return out;
}

/**
 * The content scripts: one per built-in CRM (`<crm>-crm.js`, a page loads only its CRM's) and the self-hosted CRMs'
 * script (custom-crm.js) that the background registers at run time.
 */
export function contentScripts(outDir: string): string[] {
  return existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => f.endsWith("-crm.js"))
        .sort()
    : [];
}

export function printBundleSizes(outDir: string): void {
  console.log("gzip sizes, with the largest on-demand UI language (goals: side panel JS ≤ 35 KB, each content script ≤ 10 KB):");
  for (const b of bundleSizes(outDir)) console.log(`  ${b.name.padEnd(34)} ${(b.gzipBytes / 1024).toFixed(1).padStart(6)} KB`);
}

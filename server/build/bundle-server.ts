/**
 * `npm run build` (after the extension): bundles the server with esbuild into dist/ so production runs
 * `node dist/server.js serve` without tsx or TypeScript. ESM for Node 20; every entry of SERVER_ENTRIES becomes its own
 * file; the native better-sqlite3 and pg stay in node_modules (run `npm ci --omit=dev` beside dist/ on a server).
 * `QUORUM_SERVER_OUT_DIR` builds elsewhere (the bundle test does).
 */
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { SERVER_ENTRIES, SERVER_EXTERNALS } from "./entries";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export async function bundleServer(outDir = resolve(ROOT, process.env.QUORUM_SERVER_OUT_DIR ?? "dist")): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(SERVER_ENTRIES).map(([name, file]) => [name, join(ROOT, file)])),
    outdir: outDir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    // Minified: less to parse at every start; the linked source map keeps stack traces readable (--enable-source-maps).
    minify: true,
    keepNames: true,
    sourcemap: "linked",
    legalComments: "linked",
    external: SERVER_EXTERNALS,
    define: { __QUORUM_BUNDLED__: "true" },
    // CommonJS packages bundled into ESM still call require() for Node built-ins: give them one.
    banner: {
      js: 'import { createRequire as __quorumRequire } from "node:module"; const require = __quorumRequire(import.meta.url);',
    },
    metafile: true,
    logLevel: "warning",
  });
  return Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  bundleServer().then(
    (files) => {
      const entries = files.filter((f) => !f.includes("/chunks/"));
      console.log(
        `Server bundle: ${entries.join(", ")} (+${files.length - entries.length} chunks) in ${Math.round(performance.now() - started)} ms`,
      );
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Replaced by `true` in the production bundle (server/build/bundle-server.ts defines it); undefined under tsx. */
declare const __QUORUM_BUNDLED__: boolean | undefined;

/** Whether this code runs from the production bundle (dist/server.js) rather than the TypeScript sources. */
export const isBundled = (): boolean => typeof __QUORUM_BUNDLED__ !== "undefined" && __QUORUM_BUNDLED__;

/**
 * The file a worker thread or process starts from: `dist/<name>.js` beside the bundle in production, the TypeScript
 * source under tsx. `name` is the key in SERVER_ENTRIES (e.g. "workers/email-outbox"); `source` is the source file's
 * URL (`new URL("./worker.ts", import.meta.url)` in the module that starts the worker). In the bundle,
 * `import.meta.url` is dist/server.js, so the entry resolves beside it.
 */
export function workerEntryUrl(name: string, source: URL): URL {
  if (!isBundled()) return source;
  // With code splitting this module may sit in dist/chunks/: entries are one level up.
  const base = new URL(/\/chunks\/[^/]*$/.test(import.meta.url) ? "../" : "./", import.meta.url);
  return new URL(`./${name}.js`, base);
}

/**
 * The URL a worker thread starts from: the bundle's entry in production; under tsx (development, tests) a tiny ES
 * module that registers tsx's loader in the new thread and imports the TypeScript source.
 */
export function workerThreadUrl(name: string, source: URL): URL {
  if (isBundled()) return workerEntryUrl(name, source);
  const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/esm/api/index.mjs");
  const code = `const { register } = await import(${JSON.stringify(pathToFileURL(tsx).href)}); register(); await import(${JSON.stringify(source.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

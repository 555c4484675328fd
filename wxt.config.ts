import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";
import { printBundleSizes } from "./extension/utils/build/bundle-sizes";
import { BUILTIN_CONTENT_SCRIPTS, LOCAL_SERVER_MATCHES, SAAS_CRM_MATCHES } from "./extension/utils/crm-hosts";

export default defineConfig({
  srcDir: "extension",
  // QUORUM_WXT_OUT_DIR: a private output folder (test/e2e/firefox.test.ts builds there, away from .output/).
  outDir: process.env.QUORUM_WXT_OUT_DIR ?? ".output",
  publicDir: "extension/public",
  imports: false,
  // MV3 everywhere: Firefox MV3 has optional_host_permissions and scripting.registerContentScripts.
  manifestVersion: 3,
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // Content scripts (unlisted scripts) are minified with Terser rather than esbuild: about 0.7 KB gzip less each (each
    // must stay ≤ 10 KB); the pages keep esbuild's faster minifier.
    "vite:build:extendConfig": (entrypoints, config) => {
      if (entrypoints.every((e) => e.type === "unlisted-script")) {
        config.build = { ...config.build, minify: "terser", terserOptions: { ecma: 2020, compress: { passes: 2 } } };
      }
    },
    "build:done": (wxt) => printBundleSizes(wxt.config.outDir),
  },
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    action: { default_title: "__MSG_extActionTitle__" },
    // scripting: register content scripts for self-hosted CRM hosts once the user grants them.
    // identity: single sign-on through launchWebAuthFlow (extension/utils/sso).
    permissions: browser === "firefox" ? ["storage", "scripting", "identity"] : ["storage", "sidePanel", "scripting", "identity"],
    // Settings the organisation pushes by policy (extension/utils/managed-settings.ts, docs/deploy.md).
    storage: { managed_schema: "managed-schema.json" },
    // Test builds only (test/e2e/sso.test.ts): a fixed key gives the build a known id, so a managed policy can name it.
    ...(process.env.QUORUM_MANIFEST_KEY ? { key: process.env.QUORUM_MANIFEST_KEY } : {}),
    host_permissions: [...SAAS_CRM_MATCHES, ...LOCAL_SERVER_MATCHES],
    // A remote Quorum server and self-hosted CRMs: requested from a user gesture in the options page. One `*://` pattern:
    // a request must fall within a single optional pattern, and self-hosted CRMs ask for `*://<host>/*` (http and https).
    optional_host_permissions: ["*://*/*"],
    // One script per built-in CRM (entrypoints/<crm>-crm.ts, unlisted scripts without WXT's content-script runtime).
    content_scripts: BUILTIN_CONTENT_SCRIPTS.map((c) => ({ matches: [...c.matches], js: [c.js], run_at: "document_idle" })),
    ...(browser === "firefox" ? { browser_specific_settings: { gecko: { id: "quorum@example.org" } } } : {}),
  }),
});

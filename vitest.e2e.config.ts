import { defineConfig } from "vitest/config";

/** `npm run test:e2e`: Chromium end-to-end files, built once (global setup), one file at a time. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

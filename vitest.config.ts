import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // Each server test file gets its own SQLite database; files run in parallel worker processes.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

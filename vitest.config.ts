import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // `*.pg.test.ts` need a PostgreSQL server: `npm run test:pg` runs them with the suite on PostgreSQL.
    exclude: ["**/node_modules/**", ...(process.env.QUORUM_TEST_DATABASE_URL ? [] : ["test/**/*.pg.test.ts"])],
    // Each server test file gets its own SQLite database; files run in parallel worker processes.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

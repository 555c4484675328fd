import pg from "pg";

/**
 * Records the SQL text of every statement node-postgres sends (every Kysely query, raw or built, goes through
 * pg.Client#query) until `stop()`. `raw` sends a statement the recording does not see (a test's own set-up).
 */
export function recordPgStatements() {
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    sent.push(typeof q === "string" ? q : (q?.text ?? String(q)));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    sent,
    raw: (c: pg.Client, text: string, params: unknown[]) =>
      (original as (this: pg.Client, text: string, params: unknown[]) => Promise<unknown>).call(c, text, params),
    stop: () => {
      pg.Client.prototype.query = original;
    },
  };
}

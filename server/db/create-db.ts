import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  Kysely,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
} from "kysely";
import pg from "pg";
import type { Config } from "../config";
import { ensurePrivateFile } from "../secrets/private-files";
import { type Checkpointer, startCheckpointer, WAL_BACKSTOP_PAGES } from "./checkpointer";
import { isDatabaseUnavailable } from "./errors";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

/** Prepared statements kept per SQL text; the app issues a few hundred distinct queries at most. */
const STATEMENT_CACHE_SIZE = 500;
/**
 * And at most this much SQL text in them: a prepared statement's memory grows with its text, and
 * multi-row INSERTs and CASE updates of a few hundred rows are tens of KB each.
 */
const STATEMENT_CACHE_SQL_CHARS = 2_000_000;
/** PostgreSQL: how long a query waits for a pool connection before failing (database down or pool exhausted). */
export const PG_CONNECT_TIMEOUT_MS = 30_000;
/** SQLite page cache per connection, in KiB. */
export const SQLITE_CACHE_KB = 32_768;

/**
 * better-sqlite3 behind Kysely, with a statement cache: Kysely prepares every query it runs, and
 * preparing costs more than running most of ours. Statements are reused only by `all`/`get`/`run`
 * (nothing streams here), so sharing one is safe on the single connection.
 */
function cachedSqlite(
  sqlite: SQLite.Database,
  beforeClose: () => void,
): { close(): void; prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  let chars = 0;
  return {
    close: () => {
      beforeClose();
      sqlite.close();
    },
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Least recently used first: move this one to the end.
        cache.delete(sql);
        cache.set(sql, stmt);
        return stmt;
      }
      stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
      chars += sql.length;
      for (const old of cache.keys()) {
        if (cache.size <= STATEMENT_CACHE_SIZE && chars <= STATEMENT_CACHE_SQL_CHARS) break;
        cache.delete(old);
        chars -= old.length;
      }
      return stmt;
    },
  };
}

/** The statement cache of each SQLite database, by its Kysely adapter (shared by its transactions). */
const statementsByAdapter = new WeakMap<DialectAdapter, (sql: string) => SQLite.Statement>();

/**
 * Inside a transaction on SQLite: the connection's prepared statement for `sql`, to run row-by-row
 * statements without Kysely's per-query machinery (a few microseconds each, which thousands of rows
 * per request add up). Only transactions qualify: SQLite has one connection, and only a transaction
 * holds it for the caller, so nothing else can run in between. Otherwise (PostgreSQL, or outside a
 * transaction) null: use Kysely.
 */
export function sqliteStatements(db: Db): ((sql: string) => SQLite.Statement) | null {
  if (!db.isTransaction) return null;
  return statementsByAdapter.get(db.getExecutor().adapter) ?? null;
}

/**
 * A PostgreSQL connection's settings, the same for the pools and for single clients (the details feed):
 * named in pg_stat_activity `quorum`, or the URL's `application_name`, with `role` appended (`quorum worker`),
 * so background connections are told apart (pg lets the URL's parameter win over the option, so it is taken
 * out of the URL); statement and idle-in-transaction timeouts sent as start-up parameters (0 turns a limit
 * off; undefined keeps the server's).
 */
export function pgClientConfig(database: Extract<Config["database"], { kind: "postgres" }>, role?: string): pg.ClientConfig {
  const url = new URL(database.url);
  const name = [url.searchParams.get("application_name") ?? "quorum", role].filter(Boolean).join(" ");
  url.searchParams.delete("application_name");
  return {
    connectionString: url.toString(),
    application_name: name,
    ...(database.statementTimeoutMs !== undefined && { statement_timeout: database.statementTimeoutMs }),
    ...(database.idleInTransactionTimeoutMs !== undefined && {
      idle_in_transaction_session_timeout: database.idleInTransactionTimeoutMs,
    }),
  };
}

/**
 * The dialect set-up: the only place that knows which database engine is behind Kysely. `acquireTimeoutMs`
 * (PostgreSQL): how long a query waits for a pool connection (default PG_CONNECT_TIMEOUT_MS); `role`: appended to
 * the connections' application_name (`quorum worker`), so pg_stat_activity shows which pool a connection is in.
 */
export function createDb(database: Config["database"], options: { acquireTimeoutMs?: number; role?: string } = {}): Db {
  if (database.kind === "postgres") {
    const pool = new pg.Pool({
      ...pgClientConfig(database, options.role),
      max: database.poolSize,
      // A request waits at most this long for a connection (the database down, or the pool exhausted);
      // then it fails with a 503 instead of hanging.
      connectionTimeoutMillis: options.acquireTimeoutMs ?? PG_CONNECT_TIMEOUT_MS,
    });
    // An idle connection that dies (the server restarted, pg_terminate_backend) is an 'error' event on
    // the pool: without a listener it would end the process. The pool drops that client and opens a
    // new one on the next query; a query that was running gets its own error (a 503, see http/errors.ts).
    const onConnectionError = (err: Error) => {
      if (!isDatabaseUnavailable(err)) console.error("[quorum] PostgreSQL connection error", err);
    };
    pool.on("error", onConnectionError);
    // A connection checked out of the pool (inside a request, or just given back after its query
    // failed) reports its end on itself, not on the pool: listen there too, or a restart mid-request
    // would be an uncaught exception that ends the process.
    pool.on("connect", (client) => client.on("error", onConnectionError));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (database.file !== ":memory:") {
    // Personal data and token hashes: a new directory is the owner's only, the file 0600 from its
    // first byte (SQLite gives its -wal and -shm the database file's permissions).
    mkdirSync(dirname(database.file), { recursive: true, mode: 0o700 });
    ensurePrivateFile(database.file);
  }
  const sqlite = new SQLite(database.file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 32 MB of page cache (the default is 2 MB): indexes of a few million activities stay mostly in memory.
  sqlite.pragma(`cache_size = -${SQLITE_CACHE_KB}`);
  // Checkpoints run on their own thread (see checkpointer.ts); a commit checkpoints only as a backstop.
  const checkpointer = database.file === ":memory:" ? null : startCheckpointer(database.file);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  // Kysely does not wait for close: the checkpointer closes its own connection between two rounds.
  const statements = cachedSqlite(sqlite, () => void checkpointer?.stop());
  const dialect = new SqliteDialect({ database: statements satisfies SqliteDatabase });
  // Transactions take the write lock when they begin (BEGIN IMMEDIATE), not at their first write: with
  // a second connection writing (a background worker thread, a CLI import), a deferred transaction that
  // read first could not upgrade to a writer once the other committed (SQLITE_BUSY at once, which
  // busy_timeout cannot wait out). An immediate one waits its turn (busy_timeout) instead.
  // A write gate (server/workers/write-gate.ts, set with setWriteGate) orders this connection's
  // transactions with another thread's on the same file without blocking the event loop.
  const gate: { current: WriteGate | null } = { current: null };
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    const releaseConnection = driver.releaseConnection.bind(driver);
    // Takes the gate. When it is not free at once, waits for it WITHOUT holding the connection (the
    // driver's mutex): the other queries of this thread (a request's reads) go on meanwhile instead of
    // queueing behind a write that waits for the other thread's transaction. Holds the connection again
    // on return, as the caller expects.
    const takeGate = async (g: WriteGate, connection: DatabaseConnection) => {
      if (!g.tryAcquire) return g.acquire();
      if (g.tryAcquire()) return;
      await releaseConnection(connection);
      try {
        await g.acquire();
      } finally {
        await acquire();
      }
    };
    const commit = driver.commitTransaction.bind(driver);
    const rollback = driver.rollbackTransaction.bind(driver);
    let inTransaction = false;
    // A write outside a transaction (one UPDATE) takes the write lock too: through the gate as well.
    const gated = new WeakMap<DatabaseConnection, DatabaseConnection>();
    driver.acquireConnection = async () => {
      const connection = await acquire();
      let wrapped = gated.get(connection);
      if (!wrapped) {
        wrapped = {
          executeQuery: async (query) => {
            const g = gate.current;
            if (!g || inTransaction || /^\s*(select|pragma)\b/i.test(query.sql)) return connection.executeQuery(query);
            await takeGate(g, connection);
            try {
              return await connection.executeQuery(query);
            } finally {
              g.release();
            }
          },
          streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
        };
        gated.set(connection, wrapped);
      }
      return wrapped;
    };
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      const g = gate.current;
      if (g) await takeGate(g, connection);
      inTransaction = true;
      try {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
      } catch (err) {
        inTransaction = false;
        g?.release();
        throw err;
      }
    };
    const end = async (finish: Promise<void>) => {
      try {
        await finish;
      } finally {
        inTransaction = false;
        gate.current?.release();
      }
    };
    driver.commitTransaction = (connection: DatabaseConnection) => end(commit(connection));
    driver.rollbackTransaction = (connection: DatabaseConnection) => end(rollback(connection));
    return driver;
  };
  const createAdapter = dialect.createAdapter.bind(dialect);
  dialect.createAdapter = () => {
    const adapter = createAdapter();
    statementsByAdapter.set(adapter, (text) => statements.prepare(text));
    return adapter;
  };
  const db = new Kysely<Database>({ dialect });
  if (checkpointer) checkpointers.set(db, checkpointer);
  gates.set(db, gate);
  return db;
}

/**
 * Orders the SQLite transactions of two threads on one file (see server/workers/write-gate.ts): `acquire`
 * resolves when this connection may take the write lock, `release` follows its commit or rollback.
 */
export interface WriteGate {
  acquire(): Promise<void>;
  /**
   * Takes the gate if that needs no waiting (true), else leaves it untaken (false). Only for gates
   * whose holders on this connection may overlap (the request thread's: a count of writers): the
   * connection waits for such a gate without holding its mutex.
   */
  tryAcquire?(): boolean;
  release(): void;
}

const gates = new WeakMap<Db, { current: WriteGate | null }>();

/** Sets the write gate of a SQLite database's transactions (no effect on PostgreSQL). */
export function setWriteGate(db: Db, gate: WriteGate | null): void {
  const holder = gates.get(db);
  if (holder) holder.current = gate;
}

const checkpointers = new WeakMap<Db, Checkpointer>();

/** The background WAL checkpointer of a SQLite file database (none for `:memory:` and PostgreSQL). */
export function walCheckpointer(db: Db): Checkpointer | undefined {
  return checkpointers.get(db);
}

import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { Database } from "./schema.ts";

/**
 * The embedded store. Two connections to one SQLite file in WAL mode:
 *
 * - reads outside a transaction go to a read-only connection, so they never
 *   wait behind a write transaction that is awaiting something;
 * - writes go to the writer, one transaction at a time. Transactions that
 *   arrive while one is running are committed together (group commit): each
 *   runs inside its own SAVEPOINT, so it succeeds or rolls back alone, and one
 *   COMMIT with one fsync (synchronous=FULL) makes the whole group durable
 *   before any of them is answered. An fsync costs ~2 ms here; without
 *   grouping, 32 concurrent writers would queue behind 32 of them.
 */

type Raw = SqliteDatabase.Database;
type Statement = SqliteDatabase.Statement;

const MAX_GROUP = 64;
const STATEMENT_CACHE = 500;

function convert(params: ReadonlyArray<unknown>): unknown[] {
  // better-sqlite3 refuses JS booleans and Dates; SQLite keeps 1/0 and ISO text.
  return params.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : v));
}

/** Prepared statements are reused: preparing costs more than running a small query. */
class StatementCache {
  readonly #raw: Raw;
  readonly #cache = new Map<string, Statement>();
  constructor(raw: Raw) {
    this.#raw = raw;
  }
  get(sql: string): Statement {
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.#raw.prepare(sql);
      if (this.#cache.size >= STATEMENT_CACHE) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(sql, stmt);
    }
    return stmt;
  }
}

function execute<R>(statements: StatementCache, query: CompiledQuery): QueryResult<R> {
  const stmt = statements.get(query.sql);
  const params = convert(query.parameters);
  if (stmt.reader) return { rows: stmt.all(params) as R[] };
  const { changes, lastInsertRowid } = stmt.run(params);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/** A promise-chain lock: the writer runs one group or one lone write at a time. */
class Lock {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => {});
    return result;
  }
}

/** A dialect whose connection runs each query through the given function. */
function dialectOf(run: (query: CompiledQuery) => Promise<QueryResult<unknown>>): Dialect {
  const connection: DatabaseConnection = {
    executeQuery: run as DatabaseConnection["executeQuery"],
    // biome-ignore lint/correctness/useYield: streaming is not offered by this store.
    async *streamQuery() {
      throw new Error("streaming queries are not supported by the SQLite store");
    },
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {
      throw new Error("use store.transaction(), not db.transaction()");
    },
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  class ConcurrentAdapter extends SqliteAdapter {
    override get supportsMultipleConnections(): boolean {
      return true;
    }
  }
  return {
    createAdapter: () => new ConcurrentAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

function openRaw(file: string, readonly: boolean): Raw {
  const raw = new SqliteDatabase(file, { readonly, fileMustExist: readonly });
  raw.pragma("busy_timeout = 5000");
  if (!readonly) {
    raw.pragma("journal_mode = WAL");
    // Every committed transaction survives a crash or a power loss.
    raw.pragma("synchronous = FULL");
  }
  raw.pragma("foreign_keys = ON");
  return raw;
}

interface Pending {
  fn: (tx: Kysely<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface SqliteParts {
  db: Kysely<Database>;
  transaction<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** A plain Kysely on the writer for migrations, before the store is used. */
  migrationDb: Kysely<Database>;
  close(): Promise<void>;
}

export function openSqliteParts(options: {
  dataDir?: string | undefined;
  file?: string | undefined;
}): SqliteParts {
  let file = options.file;
  if (!file) {
    const dir = options.dataDir ?? "./data";
    mkdirSync(dir, { recursive: true });
    file = path.join(dir, "runsheet.db");
  }
  const writerRaw = openRaw(file, false);
  // An in-memory database cannot be shared between connections; it reads through the writer.
  const readerRaw = file === ":memory:" ? writerRaw : openRaw(file, true);
  const writer = new StatementCache(writerRaw);
  const reader = new StatementCache(readerRaw);
  const lock = new Lock();
  const inTransaction = new AsyncLocalStorage<true>();

  const db = new Kysely<Database>({
    dialect: dialectOf(async (query) => {
      if (query.query.kind === "SelectQueryNode") return execute(reader, query);
      if (inTransaction.getStore()) {
        // Waiting for the writer from inside a transaction would wait forever.
        throw new Error("A write through store.db inside store.transaction(): use the transaction's tx.");
      }
      return lock.run(() => execute(writer, query));
    }),
  });
  const txDb = new Kysely<Database>({ dialect: dialectOf(async (query) => execute(writer, query)) });

  const queue: Pending[] = [];
  let draining = false;

  async function runGroup(group: Pending[]): Promise<void> {
    writerRaw.exec("BEGIN IMMEDIATE");
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    for (const item of group) {
      writerRaw.exec("SAVEPOINT runsheet_tx");
      try {
        const value = await inTransaction.run(true, () => item.fn(txDb));
        writerRaw.exec("RELEASE runsheet_tx");
        outcomes.push({ ok: true, value });
      } catch (error) {
        writerRaw.exec("ROLLBACK TO runsheet_tx");
        writerRaw.exec("RELEASE runsheet_tx");
        outcomes.push({ ok: false, error });
      }
    }
    try {
      writerRaw.exec("COMMIT");
    } catch (error) {
      if (writerRaw.inTransaction) writerRaw.exec("ROLLBACK");
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        // Let pending I/O run first: requests that arrived meanwhile queue
        // their transactions and join this group instead of paying their own fsync.
        await new Promise((resolve) => setImmediate(resolve));
        const group = queue.splice(0, MAX_GROUP);
        await lock
          .run(() => runGroup(group))
          .catch((error) => {
            for (const item of group) item.reject(error);
          });
      }
    } finally {
      draining = false;
    }
  }

  const migrationWrapper = {
    prepare: (sql: string) => {
      const stmt = writerRaw.prepare(sql);
      return {
        reader: stmt.reader,
        all: (p: ReadonlyArray<unknown>) => stmt.all(convert(p)),
        run: (p: ReadonlyArray<unknown>) => stmt.run(convert(p)),
        iterate: (p: ReadonlyArray<unknown>) => stmt.iterate(convert(p)),
      };
    },
    close: () => {},
  };

  return {
    db,
    migrationDb: new Kysely<Database>({ dialect: new SqliteDialect({ database: migrationWrapper }) }),
    transaction<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) {
        return Promise.reject(new Error("store.transaction() inside a transaction: use the outer tx."));
      }
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
    async close() {
      await lock.run(() => {});
      if (readerRaw !== writerRaw) readerRaw.close();
      writerRaw.close();
    },
  };
}

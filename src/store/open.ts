import { mkdirSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import type { DialectName } from "./column-types.ts";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

export interface Store {
  readonly db: Db;
  readonly dialect: DialectName;
  /** Runs fn in one write transaction (BEGIN IMMEDIATE on SQLite); commits, or rolls back on throw. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** postgres://… to use PostgreSQL; otherwise SQLite in dataDir. */
  databaseUrl?: string | undefined;
  /** Folder for the SQLite file (runsheet.db). */
  dataDir?: string | undefined;
  /** For tests: an exact SQLite file path, or ":memory:". */
  sqliteFile?: string | undefined;
  /** For PostgreSQL: the schema to use (created if missing); tests get one each. */
  pgSchema?: string | undefined;
  poolSize?: number | undefined;
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;

export async function openStore(config: StoreConfig): Promise<Store> {
  const store = config.databaseUrl ? openPostgres(config) : openSqlite(config);
  await migrate(store);
  return store;
}

function openSqlite(config: StoreConfig): Store {
  let file = config.sqliteFile;
  if (!file) {
    const dir = config.dataDir ?? "./data";
    mkdirSync(dir, { recursive: true });
    file = path.join(dir, "runsheet.db");
  }
  const raw = new SqliteDatabase(file);
  // WAL with synchronous=FULL: every committed transaction survives a crash or power loss.
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.pragma("foreign_keys = ON");
  raw.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withSqliteValues(raw) }) });
  return {
    db,
    dialect: "sqlite",
    transaction: (fn) =>
      // Kysely's SQLite driver holds one connection behind a mutex, so this
      // connection is ours alone until fn settles. IMMEDIATE takes the write
      // lock up front, so another process cannot make us fail half-way.
      db
        .connection()
        .execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          try {
            const result = await fn(conn);
            await sql`commit`.execute(conn);
            return result;
          } catch (error) {
            await sql`rollback`.execute(conn);
            throw error;
          }
        }),
    close: () => db.destroy(),
  };
}

/**
 * better-sqlite3 refuses JS booleans and Dates as parameters. Converting them
 * here, under Kysely, keeps that SQLite detail out of every query.
 */
function withSqliteValues(raw: SqliteDatabase.Database) {
  const convert = (params: ReadonlyArray<unknown>) =>
    params.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Date ? v.toISOString() : v));
  return {
    close: () => raw.close(),
    prepare(query: string) {
      const stmt = raw.prepare(query);
      return {
        reader: stmt.reader,
        all: (params: ReadonlyArray<unknown>) => stmt.all(convert(params)),
        run: (params: ReadonlyArray<unknown>) => stmt.run(convert(params)),
        iterate: (params: ReadonlyArray<unknown>) => stmt.iterate(convert(params)),
      };
    },
  };
}

function openPostgres(config: StoreConfig): Store {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.poolSize ?? 10,
    // A schema per test file (or per tenant) is selected for every connection of the pool.
    ...(config.pgSchema ? { options: `-c search_path=${config.pgSchema}` } : {}),
    types: {
      getTypeParser(oid: number, format?: "text" | "binary") {
        // Times come back as ISO strings, like on SQLite; int8 (count(*)) as numbers.
        if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) return (v: string) => new Date(v).toISOString();
        if (oid === PG_INT8) return (v: string) => Number(v);
        return pg.types.getTypeParser(oid, format ?? "text");
      },
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}

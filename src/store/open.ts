import { Kysely, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import type { DialectName } from "./column-types.ts";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";
import { openSqliteParts } from "./sqlite.ts";

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
  if (config.databaseUrl) {
    const store = openPostgres(config);
    await migrate(store.db, store.dialect).catch(async (error) => {
      await store.close();
      throw error;
    });
    return store;
  }
  const { store, migrationDb } = openSqlite(config);
  try {
    // Migrations run on the writer before anything else uses the store.
    await migrate(migrationDb, "sqlite");
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(config: StoreConfig): { store: Store; migrationDb: Db } {
  const parts = openSqliteParts({ dataDir: config.dataDir, file: config.sqliteFile });
  return {
    store: { db: parts.db, dialect: "sqlite", transaction: parts.transaction, close: parts.close },
    migrationDb: parts.migrationDb,
  };
}

function openPostgres(config: StoreConfig): Store {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: config.poolSize ?? 10,
    // Sessions speak UTC, so timestamps arrive as "2026-11-27 03:00:00.123+00"; a schema
    // per test file is selected for every connection of the pool.
    options: `-c TimeZone=UTC${config.pgSchema ? ` -c search_path=${config.pgSchema}` : ""}`,
    types: {
      getTypeParser(oid: number, format?: "text" | "binary") {
        // Times come back as ISO strings, like on SQLite; int8 (count(*)) as numbers.
        if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) return isoFromPg;
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

/**
 * pg's text form of a UTC timestamptz to the ISO form SQLite stores: the same
 * string on both dialects, without a Date per value (a 10,000-entry timeline
 * has 20,000 of them).
 */
export function isoFromPg(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00(?::00)?)?$/.exec(value);
  if (!match) return new Date(value).toISOString();
  const millis = (match[3] ?? "").padEnd(3, "0").slice(0, 3);
  return `${match[1]}T${match[2]}.${millis}Z`;
}

async function migrate(db: Db, dialect: DialectName): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema unless told which;
  // on pg it is the connection's own schema (a test schema, or public).
  const schema =
    dialect === "postgres"
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}

import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { StoreConfig } from "../../src/store/open.ts";
import { tempDir } from "../../test/support/fanout.ts";

/**
 * A fresh store for one benchmark run: a temporary SQLite folder, or a
 * PostgreSQL database made for the run and dropped after it. `env` points a
 * `runsheet serve` child at it; `storeConfig` opens it in-process for seeding.
 */
export interface BenchStore {
  env: Record<string, string>;
  storeConfig: StoreConfig;
  cleanup(): Promise<void>;
}

export const PG_URL = process.env.RUNSHEET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** null when PostgreSQL does not answer. */
export async function benchStore(dialect: "sqlite" | "postgres", name: string): Promise<BenchStore | null> {
  if (dialect === "sqlite") {
    const dir = tempDir(`runsheet-${name}-`);
    const data = path.join(dir, "data");
    return {
      env: { RUNSHEET_DATA: data },
      storeConfig: { dataDir: data },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = `runsheet_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  await admin.query(`drop database if exists ${database}`);
  await admin.query(`create database ${database}`);
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return {
    env: { DATABASE_URL: url.toString() },
    storeConfig: { databaseUrl: url.toString() },
    async cleanup() {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Runs a benchmark once per dialect (BENCH_DIALECT=sqlite|postgres runs one),
 * each on a fresh store that is removed after it; PostgreSQL is skipped with
 * one line when it does not answer. Results go under bench/results/.
 */
export async function eachDialect(
  name: string,
  bench: (dialect: "sqlite" | "postgres", store: BenchStore) => Promise<void>,
): Promise<void> {
  mkdirSync("bench/results", { recursive: true });
  const only = process.env.BENCH_DIALECT;
  for (const dialect of ["sqlite", "postgres"] as const) {
    if (only && only !== dialect) continue;
    const store = await benchStore(dialect, name);
    if (!store) {
      process.stdout.write(`PostgreSQL not reachable at ${PG_URL}: skipping its benchmark\n`);
      continue;
    }
    try {
      await bench(dialect, store);
    } finally {
      await store.cleanup();
    }
  }
}

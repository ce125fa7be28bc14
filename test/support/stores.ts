import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { DialectName } from "../../src/store/column-types.ts";
import { openStore, type Store } from "../../src/store/open.ts";

/** The dialects the store and API suites run on: SQLite always, PostgreSQL when there is one. */
export function dialects(): DialectName[] {
  return inject("pgUrl") ? ["sqlite", "postgres"] : ["sqlite"];
}

export interface TestStore {
  store: Store;
  /** For PostgreSQL, the connection settings another process can use to reach the same data. */
  databaseUrl?: string;
  pgSchema?: string;
  dataDir?: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty, migrated store: a new SQLite file, or a new PostgreSQL schema. */
export async function openTestStore(
  dialect: DialectName,
  options: { poolSize?: number } = {},
): Promise<TestStore> {
  if (dialect === "sqlite") {
    const dataDir = mkdtempSync(path.join(tmpdir(), "runsheet-test-"));
    const store = await openStore({ dataDir });
    return {
      store,
      dataDir,
      async cleanup() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = inject("pgUrl");
  if (!url) throw new Error("PostgreSQL is not available");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openStore({ databaseUrl: url, pgSchema: schema, poolSize: options.poolSize });
  return {
    store,
    databaseUrl: url,
    pgSchema: schema,
    async cleanup() {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

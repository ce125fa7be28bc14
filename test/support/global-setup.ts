import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

/**
 * Finds the PostgreSQL the store and API suites also run against. Without one,
 * `npm test` says so in one line and runs the SQLite half; in CI (CI=true) a
 * missing PostgreSQL fails the run, so CI never skips them.
 */
export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.RUNSHEET_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    project.provide("pgUrl", url);
  } catch (error) {
    if (process.env.CI) {
      throw new Error(`CI needs PostgreSQL at ${url} for the store and API suites: ${String(error)}`);
    }
    process.stdout.write(
      `PostgreSQL not reachable at ${url}: skipping the PostgreSQL suites (set RUNSHEET_TEST_DATABASE_URL; CI never skips them)\n`,
    );
    project.provide("pgUrl", null);
  } finally {
    await client.end().catch(() => {});
  }
}

import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/** Durable jobs and timers: deliveries, reminders, escalations. */
export function createJobs(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("payload", t.json, t.jsonCheck("payload"))
        .addColumn("state", "text", (c) =>
          c.notNull().check(sql`state in ('queued', 'running', 'done', 'dead', 'cancelled')`),
        )
        .addColumn("run_at", t.time, (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("locked_until", t.time)
        .addColumn("last_error", "text")
        .addColumn("unique_key", "text", (c) => c.unique())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("jobs_due").on("jobs").columns(["state", "run_at"]).execute();
    },
  };
}

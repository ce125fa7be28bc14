import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/** Events that met none of the plan's criteria: logged, not declared. */
export function createEventLog(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("event_log")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("summary", "text")
        .addColumn("components", t.json, t.jsonCheck("components"))
        .addColumn("detected_by", "text", (c) => c.notNull())
        .addColumn("logged_at", t.time, (c) => c.notNull())
        .addColumn("logged_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .execute();
      await db.schema
        .createIndex("event_log_logged_at")
        .on("event_log")
        .columns(["logged_at", "id"])
        .execute();
    },
  };
}

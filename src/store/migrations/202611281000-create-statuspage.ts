import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

const COMPONENT_STATUSES = sql`('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')`;

/**
 * The public status page: each component's current status and every change to
 * it (uptime is computed from these, time-weighted), and scheduled maintenances.
 */
export function createStatuspage(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("component_states")
        .addColumn("component_id", "text", (c) => c.primaryKey())
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ${COMPONENT_STATUSES}`))
        .addColumn("since", t.time, (c) => c.notNull())
        .addColumn("first_seen_at", t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("component_status_changes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("component_id", "text", (c) => c.notNull())
        .addColumn("old_status", "text")
        .addColumn("status", "text", (c) => c.notNull().check(sql`status in ${COMPONENT_STATUSES}`))
        .addColumn("at", t.time, (c) => c.notNull())
        // The public update that made the change, shown as its affected components.
        .addColumn("update_id", "text", (c) => c.references("status_updates.id").onDelete("set null"))
        .execute();
      await db.schema
        .createIndex("component_status_changes_component")
        .on("component_status_changes")
        .columns(["component_id", "at"])
        .execute();
      await db.schema
        .createIndex("component_status_changes_update")
        .on("component_status_changes")
        .columns(["update_id"])
        .execute();

      await db.schema
        .createTable("maintenances")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('scheduled', 'in_progress', 'verifying', 'completed')`),
        )
        .addColumn("scheduled_for", t.time, (c) => c.notNull())
        .addColumn("scheduled_until", t.time, (c) => c.notNull())
        .addColumn("auto_start", t.bool, (c) => c.notNull())
        .addColumn("auto_complete", t.bool, (c) => c.notNull())
        .addColumn("started_at", t.time)
        .addColumn("completed_at", t.time)
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("maintenances_status")
        .on("maintenances")
        .columns(["status", "scheduled_for"])
        .execute();

      await db.schema
        .createTable("maintenance_components")
        .addColumn("maintenance_id", "text", (c) =>
          c.notNull().references("maintenances.id").onDelete("cascade"),
        )
        .addColumn("component_id", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("maintenance_components_pk", ["maintenance_id", "component_id"])
        .execute();

      await db.schema
        .createTable("maintenance_updates")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("maintenance_id", "text", (c) =>
          c.notNull().references("maintenances.id").onDelete("cascade"),
        )
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("created_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("maintenance_updates_maintenance")
        .on("maintenance_updates")
        .columns(["maintenance_id", "created_at"])
        .execute();
    },
  };
}

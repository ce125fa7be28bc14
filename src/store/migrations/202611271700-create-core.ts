import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";
import { COUNTERS } from "../counters.ts";

export function createCore(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("timezone", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull().check(sqlIn("role", ["admin", "responder", "viewer"])))
        .addColumn("password_hash", "text")
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("disabled_at", t.time)
        .execute();

      await db.schema
        .createTable("sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("expires_at", t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("label", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("prefix", "text", (c) => c.notNull())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("last_used_at", t.time)
        .addColumn("revoked_at", t.time)
        .execute();

      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("plan_versions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("version", "integer", (c) => c.notNull().unique())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("content_hash", "text", (c) => c.notNull())
        .addColumn("yaml", "text", (c) => c.notNull())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .execute();

      await db.schema
        .createTable("counters")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("value", "integer", (c) => c.notNull())
        .execute();
      if (dialect === "postgres") {
        for (const name of COUNTERS) await sql`create sequence ${sql.id(`counter_${name}`)}`.execute(db);
      }

      await db.schema
        .createTable("incidents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("number", "integer", (c) => c.notNull().unique())
        .addColumn("reference", "text", (c) => c.notNull().unique())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("summary", "text")
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sqlIn("status", ["investigating", "identified", "monitoring", "resolved"])),
        )
        .addColumn("detected_by", "text", (c) =>
          c.notNull().check(sqlIn("detected_by", ["monitoring", "customer", "employee"])),
        )
        .addColumn("criteria", t.json, t.jsonCheck("criteria"))
        .addColumn("impact_started_at", t.time, (c) => c.notNull())
        .addColumn("declared_at", t.time, (c) => c.notNull())
        .addColumn("identified_at", t.time)
        .addColumn("monitoring_at", t.time)
        .addColumn("resolved_at", t.time)
        .addColumn("private", t.bool, (c) => c.notNull())
        .addColumn("drill", t.bool, (c) => c.notNull())
        .addColumn("declared_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("plan_version", "integer", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("incidents_declared_at")
        .on("incidents")
        .columns(["declared_at", "id"])
        .execute();
      await db.schema
        .createIndex("incidents_status")
        .on("incidents")
        .columns(["status", "declared_at"])
        .execute();

      await db.schema
        .createTable("incident_components")
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("component_id", "text", (c) => c.notNull())
        .addColumn("impact", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("incident_components_pk", ["incident_id", "component_id"])
        .execute();

      await db.schema
        .createTable("incident_roles")
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("role_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("lead", t.bool, (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("holder_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("assigned_at", t.time)
        .addPrimaryKeyConstraint("incident_roles_pk", ["incident_id", "role_id"])
        .execute();
      await db.schema
        .createIndex("incident_roles_holder")
        .on("incident_roles")
        .columns(["holder_id"])
        .execute();

      await db.schema
        .createTable("role_assignments")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("role_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("started_at", t.time, (c) => c.notNull())
        .addColumn("ended_at", t.time)
        .addColumn("assigned_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .execute();
      await db.schema
        .createIndex("role_assignments_incident")
        .on("role_assignments")
        .columns(["incident_id", "role_id", "started_at"])
        .execute();

      await db.schema
        .createTable("checklist_items")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("role_id", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("text", "text", (c) => c.notNull())
        .addColumn("done", t.bool, (c) => c.notNull())
        .addColumn("done_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("done_at", t.time)
        .execute();
      await db.schema
        .createIndex("checklist_items_incident")
        .on("checklist_items")
        .columns(["incident_id", "position"])
        .execute();

      await db.schema
        .createTable("timeline_entries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("final", t.bool, (c) => c.notNull())
        .addColumn("confirmed_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("confirmed_at", t.time)
        .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("data", t.json, t.jsonCheck("data"))
        .addColumn("created_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("timeline_entries_incident")
        .on("timeline_entries")
        .columns(["incident_id", "created_at", "id"])
        .execute();

      await db.schema
        .createTable("status_updates")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("phase", "text", (c) => c.notNull())
        .addColumn("subject", "text")
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("audience", "text", (c) => c.notNull().check(sqlIn("audience", ["internal", "external"])))
        .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("created_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("status_updates_incident")
        .on("status_updates")
        .columns(["incident_id", "created_at"])
        .execute();
    },
  };
}

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

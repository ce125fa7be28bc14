import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/**
 * After the incident: the post-incident review (its meeting, checklist and the
 * public-postmortem decision), the postmortem with its separate public version,
 * action items, similar past incidents found at declaration, and on incidents
 * the close (after resolution) and the incident it repeats.
 */
export function createReview(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("incidents").addColumn("closed_at", t.time).execute();
      await db.schema
        .alterTable("incidents")
        .addColumn("closed_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .execute();
      await db.schema
        .alterTable("incidents")
        .addColumn("repeat_of", "text", (c) => c.references("incidents.id").onDelete("set null"))
        .execute();

      await db.schema
        .createTable("reviews")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) =>
          c.notNull().unique().references("incidents.id").onDelete("cascade"),
        )
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('scheduled', 'held', 'cancelled')`),
        )
        .addColumn("required", t.bool, (c) => c.notNull())
        .addColumn("due_at", t.time, (c) => c.notNull())
        .addColumn("meeting_at", t.time, (c) => c.notNull())
        .addColumn("meeting_minutes", "integer", (c) => c.notNull())
        .addColumn("meeting_url", "text")
        // [{ userId, email, name }]: everyone who took part in the incident.
        .addColumn("attendees", t.json, t.jsonCheck("attendees"))
        // [{ text, done }]: the plan's checklist, worked through in the meeting.
        .addColumn("checklist", t.json, t.jsonCheck("checklist"))
        .addColumn("notes", "text")
        // The invite's iCalendar SEQUENCE: raised each time the meeting is moved.
        .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("held_at", t.time)
        .addColumn("public_postmortem", t.bool)
        .addColumn("decision_reason", "text")
        .addColumn("decided_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("decided_at", t.time)
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex("reviews_due").on("reviews").columns(["status", "due_at"]).execute();

      await db.schema
        .createTable("postmortems")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) =>
          c.notNull().unique().references("incidents.id").onDelete("cascade"),
        )
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('draft', 'in_review', 'published')`),
        )
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("published_at", t.time)
        // The customer-facing version, shown on the status page once published.
        .addColumn("public_status", "text", (c) =>
          c.notNull().defaultTo("none").check(sql`public_status in ('none', 'draft', 'published')`),
        )
        .addColumn("public_title", "text")
        .addColumn("public_body", "text")
        .addColumn("public_published_at", t.time)
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("updated_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();

      await db.schema
        .createTable("action_items")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("owner_id", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("team", "text")
        .addColumn("priority", "text", (c) => c.notNull())
        .addColumn("due_at", t.time)
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('open', 'in_progress', 'done', 'wont_do')`),
        )
        .addColumn("url", "text")
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("closed_at", t.time)
        .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createIndex("action_items_incident")
        .on("action_items")
        .columns(["incident_id"])
        .execute();
      await db.schema
        .createIndex("action_items_owner_due")
        .on("action_items")
        .columns(["owner_id", "due_at"])
        .execute();

      await db.schema
        .createTable("similar_incidents")
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("similar_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("score", "real", (c) => c.notNull())
        // ["components", "alert", "title"]: what the two have in common.
        .addColumn("reasons", t.json, t.jsonCheck("reasons"))
        .addColumn("found_at", t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint("similar_incidents_pk", ["incident_id", "similar_id"])
        .execute();
    },
  };
}

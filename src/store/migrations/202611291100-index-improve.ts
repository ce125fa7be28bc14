import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

/**
 * Indexes for "never the same incident twice" and the values: declaring an
 * incident looks up past incidents by component and by alert key (without
 * these, each declaration would scan all of history), reminders and the
 * overdue lists find open action items by due date, and the values read pages
 * by incident.
 */
export function indexImprove(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("incident_components_component")
        .on("incident_components")
        .columns(["component_id", "incident_id"])
        .execute();
      await db.schema
        .createIndex("alerts_dedup_key_incident")
        .on("alerts")
        .columns(["dedup_key", "incident_id"])
        .execute();
      await db.schema
        .createIndex("action_items_status_due")
        .on("action_items")
        .columns(["status", "due_at"])
        .execute();
      await db.schema
        .createIndex("action_items_team_due")
        .on("action_items")
        .columns(["team", "due_at"])
        .execute();
      await db.schema.createIndex("action_items_due").on("action_items").columns(["due_at"]).execute();
      await db.schema
        .createIndex("pages_incident")
        .on("pages")
        .columns(["incident_id", "created_at"])
        .execute();
    },
  };
}

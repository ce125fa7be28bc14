import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/**
 * Paging and escalation: an escalation keeps the stages it was started with
 * (so a plan edited mid-incident does not renumber them), a notification
 * keeps where it goes (so a queued one still knows its address), a person is
 * paged at most once per stage, and a role has at most one live escalation
 * per incident.
 */
export function alterPaging(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("escalations").addColumn("steps", t.json).execute();
      await db.schema.alterTable("page_notifications").addColumn("address", "text").execute();
      await db.schema
        .createIndex("pages_once_per_stage")
        .on("pages")
        .columns(["escalation_id", "stage", "user_id"])
        .unique()
        .execute();
      await sql`create unique index escalations_live on escalations (incident_id, role_id) where status = 'active'`.execute(
        db,
      );
      await db.schema
        .createIndex("page_notifications_method")
        .on("page_notifications")
        .columns(["contact_method_id", "state"])
        .execute();
    },
  };
}

import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/**
 * Alert intake: when an alert joined its incident, and when the incident's
 * timeline counted it (the timeline notes "12 more alerts attached" at most
 * about once a minute instead of one entry per alert), a per-key rate limit,
 * and indexes the alert list pages through that a repeat event does not move.
 */
export function alterAlerts(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("alerts").addColumn("attached_at", t.time).execute();
      await db.schema.alterTable("alerts").addColumn("attach_noted_at", t.time).execute();
      await db.schema
        .alterTable("integrations")
        .addColumn("rate_limit_per_minute", "integer", (c) => c.notNull().defaultTo(60_000))
        .execute();
      // alerts_status (status, last_seen_at) moved on every repeat of an alert, a
      // write per event that nothing reads; open alerts are listed by first seen.
      await db.schema.dropIndex("alerts_status").execute();
      await sql`create index alerts_open_first_seen on alerts (first_seen_at, id) where status <> 'resolved'`.execute(
        db,
      );
      await db.schema
        .createIndex("alerts_first_seen")
        .on("alerts")
        .columns(["first_seen_at", "id"])
        .execute();
      await db.schema
        .createIndex("alerts_integration_first_seen")
        .on("alerts")
        .columns(["integration_id", "first_seen_at", "id"])
        .execute();
    },
  };
}

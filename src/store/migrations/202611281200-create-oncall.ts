import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/**
 * On-call and alert intake: how people are reached (contact methods and the
 * rules for when each is used), schedule overrides and calendar feeds,
 * escalations with their pages and notifications, monitoring integrations,
 * and alerts (deduplicated by key while open).
 */
export function createOncall(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("contact_methods")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("kind", "text", (c) =>
          c.notNull().check(sql`kind in ('email', 'chat_webhook', 'ntfy', 'webhook', 'sms', 'voice')`),
        )
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("label", "text", (c) => c.notNull())
        // A generic webhook's own signing secret (Standard Webhooks), shown once.
        .addColumn("signing_secret", "text")
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("disabled_at", t.time)
        .execute();
      await db.schema
        .createIndex("contact_methods_user")
        .on("contact_methods")
        .columns(["user_id"])
        .execute();

      await db.schema
        .createTable("notification_rules")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("contact_method_id", "text", (c) =>
          c.notNull().references("contact_methods.id").onDelete("cascade"),
        )
        .addColumn("delay_minutes", "integer", (c) => c.notNull())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("notification_rules_user")
        .on("notification_rules")
        .columns(["user_id", "delay_minutes"])
        .execute();

      await db.schema
        .createTable("schedule_overrides")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("schedule_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("start_at", t.time, (c) => c.notNull())
        .addColumn("end_at", t.time, (c) => c.notNull())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .execute();
      await db.schema
        .createIndex("schedule_overrides_schedule")
        .on("schedule_overrides")
        .columns(["schedule_id", "end_at"])
        .execute();

      await db.schema
        .createTable("calendar_feeds")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('schedule', 'user')`))
        .addColumn("owner_id", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("revoked_at", t.time)
        .execute();

      await db.schema
        .createTable("escalations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("role_id", "text", (c) => c.notNull())
        .addColumn("stage", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('active', 'acknowledged', 'exhausted', 'cancelled')`),
        )
        .addColumn("started_at", t.time, (c) => c.notNull())
        .addColumn("next_at", t.time)
        .addColumn("acknowledged_at", t.time)
        .addColumn("acknowledged_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("escalations_incident")
        .on("escalations")
        .columns(["incident_id", "role_id"])
        .execute();

      await db.schema
        .createTable("pages")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("escalation_id", "text", (c) =>
          c.notNull().references("escalations.id").onDelete("cascade"),
        )
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("stage", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('triggered', 'acknowledged', 'superseded', 'cancelled')`),
        )
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("acknowledged_at", t.time)
        .addColumn("acknowledged_via", "text")
        .execute();
      await db.schema
        .createIndex("pages_escalation")
        .on("pages")
        .columns(["escalation_id", "stage"])
        .execute();
      await db.schema.createIndex("pages_user").on("pages").columns(["user_id", "status"]).execute();

      await db.schema
        .createTable("page_notifications")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("page_id", "text", (c) => c.notNull().references("pages.id").onDelete("cascade"))
        .addColumn("contact_method_id", "text", (c) =>
          c.references("contact_methods.id").onDelete("set null"),
        )
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) =>
          c.notNull().check(sql`state in ('queued', 'sent', 'failed', 'dead', 'cancelled')`),
        )
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("job_id", "text")
        .addColumn("last_error", "text")
        .addColumn("provider_message_id", "text")
        .addColumn("due_at", t.time, (c) => c.notNull())
        .addColumn("sent_at", t.time)
        .addColumn("created_at", t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("page_notifications_page")
        .on("page_notifications")
        .columns(["page_id"])
        .execute();

      await db.schema
        .createTable("integrations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) =>
          c.notNull().check(sql`type in ('pagerduty', 'alertmanager', 'grafana', 'generic', 'heartbeat')`),
        )
        // A plan component: its maintenance windows silence this integration's alerts.
        .addColumn("service", "text")
        .addColumn("key_hash", "text", (c) => c.notNull().unique())
        .addColumn("key_prefix", "text", (c) => c.notNull())
        .addColumn("heartbeat_seconds", "integer")
        .addColumn("last_heartbeat_at", t.time)
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
        .addColumn("disabled_at", t.time)
        .execute();

      await db.schema
        .createTable("alerts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("integration_id", "text", (c) =>
          c.notNull().references("integrations.id").onDelete("cascade"),
        )
        .addColumn("dedup_key", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(sql`status in ('triggered', 'acknowledged', 'resolved')`),
        )
        .addColumn("summary", "text", (c) => c.notNull())
        .addColumn("source", "text")
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("component", "text")
        .addColumn("alert_group", "text")
        .addColumn("alert_class", "text")
        .addColumn("labels", t.json, t.jsonCheck("labels"))
        .addColumn("details", t.json, t.jsonCheck("details"))
        .addColumn("criterion_id", "text")
        .addColumn("incident_id", "text", (c) => c.references("incidents.id").onDelete("set null"))
        .addColumn("proposal", "text", (c) => c.check(sql`proposal in ('pending', 'accepted', 'dismissed')`))
        .addColumn("silenced", t.bool, (c) => c.notNull())
        .addColumn("event_count", "integer", (c) => c.notNull())
        .addColumn("first_seen_at", t.time, (c) => c.notNull())
        .addColumn("last_seen_at", t.time, (c) => c.notNull())
        .addColumn("acknowledged_at", t.time)
        .addColumn("resolved_at", t.time)
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .execute();
      // One open alert per key: a repeat of an open key is the same alert.
      await sql`create unique index alerts_open_key on alerts (integration_id, dedup_key) where status <> 'resolved'`.execute(
        db,
      );
      await db.schema.createIndex("alerts_status").on("alerts").columns(["status", "last_seen_at"]).execute();
      await db.schema.createIndex("alerts_incident").on("alerts").columns(["incident_id"]).execute();

      // The criterion whose alerts declared the incident: later alerts matching it attach while it is open.
      await db.schema.alterTable("incidents").addColumn("alert_criterion", "text").execute();
      await db.schema
        .createIndex("incidents_alert_criterion")
        .on("incidents")
        .columns(["alert_criterion", "status"])
        .execute();
    },
  };
}

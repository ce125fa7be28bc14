import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { columnTypes, type DialectName } from "../column-types.ts";

/** Channel deliveries (the outbox's visible side), subscribers and stored channel secrets. */
export function createComms(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("status_updates").addColumn("due_at", t.time).execute();
      await db.schema
        .alterTable("status_updates")
        .addColumn("public", t.bool, (c) => c.notNull().defaultTo(t.falseValue))
        .execute();

      // One rendering per update and channel: every target of the channel gets the same message.
      await db.schema
        .createTable("update_channels")
        .addColumn("update_id", "text", (c) =>
          c.notNull().references("status_updates.id").onDelete("cascade"),
        )
        .addColumn("channel_id", "text", (c) => c.notNull())
        .addColumn("channel_type", "text", (c) => c.notNull())
        .addColumn("rendering", t.json, t.jsonCheck("rendering"))
        .addPrimaryKeyConstraint("update_channels_pk", ["update_id", "channel_id"])
        .execute();

      await db.schema
        .createTable("deliveries")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("update_id", "text", (c) =>
          c.notNull().references("status_updates.id").onDelete("cascade"),
        )
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("channel_id", "text", (c) => c.notNull())
        .addColumn("target_key", "text", (c) => c.notNull())
        .addColumn("target_address", "text")
        .addColumn("state", "text", (c) =>
          c.notNull().check(sql`state in ('queued', 'delivered', 'failed', 'dead')`),
        )
        .addColumn("job_id", "text")
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("last_error", "text")
        .addColumn("next_attempt_at", t.time)
        .addColumn("provider_message_id", "text")
        .addColumn("thread_id", "text")
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("delivered_at", t.time)
        .execute();
      await db.schema
        .createIndex("deliveries_update")
        .on("deliveries")
        .columns(["update_id", "channel_id"])
        .execute();
      await db.schema
        .createIndex("deliveries_thread")
        .on("deliveries")
        .columns(["incident_id", "channel_id", "target_key", "delivered_at"])
        .execute();

      await db.schema
        .createTable("subscribers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('email', 'webhook')`))
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("components", t.json)
        .addColumn("state", "text", (c) =>
          c.notNull().check(sql`state in ('pending', 'confirmed', 'unsubscribed')`),
        )
        .addColumn("confirm_token_hash", "text")
        .addColumn("unsubscribe_token", "text", (c) => c.notNull().unique())
        .addColumn("webhook_secret", "text")
        .addColumn("created_at", t.time, (c) => c.notNull())
        .addColumn("confirmed_at", t.time)
        .addColumn("unsubscribed_at", t.time)
        .execute();
      await db.schema
        .createIndex("subscribers_kind_address")
        .on("subscribers")
        .columns(["kind", "address"])
        .unique()
        .execute();
      await db.schema.createIndex("subscribers_state").on("subscribers").columns(["kind", "state"]).execute();

      // One row per reminder sent, so several processes send each one once.
      await db.schema
        .createTable("reminders_sent")
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("due_at", t.time, (c) => c.notNull())
        .addColumn("stage", "text", (c) => c.notNull())
        .addColumn("sent_at", t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint("reminders_sent_pk", ["incident_id", "due_at", "stage"])
        .execute();

      await db.schema
        .createTable("channel_secrets")
        .addColumn("channel_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("ciphertext", "text", (c) => c.notNull())
        .addColumn("updated_at", t.time, (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addPrimaryKeyConstraint("channel_secrets_pk", ["channel_id", "name"])
        .execute();
    },
  };
}

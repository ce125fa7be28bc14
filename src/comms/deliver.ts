import type { Ctx } from "../context.ts";
import type { Job } from "../jobs/queue.ts";
import { GiveUp, STANDARD_WEBHOOKS_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { readBool, readJson } from "../store/values.ts";
import { adapterFor } from "./adapters/index.ts";
import type { Rendering, Target } from "./adapters/types.ts";
import { channelSettings } from "./compose.ts";

export const DELIVER_JOB = "deliver";

type DeliverDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "events" | "publicUrl">;

/**
 * Sends one delivery: the stored rendering of its update for its channel, to
 * its target, through the channel's adapter. Idempotent: a delivery that went
 * out is not sent again, and the delivery id is the idempotency key the
 * providers see, so a crash between sending and recording costs at most one
 * duplicate that carries the same key.
 */
export function deliveryHandler(deps: DeliverDeps): JobHandler<{ deliveryId: string }> {
  const announceDelivery = async (incidentId: string) => {
    const row = await deps.store.db
      .selectFrom("incidents")
      .select(["id", "reference", "version", "private"])
      .where("id", "=", incidentId)
      .executeTakeFirst();
    if (row)
      deps.events.publish({
        incidentId: row.id,
        reference: row.reference,
        version: row.version,
        private: readBool(row.private),
        kind: "delivery",
      });
  };

  const record = async (job: Job<{ deliveryId: string }>, changes: Record<string, unknown>) => {
    const updated = await deps.store.db
      .updateTable("deliveries")
      .set({ attempts: job.attempts, ...changes })
      .where("id", "=", job.payload.deliveryId)
      .returning("incident_id")
      .executeTakeFirst();
    if (updated) await announceDelivery(updated.incident_id);
  };

  return {
    kind: DELIVER_JOB,
    retry: STANDARD_WEBHOOKS_RETRIES,
    async run(job) {
      const db = deps.store.db;
      const delivery = await db
        .selectFrom("deliveries")
        .selectAll()
        .where("id", "=", job.payload.deliveryId)
        .executeTakeFirst();
      if (!delivery || delivery.state === "delivered") return;
      const stored = await db
        .selectFrom("update_channels")
        .select(["rendering", "channel_type"])
        .where("update_id", "=", delivery.update_id)
        .where("channel_id", "=", delivery.channel_id)
        .executeTakeFirstOrThrow();
      const channel = deps.plans.current().plan.channels.find((c) => c.id === delivery.channel_id);
      if (!channel) throw new GiveUp(`The channel ${delivery.channel_id} is no longer in the plan.`);
      const adapter = adapterFor(channel.type);
      const { settings, problems } = await channelSettings(deps, channel, adapter);
      if (!settings) throw new Error(`${channel.name} cannot deliver: ${problems.join("; ")}`);

      const thread = await db
        .selectFrom("deliveries")
        .select(["provider_message_id", "thread_id"])
        .where("incident_id", "=", delivery.incident_id)
        .where("channel_id", "=", delivery.channel_id)
        .where("target_key", "=", delivery.target_key)
        .where("state", "=", "delivered")
        .where("provider_message_id", "is not", null)
        .orderBy("delivered_at")
        .executeTakeFirst();
      const target = await targetOf(deps, delivery.target_key, delivery.target_address);

      const outcome = await adapter.deliver(
        { fetch: deps.comms.fetch, now: () => deps.clock.now() },
        {
          deliveryId: delivery.id,
          attempt: job.attempts,
          rendering: readJson<Rendering>(stored.rendering),
          target,
          ...(thread?.provider_message_id
            ? {
                thread: {
                  providerMessageId: thread.provider_message_id,
                  threadId: thread.thread_id ?? undefined,
                },
              }
            : {}),
        },
        settings,
      );
      await record(job, {
        state: "delivered",
        delivered_at: deps.clock.now().toISOString(),
        last_error: null,
        next_attempt_at: null,
        provider_message_id: outcome.providerMessageId ?? null,
        thread_id: outcome.threadId ?? null,
      });
    },
    async onRetry(job, error, nextAt) {
      await record(job, { state: "failed", last_error: error, next_attempt_at: nextAt.toISOString() });
    },
    async onDead(job, error) {
      await record(job, { state: "dead", last_error: error, next_attempt_at: null });
    },
  };
}

/** Subscribers carry their own address, unsubscribe link and signing secret. */
async function targetOf(deps: DeliverDeps, key: string, address: string | null): Promise<Target> {
  if (key === "channel") return { key };
  const subscriber = await deps.store.db
    .selectFrom("subscribers")
    .select(["id", "address", "unsubscribe_token", "webhook_secret", "state"])
    .where("id", "=", key)
    .executeTakeFirst();
  if (!subscriber) return { key, ...(address ? { address } : {}) };
  if (subscriber.state !== "confirmed")
    throw new GiveUp("The subscriber unsubscribed before the update went out.");
  return {
    key,
    address: subscriber.address,
    unsubscribeUrl: `${deps.publicUrl.replace(/\/$/, "")}/unsubscribe?token=${subscriber.unsubscribe_token}`,
    ...(subscriber.webhook_secret ? { signingSecret: subscriber.webhook_secret } : {}),
  };
}

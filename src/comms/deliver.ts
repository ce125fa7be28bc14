import type { Ctx } from "../context.ts";
import type { Job } from "../jobs/queue.ts";
import { GiveUp, STANDARD_WEBHOOKS_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import type { Channel } from "../plan/schema.ts";
import type { Db } from "../store/open.ts";
import { readBool, readJson } from "../store/values.ts";
import { adapterFor } from "./adapters/index.ts";
import type { Rendering, Target } from "./adapters/types.ts";
import { channelSettings } from "./compose.ts";

export const DELIVER_JOB = "deliver";
const SETTINGS_CACHE_MS = 5_000;
const ANNOUNCE_EVERY_MS = 250;

type DeliverDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "events" | "publicUrl">;

/**
 * Sends one delivery: the stored rendering of its update for its channel, to
 * its target, through the channel's adapter. Idempotent: a delivery that went
 * out is not sent again, and the delivery id is the idempotency key the
 * providers see, so a crash between sending and recording costs at most one
 * duplicate that carries the same key.
 */
export function deliveryHandler(deps: DeliverDeps): JobHandler<{ deliveryId: string }> {
  // Deliveries are announced per incident at most every quarter second: a fan-out
  // to thousands of subscribers must not send thousands of events to each follower.
  const pending = new Set<string>();
  let _flush: NodeJS.Timeout | null = null;
  const announceSoon = (incidentId: string) => {
    pending.add(incidentId);
    _flush ??= setTimeout(() => {
      _flush = null;
      const ids = [...pending];
      pending.clear();
      void deps.store.db
        .selectFrom("incidents")
        .select(["id", "reference", "version", "private"])
        .where("id", "in", ids)
        .execute()
        .then((rows) => {
          for (const row of rows) {
            deps.events.publish({
              incidentId: row.id,
              reference: row.reference,
              version: row.version,
              private: readBool(row.private),
              kind: "delivery",
            });
          }
        })
        .catch(() => {});
    }, ANNOUNCE_EVERY_MS);
  };
  const incidentOf = new Map<string, string>();

  const record = (job: Job<{ deliveryId: string }>, changes: Record<string, unknown>) => async (tx: Db) => {
    await tx
      .updateTable("deliveries")
      .set({ attempts: job.attempts, ...changes })
      .where("id", "=", job.payload.deliveryId)
      .execute();
  };

  // Renderings never change once published; settings are re-read every few seconds.
  const renderings = new Map<string, Rendering>();
  const settingsCache = new Map<
    string,
    { until: number; value: Awaited<ReturnType<typeof channelSettings>> }
  >();
  const renderingOf = async (updateId: string, channelId: string): Promise<Rendering> => {
    const key = `${updateId}:${channelId}`;
    const hit = renderings.get(key);
    if (hit) return hit;
    const stored = await deps.store.db
      .selectFrom("update_channels")
      .select("rendering")
      .where("update_id", "=", updateId)
      .where("channel_id", "=", channelId)
      .executeTakeFirstOrThrow();
    const rendering = readJson<Rendering>(stored.rendering);
    if (renderings.size >= 200) renderings.delete(renderings.keys().next().value as string);
    renderings.set(key, rendering);
    return rendering;
  };
  const followUps = new Map<string, boolean>();
  const isFollowUp = async (updateId: string, incidentId: string, channelId: string): Promise<boolean> => {
    const key = `${updateId}:${channelId}`;
    const known = followUps.get(key);
    if (known !== undefined) return known;
    const earlier = await deps.store.db
      .selectFrom("update_channels")
      .innerJoin("status_updates", "status_updates.id", "update_channels.update_id")
      .select("update_channels.update_id")
      .where("status_updates.incident_id", "=", incidentId)
      .where("update_channels.channel_id", "=", channelId)
      .where("update_channels.update_id", "!=", updateId)
      .executeTakeFirst();
    if (followUps.size >= 200) followUps.delete(followUps.keys().next().value as string);
    followUps.set(key, earlier !== undefined);
    return earlier !== undefined;
  };
  const settingsOf = async (channel: Channel, adapter: ReturnType<typeof adapterFor>) => {
    const key = `${deps.plans.current().version}:${channel.id}`;
    const now = Date.now();
    const hit = settingsCache.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = await channelSettings(deps, channel, adapter);
    settingsCache.set(key, { until: now + SETTINGS_CACHE_MS, value });
    return value;
  };

  return {
    kind: DELIVER_JOB,
    retry: STANDARD_WEBHOOKS_RETRIES,
    async run(job) {
      const db = deps.store.db;
      // The delivery and, for a subscriber, the subscriber: one read.
      const delivery = await db
        .selectFrom("deliveries")
        .leftJoin("subscribers", "subscribers.id", "deliveries.target_key")
        .selectAll("deliveries")
        .select([
          "subscribers.address as subscriber_address",
          "subscribers.unsubscribe_token",
          "subscribers.webhook_secret",
          "subscribers.state as subscriber_state",
        ])
        .where("deliveries.id", "=", job.payload.deliveryId)
        .executeTakeFirst();
      if (!delivery || delivery.state === "delivered") return;
      incidentOf.set(job.id, delivery.incident_id);
      const channel = deps.plans.current().plan.channels.find((c) => c.id === delivery.channel_id);
      if (!channel) throw new GiveUp(`The channel ${delivery.channel_id} is no longer in the plan.`);
      const adapter = adapterFor(channel.type);
      const { settings, problems } = await settingsOf(channel, adapter);
      if (!settings) throw new Error(`${channel.name} cannot deliver: ${problems.join("; ")}`);

      // Only an incident that already reached this channel has a thread to follow.
      const thread = (await isFollowUp(delivery.update_id, delivery.incident_id, delivery.channel_id))
        ? await db
            .selectFrom("deliveries")
            .select(["provider_message_id", "thread_id"])
            .where("incident_id", "=", delivery.incident_id)
            .where("channel_id", "=", delivery.channel_id)
            .where("target_key", "=", delivery.target_key)
            .where("state", "=", "delivered")
            .where("provider_message_id", "is not", null)
            .orderBy("delivered_at")
            .executeTakeFirst()
        : undefined;
      const target = targetOf(deps.publicUrl, delivery);

      const outcome = await adapter.deliver(
        { fetch: deps.comms.fetch, now: () => deps.clock.now() },
        {
          deliveryId: delivery.id,
          attempt: job.attempts,
          rendering: await renderingOf(delivery.update_id, delivery.channel_id),
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
      return record(job, {
        state: "delivered",
        delivered_at: deps.clock.now().toISOString(),
        last_error: null,
        next_attempt_at: null,
        provider_message_id: outcome.providerMessageId ?? null,
        thread_id: outcome.threadId ?? null,
      });
    },
    async onRetry(job, error, nextAt, tx) {
      await record(job, { state: "failed", last_error: error, next_attempt_at: nextAt.toISOString() })(tx);
    },
    async onDead(job, error, tx) {
      await record(job, { state: "dead", last_error: error, next_attempt_at: null })(tx);
    },
    afterOutcome(job) {
      const incidentId = incidentOf.get(job.id);
      incidentOf.delete(job.id);
      if (incidentId) announceSoon(incidentId);
    },
  };
}

/** Subscribers carry their own address, unsubscribe link and signing secret. */
function targetOf(
  publicUrl: string,
  row: {
    target_key: string;
    target_address: string | null;
    subscriber_address: string | null;
    unsubscribe_token: string | null;
    webhook_secret: string | null;
    subscriber_state: string | null;
  },
): Target {
  const key = row.target_key;
  if (key === "channel") return { key };
  if (row.subscriber_state === null)
    return { key, ...(row.target_address ? { address: row.target_address } : {}) };
  if (row.subscriber_state !== "confirmed")
    throw new GiveUp("The subscriber unsubscribed before the update went out.");
  return {
    key,
    address: row.subscriber_address ?? row.target_address ?? "",
    unsubscribeUrl: `${publicUrl.replace(/\/$/, "")}/unsubscribe?token=${row.unsubscribe_token}`,
    ...(row.webhook_secret ? { signingSecret: row.webhook_secret } : {}),
  };
}

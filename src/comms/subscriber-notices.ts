import type { Ctx } from "../context.ts";
import type { Job } from "../jobs/queue.ts";
import type { Db } from "../store/open.ts";
import type { SubscribersTable } from "../store/schema.ts";
import { readJson } from "../store/values.ts";
import { adapterFor } from "./adapters/index.ts";
import type { Rendering } from "./adapters/types.ts";
import { channelSettings } from "./compose.ts";
import { utf8Length } from "./measure.ts";
import { subscriberEmailChannel } from "./subscribers.ts";

/**
 * Notices to the status page's subscribers outside an incident's status
 * updates (a maintenance step, a published postmortem): who hears of it, and
 * sending one notice to one subscriber, by email through the plan's subscriber
 * email channel or as a Standard Webhooks event signed with the subscriber's
 * own secret. Each caller queues one durable job per subscriber.
 */

/**
 * Confirmed subscribers who hear about something touching `components`: every
 * webhook subscriber, email subscribers only while the plan has a subscriber
 * email channel, and of those who chose components, only the ones who chose
 * one of these.
 */
export async function interestedSubscribers(
  ctx: Pick<Ctx, "plans">,
  tx: Db,
  components: ReadonlySet<string>,
): Promise<string[]> {
  const mailing = subscriberEmailChannel(ctx) !== undefined;
  const subscribers = await tx
    .selectFrom("subscribers")
    .select(["id", "kind", "components"])
    .where("state", "=", "confirmed")
    .execute();
  return subscribers
    .filter((row) => row.kind === "webhook" || mailing)
    .filter((row) => {
      const chosen = row.components === null ? null : readJson<string[] | null>(row.components);
      return !chosen || chosen.length === 0 || chosen.some((id) => components.has(id));
    })
    .map((row) => row.id);
}

/** The subscriber, when it is still confirmed: a job queued before an unsubscribe sends nothing. */
export async function confirmedSubscriber(db: Db, id: string): Promise<SubscribersTable | undefined> {
  const subscriber = await db.selectFrom("subscribers").selectAll().where("id", "=", id).executeTakeFirst();
  return subscriber?.state === "confirmed" ? subscriber : undefined;
}

export interface Notice {
  /** The email's rendering (subject, text, html), made only for email subscribers. */
  email(settings: Record<string, unknown>): Rendering;
  /** The webhook event: `{type, id, timestamp, data}`. */
  webhook(): { payload: Record<string, unknown>; shortened?: boolean };
}

/** Sends one notice to one subscriber; the job's id is the idempotency key (Message-ID, webhook-id). */
export async function sendNotice(
  deps: Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">,
  job: Pick<Job, "id" | "attempts">,
  subscriber: SubscribersTable,
  notice: Notice,
): Promise<void> {
  const adapterContext = { fetch: deps.comms.fetch, now: () => deps.clock.now() };
  if (subscriber.kind === "email") {
    const channel = subscriberEmailChannel(deps);
    if (!channel) return;
    const adapter = adapterFor("email");
    const { settings, problems } = await channelSettings(deps, channel, adapter);
    if (!settings) throw new Error(`Cannot email through ${channel.name}: ${problems.join("; ")}`);
    const base = deps.publicUrl.replace(/\/$/, "");
    await adapter.deliver(
      adapterContext,
      {
        deliveryId: job.id,
        attempt: job.attempts,
        rendering: notice.email(settings),
        target: {
          key: subscriber.id,
          address: subscriber.address,
          unsubscribeUrl: `${base}/unsubscribe?token=${subscriber.unsubscribe_token}`,
        },
      },
      settings,
    );
    return;
  }
  const { payload, shortened = false } = notice.webhook();
  const text = JSON.stringify(payload);
  const length = utf8Length(text);
  await adapterFor("webhook").deliver(
    adapterContext,
    {
      deliveryId: job.id,
      attempt: job.attempts,
      rendering: {
        text,
        payload,
        length,
        fullLength: length,
        limit: { max: 20_000, unit: "bytes" },
        shortened,
      },
      target: {
        key: subscriber.id,
        address: subscriber.address,
        ...(subscriber.webhook_secret ? { signingSecret: subscriber.webhook_secret } : {}),
      },
    },
    { subscribers: true },
  );
}

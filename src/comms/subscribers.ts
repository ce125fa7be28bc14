import { z } from "zod";
import { newSecret, sha256 } from "../auth/secrets.ts";
import type { Ctx } from "../context.ts";
import { enqueue } from "../jobs/queue.ts";
import { SHORT_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { AppError, invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { createUrlGuard } from "../shared/ssrf.ts";
import type { Db } from "../store/open.ts";
import type { SubscribersTable } from "../store/schema.ts";
import { readJson, writeJson } from "../store/values.ts";
import { adapterFor } from "./adapters/index.ts";
import { channelSettings } from "./compose.ts";
import { newWebhookSecret } from "./standard-webhooks.ts";

/**
 * People and systems that follow the status page: email subscribers confirm
 * by a link (double opt-in) and leave with one click; webhook subscribers get
 * Standard Webhooks-signed events with a secret of their own. Either kind can
 * follow every component or a chosen few.
 */
export const SubscribeInput = z.union([
  z.strictObject({
    email: z.email().max(254),
    components: z.array(z.string().min(1).max(100)).max(100).optional(),
  }),
  z.strictObject({
    webhookUrl: z.url().max(2_000),
    components: z.array(z.string().min(1).max(100)).max(100).optional(),
  }),
]);
export type SubscribeInput = z.output<typeof SubscribeInput>;

export const Subscriber = z
  .object({
    id: z.string(),
    kind: z.enum(["email", "webhook"]),
    address: z.string(),
    components: z.array(z.string()).nullable(),
    state: z.enum(["pending", "confirmed", "unsubscribed"]),
    createdAt: z.string(),
    confirmedAt: z.string().nullable(),
  })
  .meta({ id: "Subscriber" });
export type Subscriber = z.infer<typeof Subscriber>;

export const CONFIRM_JOB = "confirmSubscription";

function toSubscriber(row: SubscribersTable): Subscriber {
  return {
    id: row.id,
    kind: row.kind,
    address: row.address,
    components: row.components === null ? null : readJson<string[] | null>(row.components),
    state: row.state,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  };
}

function checkComponents(ctx: Ctx, components: string[] | undefined): void {
  const known = new Set(ctx.plans.current().plan.components.map((c) => c.id));
  const issues = (components ?? []).flatMap((id, i) =>
    known.has(id)
      ? []
      : [
          {
            path: `components.${i}`,
            message: `"${id}" is not a component of this status page`,
            hint: `use one of: ${[...known].join(", ")}`,
          },
        ],
  );
  if (issues.length) throw invalid("The subscription names unknown components.", issues);
}

function checkWebhookUrl(url: string): void {
  try {
    // Its form here; every address it resolves to is checked again when a delivery connects.
    createUrlGuard([]).checkUrl(url);
  } catch (error) {
    throw invalid("That webhook URL cannot be used.", [
      { path: "webhookUrl", message: (error as Error).message, hint: "give a public https:// URL" },
    ]);
  }
}

/**
 * Subscribes someone. `confirmed: true` (admins adding a subscriber) skips the
 * opt-in; the public form always asks email subscribers to confirm. Returns the
 * webhook signing secret once, for webhook subscribers.
 */
export async function subscribe(
  ctx: Ctx,
  input: SubscribeInput,
  options: { confirmed: boolean },
): Promise<{ subscriber: Subscriber; signingSecret?: string }> {
  checkComponents(ctx, input.components);
  const now = ctx.clock.now().toISOString();
  const kind = "email" in input ? "email" : "webhook";
  const address = "email" in input ? input.email.toLowerCase() : input.webhookUrl;
  if (kind === "webhook") checkWebhookUrl(address);
  if (kind === "email" && !options.confirmed && !subscriberEmailChannel(ctx)) {
    throw new AppError("invalid", "This status page does not offer email subscriptions.", [
      {
        path: "email",
        message: "no subscriber email channel in the plan",
        hint: "subscribe with a webhook, or follow the RSS feed",
      },
    ]);
  }
  const confirmed = options.confirmed || kind === "webhook";
  const confirmToken = confirmed ? null : newSecret("");
  const secret = kind === "webhook" ? newWebhookSecret() : null;

  const row = await ctx.store.transaction(async (tx) => {
    const existing = await tx
      .selectFrom("subscribers")
      .selectAll()
      .where("kind", "=", kind)
      .where("address", "=", address)
      .executeTakeFirst();
    const components = input.components?.length ? writeJson(input.components) : null;
    let saved: SubscribersTable;
    if (existing) {
      const stillConfirmed = existing.state === "confirmed";
      const changes = {
        components,
        state: stillConfirmed || confirmed ? ("confirmed" as const) : ("pending" as const),
        confirm_token_hash: stillConfirmed || confirmed ? null : sha256(confirmToken!),
        confirmed_at: stillConfirmed ? existing.confirmed_at : confirmed ? now : null,
        unsubscribed_at: null,
        ...(secret ? { webhook_secret: secret } : {}),
      };
      await tx.updateTable("subscribers").set(changes).where("id", "=", existing.id).execute();
      saved = { ...existing, ...changes };
    } else {
      saved = {
        id: newId(),
        kind,
        address,
        components,
        state: confirmed ? "confirmed" : "pending",
        confirm_token_hash: confirmToken ? sha256(confirmToken) : null,
        unsubscribe_token: newSecret(""),
        webhook_secret: secret,
        created_at: now,
        confirmed_at: confirmed ? now : null,
        unsubscribed_at: null,
      };
      await tx.insertInto("subscribers").values(saved).execute();
    }
    if (saved.state === "pending" && confirmToken) {
      await enqueue(
        tx,
        [{ kind: CONFIRM_JOB, payload: { subscriberId: saved.id, token: confirmToken }, runAt: now }],
        now,
      );
    }
    return saved;
  });
  if (row.state === "pending") ctx.comms.poke();
  return secret
    ? { subscriber: toSubscriber(row), signingSecret: secret }
    : { subscriber: toSubscriber(row) };
}

export async function confirmSubscription(ctx: Ctx, token: string): Promise<Subscriber> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.store.db
    .selectFrom("subscribers")
    .selectAll()
    .where("confirm_token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row) throw notFound("A subscription waiting for this link");
  const changes = { state: "confirmed" as const, confirm_token_hash: null, confirmed_at: now };
  await ctx.store.transaction((tx) =>
    tx.updateTable("subscribers").set(changes).where("id", "=", row.id).execute(),
  );
  return toSubscriber({ ...row, ...changes });
}

export async function unsubscribe(ctx: Ctx, token: string): Promise<Subscriber> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.store.db
    .selectFrom("subscribers")
    .selectAll()
    .where("unsubscribe_token", "=", token)
    .executeTakeFirst();
  if (!row) throw notFound("A subscription for this link");
  const changes = {
    state: "unsubscribed" as const,
    unsubscribed_at: row.unsubscribed_at ?? now,
    confirm_token_hash: null,
  };
  await ctx.store.transaction((tx) =>
    tx.updateTable("subscribers").set(changes).where("id", "=", row.id).execute(),
  );
  return toSubscriber({ ...row, ...changes });
}

export async function listSubscribers(
  db: Db,
  query: { kind?: "email" | "webhook"; state?: SubscribersTable["state"] },
): Promise<Subscriber[]> {
  let q = db.selectFrom("subscribers").selectAll().orderBy("created_at").orderBy("id");
  if (query.kind) q = q.where("kind", "=", query.kind);
  if (query.state) q = q.where("state", "=", query.state);
  return (await q.execute()).map(toSubscriber);
}

export async function removeSubscriber(db: Db, id: string): Promise<void> {
  const result = await db.deleteFrom("subscribers").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound(`Subscriber ${id}`);
}

/** The plan's channel that emails subscribers: an external email channel without its own `to` list. */
/** The external email channel without a fixed `to` list: it mails the subscribers. */
export function subscriberEmailChannel(ctx: Pick<Ctx, "plans">) {
  return ctx.plans
    .current()
    .plan.channels.find(
      (c) => c.type === "email" && c.when.audience === "external" && !Array.isArray(c.settings.to),
    );
}

/** Emails the confirmation link through the subscriber email channel's server. */
export function confirmationHandler(
  deps: Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">,
): JobHandler<{ subscriberId: string; token: string }> {
  return {
    kind: CONFIRM_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const row = await deps.store.db
        .selectFrom("subscribers")
        .selectAll()
        .where("id", "=", job.payload.subscriberId)
        .executeTakeFirst();
      if (row?.state !== "pending") return;
      const channel = subscriberEmailChannel(deps);
      if (!channel)
        throw new Error("The plan has no subscriber email channel to send confirmations through.");
      const adapter = adapterFor("email");
      const { settings, problems } = await channelSettings(deps, channel, adapter);
      if (!settings)
        throw new Error(`Cannot send the confirmation through ${channel.name}: ${problems.join("; ")}`);
      const { plan } = deps.plans.current();
      const base = deps.publicUrl.replace(/\/$/, "");
      const link = `${base}/subscribe/confirm?token=${job.payload.token}`;
      const rendering = adapter.render(
        {
          phase: "investigating",
          subject: `Confirm your subscription to ${plan.organization.name} status updates`,
          body: `Someone (hopefully you) asked to receive ${plan.organization.name}'s status updates at this address.\n\nConfirm with this link: ${link}\n\nIf it was not you, ignore this email: nothing will be sent.`,
          incident: {
            id: "",
            reference: "",
            title: "",
            url: base,
            status: "",
            severityName: "",
            components: [],
            drill: false,
          },
          organizationName: plan.organization.name,
          updateId: job.id,
        },
        settings,
      );
      await adapter.deliver(
        { fetch: deps.comms.fetch, now: () => deps.clock.now() },
        {
          deliveryId: job.id,
          attempt: job.attempts,
          rendering,
          target: { key: row.id, address: row.address },
        },
        settings,
      );
    },
  };
}

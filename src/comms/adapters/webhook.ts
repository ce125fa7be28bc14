import { z } from "zod";
import { GiveUp } from "../../jobs/retry.ts";
import { codePointCount, shorten, utf8Length } from "../measure.ts";
import { PLACEHOLDER } from "../settings.ts";
import { signWebhook, webhookSecretProblem } from "../standard-webhooks.ts";
import { discard, fitBody, HttpUrl, postJson } from "./chat-common.ts";
import type { ChannelAdapter, Limit, MessageFacts } from "./types.ts";

/**
 * Generic outgoing webhook, signed per Standard Webhooks: a JSON event
 * `{type, id, timestamp, data}` with `webhook-id` (the delivery's id, the same
 * on every retry, so receivers drop duplicates), `webhook-timestamp` and
 * `webhook-signature` (one `v1,` signature per secret while keys rotate).
 */

/** Plan validation sees a placeholder instead of the secret; the real one is checked before sending. */
const SigningSecret = z.string().superRefine((secret, ctx) => {
  const problem = secret === PLACEHOLDER ? null : webhookSecretProblem(secret);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const WebhookSettings = z
  .strictObject({
    /** The channel's own receiver; optional when the channel serves webhook subscribers only. */
    url: HttpUrl.optional(),
    /** Two during a rotation: receivers accept either while they switch. */
    signing_secret: z.union([SigningSecret, z.array(SigningSecret).min(1).max(5)]).optional(),
    /** Also deliver to every confirmed webhook subscriber, each signed with its own secret. */
    subscribers: z.boolean().default(false),
    event_name: z
      .string()
      .regex(
        /^[a-z][a-z0-9_.-]{0,99}$/,
        "use lowercase letters, digits, '.', '_' or '-', such as incident.update",
      )
      .optional(),
  })
  .refine((s) => s.url !== undefined || s.subscribers, {
    message: "give the receiver's `url`, or `subscribers: true` to send to webhook subscribers",
  })
  .refine((s) => s.url === undefined || s.signing_secret !== undefined, {
    message: "a `url` needs a `signing_secret` (whsec_…) so the receiver can check it came from you",
    path: ["signing_secret"],
  });
export type WebhookSettings = z.infer<typeof WebhookSettings>;

/** Standard Webhooks advises payloads under ~20 KB. */
const LIMIT: Limit = { max: 20_000, unit: "bytes" };
/** Beyond this the components list is cut (and the count of the rest given); the event page has them all. */
const COMPONENTS_BYTES = 6_000;
const SUBJECT_MAX = 500;

/**
 * UUIDv7 ids begin with their creation time in milliseconds; an update's id
 * therefore says when it was published, which keeps rendering free of a clock.
 */
function uuidV7Time(id: string): string | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return new Date(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toISOString();
}

function componentsWithin(facts: MessageFacts, bytes: number) {
  const all = facts.incident.components.map(({ name, impact }) => ({ name, impact }));
  let kept = all.length;
  while (kept > 0 && utf8Length(JSON.stringify(all.slice(0, kept))) > bytes) kept -= 1;
  return {
    components: all.slice(0, kept),
    ...(kept < all.length ? { moreComponents: all.length - kept } : {}),
  };
}

type Components = ReturnType<typeof componentsWithin>;

/** The event; `bounded` (only for an event over the limit) replaces the full subject and components. */
function event(facts: MessageFacts, eventName: string, body: string, bounded?: Components) {
  const timestamp = uuidV7Time(facts.updateId);
  const { incident } = facts;
  return {
    type: eventName,
    id: facts.updateId,
    ...(timestamp ? { timestamp } : {}),
    data: {
      incident: {
        id: incident.id,
        reference: incident.reference,
        title: incident.title,
        url: incident.url,
        status: incident.status,
        severity: incident.severityName,
        drill: incident.drill,
        ...(bounded ?? { components: incident.components.map(({ name, impact }) => ({ name, impact })) }),
      },
      update: {
        id: facts.updateId,
        phase: facts.phase,
        subject: bounded ? shorten(facts.subject, SUBJECT_MAX, codePointCount) : facts.subject,
        body,
      },
      organization: { name: facts.organizationName },
    },
  };
}

const sizeOf = (payload: unknown) => utf8Length(JSON.stringify(payload));

export const webhookAdapter: ChannelAdapter<WebhookSettings> = {
  type: "webhook",
  settings: WebhookSettings,

  render(facts, settings) {
    const eventName = settings.event_name ?? "incident.update";
    const full = event(facts, eventName, facts.body);
    const fullLength = sizeOf(full);
    let payload = full;
    if (fullLength > LIMIT.max) {
      // Only an event over the limit loses anything: the subject and components are bounded, then the body is cut.
      const bounded = componentsWithin(facts, COMPONENTS_BYTES);
      const fitted = fitBody(facts.body, facts.incident.url, LIMIT.max, (body) =>
        sizeOf(event(facts, eventName, body, bounded)),
      );
      payload = event(facts, eventName, fitted.body, bounded);
    }
    const text = JSON.stringify(payload);
    return {
      text,
      payload,
      length: utf8Length(text),
      fullLength,
      limit: LIMIT,
      shortened: fullLength > LIMIT.max,
    };
  },

  async deliver(ctx, attempt, settings) {
    // A subscriber verifies with the secret it was given when it subscribed.
    const secrets = attempt.target.signingSecret
      ? [attempt.target.signingSecret]
      : Array.isArray(settings.signing_secret)
        ? settings.signing_secret
        : settings.signing_secret
          ? [settings.signing_secret]
          : [];
    if (secrets.length === 0)
      throw new GiveUp("No signing secret for this webhook: set the channel's signing_secret.");
    const body = JSON.stringify(attempt.rendering.payload);
    const id = attempt.deliveryId;
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const response = await postJson(ctx, {
      // A subscriber's delivery goes to the subscriber's own URL.
      url: attempt.target.address ?? settings.url ?? "",
      body,
      provider: "Webhook receiver",
      headers: {
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signWebhook({ id, timestamp, body, secrets }),
      },
    });
    await discard(response);
    return {};
  },
};

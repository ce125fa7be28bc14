import type { z } from "zod";
import type { ChannelType, Phase } from "../../plan/schema.ts";

/**
 * The seam between Runsheet's comms core and each provider. The core decides
 * which channels apply, fills the templates and keeps the outbox; an adapter
 * only turns the filled-in message into its provider's request (render) and
 * sends it (deliver). Rendering is pure, so the preview shows exactly the
 * bytes that delivery will send.
 */

/** The message for one channel, templates already filled in. */
export interface MessageFacts {
  phase: Phase;
  /** Subject line (email, service desk tickets, chat headers). */
  subject: string;
  /** The text of the update, as the author approved it. */
  body: string;
  incident: {
    id: string;
    reference: string;
    title: string;
    /** The incident's public page. */
    url: string;
    status: string;
    severityName: string;
    components: Array<{ name: string; impact: string }>;
    drill: boolean;
  };
  organizationName: string;
  updateId: string;
}

export interface Limit {
  max: number;
  unit: "characters" | "graphemes" | "weighted characters" | "bytes";
}

/**
 * A message as one channel will send it. Renderers always fit the provider's
 * limit (a property test holds them to it): a text that is too long is
 * shortened, ending with "…" and the incident's link, and `shortened` says so.
 * The preview shows exactly this, and publishing a shortened message needs the
 * author's explicit consent, so nothing is cut that the author did not see.
 */
export interface Rendering {
  /** What a person reads, shown in the preview: the text as it will be sent. */
  text: string;
  subject?: string;
  html?: string;
  /** The provider's request body as it will be sent (JSON-serialisable). */
  payload: unknown;
  /** The measure the provider limits, of what will be sent, in `limit.unit`; never above `limit.max`. */
  length: number;
  /** The same measure of the full text before any shortening. */
  fullLength: number;
  limit: Limit;
  shortened: boolean;
}

/** Where one delivery goes: the channel itself, or one subscriber. */
export interface Target {
  /** Stable within the channel: "channel", or a subscriber's id. */
  key: string;
  /** Email address or URL, when the target has its own. */
  address?: string;
  /** For subscribers: their one-click unsubscribe link (email List-Unsubscribe). */
  unsubscribeUrl?: string;
  /** For webhook subscribers: their own signing secret. */
  signingSecret?: string;
}

export interface DeliveryAttempt {
  /** Stable across retries: the idempotency key sent where the provider takes one. */
  deliveryId: string;
  attempt: number;
  rendering: Rendering;
  target: Target;
  /**
   * The first delivered message of this incident to the same channel and target,
   * to thread or comment on (email In-Reply-To, Mastodon reply, Zendesk ticket).
   */
  thread?: { providerMessageId: string; threadId?: string | undefined };
}

export interface DeliveryOutcome {
  /** The provider's id of what was created, kept to thread later updates. */
  providerMessageId?: string;
  /** For providers that thread by something else (a ticket id, a root post's cid). */
  threadId?: string;
}

export interface AdapterContext {
  /** fetch through the request-forgery guard; redirects are not followed. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  now(): Date;
}

export interface ChannelAdapter<S = Record<string, unknown>> {
  type: ChannelType;
  /** The channel's `settings` from the plan, secrets already read from the environment. */
  settings: z.ZodType<S>;
  render(facts: MessageFacts, settings: S): Rendering;
  /**
   * Sends one message. Throws RetryLater (429, Retry-After), GiveUp (the
   * provider refused it for good) or any other error (retried on schedule).
   */
  deliver(ctx: AdapterContext, attempt: DeliveryAttempt, settings: S): Promise<DeliveryOutcome>;
}

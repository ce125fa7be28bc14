import { z } from "zod";
import { UserRef } from "../incidents/model.ts";
import { Phase } from "../plan/schema.ts";

/** Status updates and their deliveries, as the API speaks them. */

const Body = z.string().min(1).max(20_000, "keep an update under 20,000 characters");
const ChannelId = z.string().min(1).max(100);

export const UpdatePreviewInput = z.strictObject({
  phase: Phase,
  /** Start from this text instead of the plan's template; variables are filled in either way. */
  body: Body.optional(),
  subject: z.string().min(1).max(500).optional(),
  /** Text written by hand for particular channels (a shorter one for X). */
  channelBodies: z.record(ChannelId, Body).optional(),
});
export type UpdatePreviewInput = z.output<typeof UpdatePreviewInput>;

export const PublishUpdateInput = UpdatePreviewInput.extend({
  /** The channels to publish to, among those that apply now. None: the update is only recorded. */
  channels: z.array(ChannelId).max(50).default([]),
  /** Channels whose message the author saw shortened in the preview and accepts so. */
  confirmShortened: z.array(ChannelId).max(50).default([]),
  /** Defaults to external when any chosen channel is external. */
  audience: z.enum(["internal", "external"]).optional(),
});
export type PublishUpdateInput = z.output<typeof PublishUpdateInput>;

export const DELIVERY_STATES = ["queued", "sending", "delivered", "failed", "dead"] as const;

export const Delivery = z
  .object({
    id: z.string(),
    channelId: z.string(),
    target: z.string().meta({ description: '"channel", or the subscriber or address it goes to' }),
    state: z.enum(DELIVERY_STATES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    providerMessageId: z.string().nullable(),
  })
  .meta({ id: "Delivery" });
export type Delivery = z.infer<typeof Delivery>;

export const StatusUpdate = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    phase: Phase,
    subject: z.string().nullable(),
    body: z.string(),
    audience: z.enum(["internal", "external"]),
    public: z.boolean().meta({ description: "Published to the status page" }),
    author: UserRef.nullable(),
    createdAt: z.string(),
    dueAt: z.string().nullable().meta({ description: "When this update was due by the severity's cadence" }),
    channels: z.array(z.string()),
    deliveries: z.array(Delivery),
  })
  .meta({ id: "StatusUpdate" });
export type StatusUpdate = z.infer<typeof StatusUpdate>;

export const Rendering = z
  .object({
    text: z.string(),
    subject: z.string().optional(),
    html: z.string().optional(),
    length: z.number(),
    fullLength: z.number(),
    limit: z.object({ max: z.number(), unit: z.string() }),
    shortened: z.boolean(),
  })
  .meta({ id: "Rendering" });

export const ChannelPreview = z
  .object({
    channelId: z.string(),
    name: z.string(),
    type: z.string(),
    audience: z.enum(["internal", "external"]),
    applies: z.boolean(),
    reasons: z.array(z.string()),
    mayPublish: z.boolean(),
    who: z.string(),
    how: z.string().nullable(),
    more: z.string().nullable(),
    rendering: Rendering,
    /** Problems that would stop delivery (a missing credential). */
    problems: z.array(z.string()),
  })
  .meta({ id: "ChannelPreview" });
export type ChannelPreview = z.infer<typeof ChannelPreview>;

export const UpdatePreview = z
  .object({
    phase: Phase,
    subject: z.string(),
    body: z.string(),
    variables: z.record(z.string(), z.string()),
    channels: z.array(ChannelPreview),
  })
  .meta({ id: "UpdatePreview" });

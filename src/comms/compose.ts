import type { Ctx } from "../context.ts";
import type { Incident } from "../incidents/model.ts";
import type { Channel } from "../plan/schema.ts";
import { adapterFor } from "./adapters/index.ts";
import type { ChannelAdapter, Rendering } from "./adapters/types.ts";
import { channelFacts, draftUpdate, type UpdateDraft } from "./draft.ts";
import type { ChannelPreview, UpdatePreviewInput } from "./model.ts";
import { channelPolicy } from "./policy.ts";
import { channelSecrets } from "./secrets.ts";
import { placeholderSettings, resolveSettings } from "./settings.ts";

/**
 * The update as each channel would send it, with the plan's rules applied:
 * what the composer previews and what publishing checks and stores.
 */
export interface ChannelMessage {
  channel: Channel;
  adapter: ChannelAdapter<Record<string, unknown>>;
  preview: ChannelPreview;
  rendering: Rendering;
}

/** The channel's settings ready for its adapter, or the problems that keep it from delivering. */
export async function channelSettings(
  ctx: Pick<Ctx, "store" | "comms">,
  channel: Channel,
  adapter: ChannelAdapter<Record<string, unknown>>,
): Promise<{ settings: Record<string, unknown> | null; problems: string[] }> {
  const stored = await channelSecrets(ctx.store.db, ctx.comms.secrets, channel.id);
  const { settings, missing } = resolveSettings(channel, ctx.comms.env, stored);
  const problems = missing.map((m) => `set the ${m}`);
  const parsed = adapter.settings.safeParse(settings);
  if (!parsed.success && missing.length === 0) {
    problems.push(...parsed.error.issues.map((i) => `settings.${i.path.join(".")}: ${i.message}`));
  }
  return { settings: problems.length === 0 && parsed.success ? parsed.data : null, problems };
}

export async function composeChannels(
  ctx: Ctx,
  incident: Incident,
  input: UpdatePreviewInput,
  updateId: string,
): Promise<{ draft: UpdateDraft; messages: ChannelMessage[] }> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const draft = draftUpdate(plan, incident, input, ctx.publicUrl, now);
  const messages: ChannelMessage[] = [];
  for (const channel of plan.channels) {
    const policy = channelPolicy(plan, channel, incident, ctx.actor, now);
    const adapter = adapterFor(channel.type);
    const resolved = await channelSettings(ctx, channel, adapter);
    const problems = resolved.problems;
    // Without real settings (a missing secret) the preview still shows the message.
    const settings = resolved.settings ?? adapter.settings.safeParse(placeholderSettings(channel)).data ?? {};
    const facts = channelFacts(plan, channel, incident, draft, input.channelBodies?.[channel.id], updateId);
    const rendering = adapter.render(facts, settings);
    const shown = rendering ?? {
      text: "",
      payload: null,
      length: 0,
      fullLength: 0,
      limit: { max: 0, unit: "characters" as const },
      shortened: false,
    };
    const { payload: _payload, ...visible } = shown;
    messages.push({ channel, adapter, rendering, preview: { ...policy, rendering: visible, problems } });
  }
  return { draft, messages };
}

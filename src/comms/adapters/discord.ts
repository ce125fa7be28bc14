import { z } from "zod";
import { shorten } from "../measure.ts";
import {
  answerJson,
  chatLength,
  componentsText,
  drillPrefix,
  fitBody,
  HttpUrl,
  headline,
  phaseLabel,
  postJson,
  severityText,
  withQuery,
} from "./chat-common.ts";
import type { ChannelAdapter, Limit, MessageFacts } from "./types.ts";

/**
 * Discord webhook (Server Settings → Integrations → Webhooks): the update as
 * the message's content, and an embed card with the incident's title, link,
 * severity and components, coloured by phase. `?wait=true` makes Discord
 * answer with the created message, whose id is kept.
 */

export const DiscordSettings = z.strictObject({
  webhook_url: HttpUrl,
  /** Discord refuses webhook names over 80 characters or containing "discord" or "clyde". */
  username: z
    .string()
    .min(1)
    .max(80)
    .refine((name) => !/discord|clyde/i.test(name), 'Discord refuses names containing "discord" or "clyde"')
    .optional(),
  avatar_url: HttpUrl.optional(),
});
export type DiscordSettings = z.infer<typeof DiscordSettings>;

/** Discord's documented limits for a message's content and an embed's parts. */
export const DISCORD_LIMITS = {
  content: 2_000,
  embeds: 10,
  embedTotal: 6_000,
  title: 256,
  description: 4_096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1_024,
  footer: 2_048,
} as const;

const LIMIT: Limit = { max: DISCORD_LIMITS.content, unit: "characters" };

/** Red while the cause is unknown, amber once found, blue while watching, green when resolved. */
const PHASE_COLORS: Record<MessageFacts["phase"], number> = {
  investigating: 0xe01e5a,
  identified: 0xecb22e,
  monitoring: 0x36c5f0,
  resolved: 0x2eb67d,
};
const DRILL_COLOR = 0x99aab5;

/** Every piece stays under its own limit and together under 6,000 (256 + 2,048 + 2 × 256 + 256). */
function embed(facts: MessageFacts) {
  const cap = (text: string, max: number) => shorten(text, max, chatLength);
  const components = componentsText(facts, 2_048, "\n");
  return {
    title: cap(headline(facts), DISCORD_LIMITS.title),
    url: facts.incident.url,
    ...(components ? { description: components } : {}),
    color: facts.incident.drill ? DRILL_COLOR : PHASE_COLORS[facts.phase],
    fields: [
      { name: "Severity", value: severityText(facts, 256), inline: true },
      { name: "Phase", value: phaseLabel(facts.phase), inline: true },
    ],
    ...(facts.organizationName.trim() ? { footer: { text: cap(facts.organizationName, 256) } } : {}),
  };
}

const DiscordMessage = z.object({ id: z.string().min(1) });

export const discordAdapter: ChannelAdapter<DiscordSettings> = {
  type: "discord",
  settings: DiscordSettings,

  render(facts, settings) {
    // `<…>` keeps Discord from adding a second preview card for the link the embed already shows.
    const link = `<${facts.incident.url}>`;
    const contentOf = (body: string) => `${drillPrefix(facts)}${body}`.trim();
    const fitted = fitBody(facts.body, link, LIMIT.max, (body) => chatLength(contentOf(body)));
    const content = contentOf(fitted.body);
    return {
      text: content,
      payload: {
        ...(content ? { content } : {}),
        ...(settings.username ? { username: settings.username } : {}),
        ...(settings.avatar_url ? { avatar_url: settings.avatar_url } : {}),
        embeds: [embed(facts)],
        // Text written for an update must never ping @everyone, @here, a role or a person.
        allowed_mentions: { parse: [] },
      },
      length: fitted.length,
      fullLength: fitted.fullLength,
      limit: LIMIT,
      shortened: fitted.shortened,
    };
  },

  async deliver(ctx, attempt, settings) {
    const response = await postJson(ctx, {
      url: withQuery(settings.webhook_url, { wait: "true" }),
      body: JSON.stringify(attempt.rendering.payload),
      provider: "Discord",
    });
    const message = DiscordMessage.safeParse(await answerJson(response));
    return message.success ? { providerMessageId: message.data.id } : {};
  },
};

import { z } from "zod";
import { fitTextMessage, HttpUrl, outsideLinks, postToWebhook } from "./chat-common.ts";
import type { ChannelAdapter, Limit } from "./types.ts";

/**
 * Mattermost incoming webhook (self-hosted, so `webhook_url` is the server's
 * own `https://chat.example.com/hooks/<id>`): Markdown text. Mattermost
 * answers `200 ok` and no post id.
 */

export const MattermostSettings = z.strictObject({
  webhook_url: HttpUrl,
  /** Honoured when the server lets integrations override user names. */
  username: z.string().min(1).optional(),
  /** A channel name ("town-square") or "@user"; by default the webhook's own channel. */
  channel: z.string().min(1).optional(),
  /** Honoured when the server lets integrations override profile picture icons. */
  icon_url: HttpUrl.optional(),
});
export type MattermostSettings = z.infer<typeof MattermostSettings>;

/** Mattermost's limit on a post's message (16,383 characters, counted as code points). */
export const MATTERMOST_TEXT_MAX = 16_383;
const LIMIT: Limit = { max: MATTERMOST_TEXT_MAX, unit: "characters" };

/**
 * Webhook posts can notify a whole channel with @channel, @all or @here; a word
 * joiner after the @ keeps the text readable and the crowd unpinged.
 */
export function defuseBroadcasts(text: string): string {
  return outsideLinks(text, (part) => part.replace(/@(channel|all|here)\b/gi, "@\u2060$1"));
}

export const mattermostAdapter: ChannelAdapter<MattermostSettings> = {
  type: "mattermost",
  settings: MattermostSettings,

  render(facts, settings) {
    const message = fitTextMessage(facts, LIMIT.max, {
      bold: (text) => `**${text}**`,
      defuse: defuseBroadcasts,
    });
    return {
      text: message.text,
      payload: {
        text: message.text,
        ...(settings.username ? { username: settings.username } : {}),
        ...(settings.channel ? { channel: settings.channel } : {}),
        ...(settings.icon_url ? { icon_url: settings.icon_url } : {}),
      },
      length: message.length,
      fullLength: message.fullLength,
      limit: LIMIT,
      shortened: message.shortened,
    };
  },

  deliver: (ctx, attempt, settings) =>
    postToWebhook(ctx, settings.webhook_url, attempt.rendering, "Mattermost"),
};

import { z } from "zod";
import { answerJson, fitTextMessage, HttpUrl, outsideLinks, postJson, withQuery } from "./chat-common.ts";
import type { ChannelAdapter, Limit } from "./types.ts";

/**
 * Google Chat incoming webhook (space → Apps & integrations → Webhooks), whose
 * URL carries the `key` and `token`. Text in Chat's own markup (`*bold*`).
 * With `thread_per_incident`, every update of an incident lands in one thread,
 * keyed by the incident's id. Chat answers with the created message, whose
 * name and thread are kept.
 */

export const GoogleChatSettings = z.strictObject({
  webhook_url: HttpUrl,
  thread_per_incident: z.boolean().default(false),
});
export type GoogleChatSettings = z.infer<typeof GoogleChatSettings>;

export const GOOGLECHAT_TEXT_MAX = 4_096;
const LIMIT: Limit = { max: GOOGLECHAT_TEXT_MAX, unit: "characters" };

/** Replies go to the incident's thread, and a new thread starts if that one is gone. */
export const REPLY_OPTION = "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD";

/** `<users/all>` in a Chat message notifies the whole space; a word joiner keeps it text. */
export function defuseMentions(text: string): string {
  return outsideLinks(text, (part) => part.replace(/<users\//gi, "<\u2060users/"));
}

const ChatMessage = z.object({
  name: z.string().min(1),
  thread: z.object({ name: z.string().min(1) }).optional(),
});

export const googlechatAdapter: ChannelAdapter<GoogleChatSettings> = {
  type: "googlechat",
  settings: GoogleChatSettings,

  render(facts, settings) {
    const message = fitTextMessage(facts, LIMIT.max, { bold: (text) => `*${text}*`, defuse: defuseMentions });
    return {
      text: message.text,
      payload: {
        text: message.text,
        ...(settings.thread_per_incident ? { thread: { threadKey: facts.incident.id } } : {}),
      },
      length: message.length,
      fullLength: message.fullLength,
      limit: LIMIT,
      shortened: message.shortened,
    };
  },

  async deliver(ctx, attempt, settings) {
    const response = await postJson(ctx, {
      url: settings.thread_per_incident
        ? withQuery(settings.webhook_url, { messageReplyOption: REPLY_OPTION })
        : settings.webhook_url,
      body: JSON.stringify(attempt.rendering.payload),
      provider: "Google Chat",
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
    const message = ChatMessage.safeParse(await answerJson(response));
    if (!message.success) return {};
    return {
      providerMessageId: message.data.name,
      ...(message.data.thread ? { threadId: message.data.thread.name } : {}),
    };
  },
};

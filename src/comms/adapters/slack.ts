import { z } from "zod";
import { graphemes, shorten } from "../measure.ts";
import {
  chatLength,
  componentsText,
  drillPrefix,
  fitBody,
  HttpUrl,
  headline,
  postToWebhook,
  severityText,
} from "./chat-common.ts";
import type { ChannelAdapter, Limit } from "./types.ts";

/**
 * Slack incoming webhook (a Slack app's "Incoming Webhooks"): Block Kit blocks
 * plus a `text` fallback for notifications. Slack answers `200 ok`, or a 4xx
 * with a word (`invalid_blocks`, `no_text`, `channel_is_archived`…).
 */

export const SlackSettings = z.strictObject({
  webhook_url: HttpUrl,
  /**
   * Where the webhook posts, shown to people choosing channels. Not sent: an
   * app's webhook is bound to the channel picked when it was installed and
   * ignores any override.
   */
  channel_name: z.string().min(1).optional(),
});
export type SlackSettings = z.infer<typeof SlackSettings>;

export const SLACK_HEADER_MAX = 150;
export const SLACK_SECTION_MAX = 3_000;
/** Slack allows 50 blocks of 3,000, but its docs advise keeping a message well under ~13k characters. */
const LIMIT: Limit = { max: 12_000, unit: "characters" };
/** Titles are at most 200 characters when declared; this bound only keeps the section valid. */
const TITLE_MAX = 1_000;
/** Escaping can make text five times longer (`&` is `&amp;`): 500 keeps a context element under 3,000. */
const COMPONENTS_MAX = 500;

const MRKDWN_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Slack's mrkdwn reads `<…>` as links and mentions (`<!channel>`); escaping keeps user text text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => MRKDWN_ENTITIES[char] ?? char);
}

function link(url: string, label: string): string {
  return `<${escapeMrkdwn(url).replaceAll("|", "%7C")}|${escapeMrkdwn(label)}>`;
}

const escapedLength = (text: string) => chatLength(escapeMrkdwn(text));

/**
 * Cuts raw text into pieces whose escaped form fits one section, at a line
 * break or space when one is near the end. Pieces are escaped afterwards, so a
 * cut never splits an entity such as `&amp;`.
 */
export function splitSections(text: string, max = SLACK_SECTION_MAX): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const g of graphemes(text)) {
    const size = escapedLength(g);
    if (length + size > max && current.length > 0) {
      const breakAt = Math.max(current.lastIndexOf("\n"), current.lastIndexOf(" "));
      const cut = breakAt > current.length / 2 ? breakAt + 1 : current.length;
      pieces.push(current.slice(0, cut).join(""));
      current = current.slice(cut);
      length = escapedLength(current.join(""));
    }
    current.push(g);
    length += size;
  }
  if (current.length > 0) pieces.push(current.join(""));
  return pieces.filter((piece) => piece.trim() !== "");
}

export const slackAdapter: ChannelAdapter<SlackSettings> = {
  type: "slack",
  settings: SlackSettings,

  render(facts) {
    const head = `${drillPrefix(facts)}${headline(facts)}`;
    const header = shorten(head, SLACK_HEADER_MAX, chatLength);
    // When the header had to cut the title, a section under it carries the title whole.
    const title =
      header === head ? "" : `*${escapeMrkdwn(shorten(facts.incident.title, TITLE_MAX, escapedLength))}*`;
    const components = componentsText(facts, COMPONENTS_MAX);
    const context = [
      `*Severity:* ${escapeMrkdwn(severityText(facts))}`,
      ...(components ? [`*Components:* ${escapeMrkdwn(components)}`] : []),
      link(facts.incident.url, `Open ${facts.incident.reference}`),
    ];
    const textOf = (body: string) =>
      [header, title, escapeMrkdwn(body).trim(), context.join(" · ")].filter(Boolean).join("\n\n");
    const fitted = fitBody(facts.body, facts.incident.url, LIMIT.max, (body) => chatLength(textOf(body)));

    const sections = [...(title ? [title] : []), ...splitSections(fitted.body).map(escapeMrkdwn)];
    const blocks = [
      { type: "header", text: { type: "plain_text", text: header, emoji: true } },
      ...sections.map((text) => ({ type: "section", text: { type: "mrkdwn", text } })),
      { type: "context", elements: context.map((text) => ({ type: "mrkdwn", text })) },
    ];
    return {
      text: textOf(fitted.body),
      // Notifications and old clients show `text`; the blocks are the message.
      payload: { text: head, blocks },
      length: fitted.length,
      fullLength: fitted.fullLength,
      limit: LIMIT,
      shortened: fitted.shortened,
    };
  },

  // Incoming webhooks answer a bare "ok": there is no message id to keep.
  deliver: (ctx, attempt, settings) => postToWebhook(ctx, settings.webhook_url, attempt.rendering, "Slack"),
};

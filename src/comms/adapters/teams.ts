import { z } from "zod";
import { utf8Length } from "../measure.ts";
import {
  componentsText,
  drillPrefix,
  fitBody,
  HttpUrl,
  headline,
  postToWebhook,
  severityText,
} from "./chat-common.ts";
import type { ChannelAdapter, Limit, MessageFacts } from "./types.ts";

/**
 * Microsoft Teams through a Workflows ("Post to a channel when a webhook
 * request is received") webhook: one Adaptive Card in a message envelope.
 * Teams answers 202 Accepted with no body, so there is no message id to keep.
 */

export const TeamsSettings = z.strictObject({ webhook_url: HttpUrl });
export type TeamsSettings = z.infer<typeof TeamsSettings>;

/** Teams refuses messages over 28 KB (28,672 bytes); counting the request body against 28,000 leaves room. */
const LIMIT: Limit = { max: 28_000, unit: "bytes" };

export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

function card(facts: MessageFacts, body: string) {
  const components = componentsText(facts);
  return {
    type: "message",
    attachments: [
      {
        contentType: ADAPTIVE_CARD,
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "TextBlock",
              text: `${drillPrefix(facts)}${headline(facts)}`,
              weight: "Bolder",
              size: "Medium",
              wrap: true,
            },
            {
              type: "TextBlock",
              text: [
                `Severity: ${severityText(facts)}`,
                ...(components ? [`Components: ${components}`] : []),
              ].join(" · "),
              isSubtle: true,
              spacing: "None",
              wrap: true,
            },
            ...(body.trim() ? [{ type: "TextBlock", text: body, wrap: true }] : []),
          ],
          actions: [
            { type: "Action.OpenUrl", title: `Open ${facts.incident.reference}`, url: facts.incident.url },
          ],
        },
      },
    ],
  };
}

export const teamsAdapter: ChannelAdapter<TeamsSettings> = {
  type: "teams",
  settings: TeamsSettings,

  render(facts) {
    // The limit is on the request, so the measure is the serialised card around the text.
    const fitted = fitBody(facts.body, facts.incident.url, LIMIT.max, (body) =>
      utf8Length(JSON.stringify(card(facts, body))),
    );
    const payload = card(facts, fitted.body);
    const [title, details, text] = payload.attachments[0]!.content.body.map((block) => block.text);
    return {
      text: [title, details, text].filter(Boolean).join("\n\n"),
      payload,
      length: fitted.length,
      fullLength: fitted.fullLength,
      limit: LIMIT,
      shortened: fitted.shortened,
    };
  },

  deliver: (ctx, attempt, settings) =>
    postToWebhook(ctx, settings.webhook_url, attempt.rendering, "Microsoft Teams"),
};

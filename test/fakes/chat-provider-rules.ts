/**
 * What each chat provider accepts, as its documentation states it: the fake
 * providers answer by these rules, and the renderers' property test holds every
 * payload to them.
 */

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** Slack, Discord and Google Chat count UTF-16 units (JavaScript, Java); Mattermost counts code points (Go runes). */
const units = (value: unknown) => (typeof value === "string" ? value.length : 0);
const codePoints = (value: unknown) => (typeof value === "string" ? [...value].length : 0);
const nonEmptyWithin = (value: unknown, max: number) =>
  typeof value === "string" && value.trim() !== "" && units(value) <= max;

/** Slack's error word for an incoming-webhook payload, or null when Slack would post it. */
export function slackProblem(payload: unknown): string | null {
  if (!isObject(payload)) return "invalid_payload";
  const { text, blocks } = payload;
  if (blocks === undefined) return typeof text === "string" && text.trim() ? null : "no_text";
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return "invalid_blocks";
  for (const block of blocks) {
    if (!isObject(block)) return "invalid_blocks";
    const t = block.text;
    const ok =
      block.type === "header"
        ? isObject(t) && t.type === "plain_text" && nonEmptyWithin(t.text, 150)
        : block.type === "section"
          ? isObject(t) && (t.type === "mrkdwn" || t.type === "plain_text") && nonEmptyWithin(t.text, 3000)
          : block.type === "context"
            ? Array.isArray(block.elements) &&
              block.elements.length >= 1 &&
              block.elements.length <= 10 &&
              block.elements.every((e) => isObject(e) && nonEmptyWithin(e.text, 3000))
            : block.type === "divider";
    if (!ok) return "invalid_blocks";
  }
  if (text !== undefined && typeof text !== "string") return "invalid_payload";
  return units(text) > 40_000 ? "msg_too_long" : null;
}

/** Teams' refusal of a Workflows webhook request, or null. */
export function teamsProblem(payload: unknown, bytes: number): { status: number; message: string } | null {
  if (bytes > 28 * 1024) return { status: 413, message: "Request entity too large: the limit is 28 KB" };
  const wrong = (message: string) => ({ status: 400, message });
  if (!isObject(payload) || payload.type !== "message")
    return wrong('the body is {"type": "message", "attachments": [...]}');
  const { attachments } = payload;
  if (!Array.isArray(attachments) || attachments.length === 0) return wrong("attachments must hold a card");
  for (const attachment of attachments) {
    if (!isObject(attachment) || attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
      return wrong("contentType must be application/vnd.microsoft.card.adaptive");
    }
    const card = attachment.content;
    if (!isObject(card) || card.type !== "AdaptiveCard" || typeof card.version !== "string") {
      return wrong("content must be an AdaptiveCard with a version");
    }
    if (!Array.isArray(card.body) || !card.body.every((e) => isObject(e) && typeof e.type === "string")) {
      return wrong("the card's body is a list of elements");
    }
    const actions = card.actions ?? [];
    if (
      !Array.isArray(actions) ||
      !actions.every((a) => isObject(a) && (a.type !== "Action.OpenUrl" || typeof a.url === "string"))
    ) {
      return wrong("Action.OpenUrl needs a url");
    }
  }
  return null;
}

/** Discord's error for an execute-webhook body, or null. */
export function discordProblem(payload: unknown): { code: number; message: string } | null {
  const invalid = (message: string) => ({ code: 50035, message: `Invalid Form Body: ${message}` });
  if (!isObject(payload)) return invalid("not a JSON object");
  const { content, embeds = [], username } = payload;
  if (content !== undefined && (typeof content !== "string" || units(content) > 2000)) {
    return invalid("content: Must be 2000 or fewer in length.");
  }
  if (
    username !== undefined &&
    (typeof username !== "string" || units(username) > 80 || /discord|clyde/i.test(username))
  ) {
    return invalid('username: Username cannot contain "discord" or "clyde" and is 1-80 long.');
  }
  if (!Array.isArray(embeds) || embeds.length > 10) return invalid("embeds: Must be 10 or fewer in length.");
  let total = 0;
  for (const embed of embeds) {
    if (!isObject(embed)) return invalid("embeds: not an object");
    const parts: Array<[string, unknown, number]> = [
      ["title", embed.title, 256],
      ["description", embed.description, 4096],
      ["footer.text", isObject(embed.footer) ? embed.footer.text : undefined, 2048],
      ["author.name", isObject(embed.author) ? embed.author.name : undefined, 256],
    ];
    const fields = embed.fields ?? [];
    if (!Array.isArray(fields) || fields.length > 25)
      return invalid("fields: Must be 25 or fewer in length.");
    for (const field of fields) {
      if (!isObject(field) || !nonEmptyWithin(field.name, 256) || !nonEmptyWithin(field.value, 1024)) {
        return invalid("fields: name 1-256 and value 1-1024 long");
      }
      parts.push(["field.name", field.name, 256], ["field.value", field.value, 1024]);
    }
    for (const [name, value, max] of parts) {
      if (value !== undefined && (typeof value !== "string" || units(value) > max)) {
        return invalid(`${name}: Must be ${max} or fewer in length.`);
      }
      total += units(value);
    }
  }
  if (total > 6000) return invalid("embeds: Embed size exceeds maximum size of 6000");
  if (!(typeof content === "string" && content.trim()) && embeds.length === 0) {
    return { code: 50006, message: "Cannot send an empty message" };
  }
  return null;
}

/**
 * Mattermost's refusal, or null. Mattermost splits a longer text into several
 * posts; the fake refuses it instead, so a renderer that overflows is caught.
 */
export function mattermostProblem(payload: unknown): string | null {
  if (!isObject(payload)) return "Unable to parse incoming data";
  if (typeof payload.text !== "string" || !payload.text.trim()) return "No text specified";
  if (codePoints(payload.text) > 16_383) return "Message text is longer than 16383 characters";
  for (const key of ["username", "channel", "icon_url"]) {
    if (payload[key] !== undefined && typeof payload[key] !== "string") return `${key} must be a string`;
  }
  return null;
}

/** Google Chat's INVALID_ARGUMENT message, or null. */
export function googleChatProblem(payload: unknown, bytes: number): string | null {
  if (bytes > 32_000) return "Message exceeds the maximum size of 32,000 bytes";
  if (!isObject(payload)) return "Invalid JSON payload received";
  if (typeof payload.text !== "string" || !payload.text.trim()) return "Message cannot be empty";
  if (units(payload.text) > 4096) return "Message text exceeds the maximum length of 4096 characters";
  const { thread } = payload;
  if (
    thread !== undefined &&
    !(isObject(thread) && (typeof thread.threadKey === "string" || typeof thread.name === "string"))
  ) {
    return "thread needs a threadKey or a name";
  }
  return null;
}

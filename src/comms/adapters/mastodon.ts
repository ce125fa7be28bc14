import { z } from "zod";
import { mastodonLength } from "../measure.ts";
import {
  answer,
  BaseUrl,
  expectDelivered,
  fitText,
  jsonHeaders,
  postText,
  rendering,
  Secret,
  send,
  storedPayload,
  TIMEOUT_MS,
  USER_AGENT,
} from "./social-common.ts";
import type { AdapterContext, ChannelAdapter } from "./types.ts";

/**
 * Mastodon: a status per update, `POST {instance}/api/v1/statuses`.
 *
 * Threading: the first update of an incident posts a status; its id is both
 * the providerMessageId and the threadId, and every later update replies to
 * it (`in_reply_to_id`), so followers see the whole incident in one thread.
 * Each delivery sends `Idempotency-Key: <deliveryId>`: Mastodon answers a
 * retry within an hour with the status it already created.
 */

const DEFAULT_MAX_CHARACTERS = 500;

const Visibility = z.enum(["public", "unlisted", "private", "direct"]);

const CharacterCount = z
  .union([z.number(), z.string().regex(/^\d+$/, "write a number").transform(Number)])
  // Below 100 there is no room for the update next to the incident's link.
  .pipe(z.number().int().min(100, "an instance allows at least 100 characters").max(100_000));

export const MastodonSettings = z
  .strictObject({
    instance_url: BaseUrl.optional(),
    /** The name every other provider uses for its address. */
    base_url: BaseUrl.optional(),
    access_token: Secret,
    visibility: Visibility.default("public"),
    /** The instance's limit, from its /api/v2/instance (`configuration.statuses.max_characters`). */
    max_characters: CharacterCount.optional(),
  })
  .check((ctx) => {
    const { instance_url, base_url } = ctx.value;
    if (!instance_url && !base_url) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: ["instance_url"],
        message: "set instance_url, the Mastodon server's address such as https://mastodon.social",
      });
    } else if (instance_url && base_url && instance_url !== base_url) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        path: ["base_url"],
        message: "instance_url and base_url name the same thing: keep one",
      });
    }
  })
  .transform((s) => ({
    instanceUrl: (s.instance_url ?? s.base_url)!,
    accessToken: s.access_token,
    visibility: s.visibility,
    maxCharacters: s.max_characters ?? DEFAULT_MAX_CHARACTERS,
  }));
export type MastodonSettings = z.output<typeof MastodonSettings>;

const MastodonPayload = z.strictObject({ status: z.string().min(1), visibility: Visibility });

const Status = z.object({ id: z.string().min(1), url: z.string().nullish() });

export const mastodonAdapter: ChannelAdapter<MastodonSettings> = {
  type: "mastodon",
  settings: MastodonSettings,

  render(facts, settings) {
    const fitted = fitText(
      postText(facts),
      facts,
      { max: settings.maxCharacters, unit: "characters" },
      mastodonLength,
    );
    return rendering(fitted, { status: fitted.text, visibility: settings.visibility });
  },

  async deliver(ctx, attempt, settings) {
    const payload = storedPayload(attempt.rendering, "Mastodon", MastodonPayload);
    const root = attempt.thread ? (attempt.thread.threadId ?? attempt.thread.providerMessageId) : undefined;
    const response = await send(
      ctx,
      "POST",
      `${settings.instanceUrl}/api/v1/statuses`,
      jsonHeaders(`Bearer ${settings.accessToken}`, { "Idempotency-Key": attempt.deliveryId }),
      root ? { ...payload, in_reply_to_id: root } : payload,
    );
    const status = await answer(await expectDelivered(response, "Mastodon", ctx.now()), "Mastodon", Status);
    return { providerMessageId: status.id, threadId: root ?? status.id };
  },
};

const Instance = z.object({
  configuration: z.object({
    statuses: z.object({
      max_characters: z.number().int().positive(),
      characters_reserved_per_url: z.number().int().nonnegative(),
    }),
  }),
});

export interface MastodonLimits {
  maxCharacters: number;
  charactersReservedPerUrl: number;
}

/**
 * An instance's status limits, to check `max_characters` in the plan against
 * the server (render is pure, so it cannot ask the instance itself).
 */
export async function fetchMastodonLimits(ctx: AdapterContext, instanceUrl: string): Promise<MastodonLimits> {
  const response = await ctx.fetch(`${instanceUrl.replace(/\/+$/, "")}/api/v2/instance`, {
    headers: { Accept: "application/json", "User-Agent": USER_AGENT },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const instance = await answer(await expectDelivered(response, "Mastodon", ctx.now()), "Mastodon", Instance);
  return {
    maxCharacters: instance.configuration.statuses.max_characters,
    charactersReservedPerUrl: instance.configuration.statuses.characters_reserved_per_url,
  };
}

import { z } from "zod";
import { xWeightedLength } from "../measure.ts";
import { oauth1Authorization } from "../oauth1.ts";
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
} from "./social-common.ts";
import type { ChannelAdapter } from "./types.ts";

/**
 * X: a post per update, `POST {base}/2/tweets`, signed with OAuth 1.0a in the
 * user context of the account (the app's API key and secret, the account's
 * access token and secret), which works on every X API plan.
 *
 * Threading: the first update's post id is both the providerMessageId and the
 * threadId; later updates reply to it (`reply.in_reply_to_tweet_id`).
 * X takes no idempotency key; a retry of a post that did go through is
 * refused as duplicate content (403), which gives up instead of posting twice.
 */

const MAX_WEIGHTED = 280;

export const XSettings = z
  .strictObject({
    api_key: Secret,
    api_key_secret: Secret,
    access_token: Secret,
    access_token_secret: Secret,
    base_url: BaseUrl.default("https://api.x.com"),
  })
  .transform((s) => ({
    baseUrl: s.base_url,
    credentials: {
      consumerKey: s.api_key,
      consumerSecret: s.api_key_secret,
      token: s.access_token,
      tokenSecret: s.access_token_secret,
    },
  }));
export type XSettings = z.output<typeof XSettings>;

const XPayload = z.strictObject({ text: z.string().min(1) });

const Created = z.object({ data: z.object({ id: z.string().min(1), text: z.string() }) });

export const xAdapter: ChannelAdapter<XSettings> = {
  type: "x",
  settings: XSettings,

  render(facts) {
    const fitted = fitText(
      postText(facts),
      facts,
      { max: MAX_WEIGHTED, unit: "weighted characters" },
      xWeightedLength,
    );
    return rendering(fitted, { text: fitted.text });
  },

  async deliver(ctx, attempt, settings) {
    const payload = storedPayload(attempt.rendering, "X", XPayload);
    const root = attempt.thread ? (attempt.thread.threadId ?? attempt.thread.providerMessageId) : undefined;
    const url = `${settings.baseUrl}/2/tweets`;
    // A JSON body is not part of the signature: only the method, URL and oauth_* parameters are.
    const authorization = oauth1Authorization({ method: "POST", url }, settings.credentials, {
      timestamp: Math.floor(ctx.now().getTime() / 1000),
    });
    const response = await send(
      ctx,
      "POST",
      url,
      jsonHeaders(authorization),
      root ? { ...payload, reply: { in_reply_to_tweet_id: root } } : payload,
    );
    const created = await answer(await expectDelivered(response, "X", ctx.now()), "X", Created);
    return { providerMessageId: created.data.id, threadId: root ?? created.data.id };
  },
};

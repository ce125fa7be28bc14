import { z } from "zod";
import { GiveUp, RetryLater, retryAfterMs } from "../../jobs/retry.ts";
import type { TwilioConfig } from "./config.ts";
import type { ProviderContext, Sent } from "./types.ts";

/**
 * SMS and voice through a Twilio-compatible REST API (Twilio's own, or one
 * that copies it): `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with
 * form fields To, From and Body, and `…/Calls.json` with To, From and Twiml,
 * both with HTTP basic auth (account SID and auth token). The answer's `sid`
 * is kept as the provider's message id.
 */
const Created = z.object({ sid: z.string().min(1), status: z.string().optional() });
const TwilioError = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
  status: z.number().optional(),
});

const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export interface TwilioClient {
  sendSms(ctx: ProviderContext, to: string, body: string): Promise<Sent>;
  call(ctx: ProviderContext, to: string, twiml: string): Promise<Sent>;
}

export function twilioClient(config: TwilioConfig): TwilioClient {
  const account = `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;

  async function create(ctx: ProviderContext, resource: "Messages" | "Calls", form: Record<string, string>) {
    const response = await ctx.fetch(`${account}/${resource}.json`, {
      method: "POST",
      headers: {
        authorization,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        "user-agent": "Runsheet",
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text().catch(() => "");
    if (response.status >= 200 && response.status < 300) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`The SMS/voice provider answered ${response.status} with a body that is not JSON.`);
      }
      const created = Created.safeParse(json);
      if (!created.success) throw new Error("The SMS/voice provider's answer has no sid.");
      return { providerMessageId: created.data.sid };
    }
    throw failure(response, text, ctx.now());
  }

  return {
    sendSms: (ctx, to, body) => create(ctx, "Messages", { To: to, From: config.from, Body: body }),
    call: (ctx, to, twiml) => create(ctx, "Calls", { To: to, From: config.from, Twiml: twiml }),
  };
}

/** 429 waits as long as Retry-After says; any other 4xx is refused for good; the rest is retried. */
function failure(response: Response, text: string, now: Date): Error {
  let detail = text.replace(/\s+/g, " ").slice(0, 300);
  try {
    const error = TwilioError.parse(JSON.parse(text));
    detail = [
      error.code !== undefined ? `error ${error.code}` : "",
      error.message ?? "",
      error.more_info ?? "",
    ]
      .filter(Boolean)
      .join(": ");
  } catch {
    // Not the provider's error shape (a proxy's page): the raw text says what it can.
  }
  const message = `The SMS/voice provider answered ${response.status}${detail ? ` (${detail})` : ""}`;
  if (response.status === 429) {
    return new RetryLater(
      message,
      retryAfterMs(response.headers.get("retry-after"), now) ?? DEFAULT_RATE_LIMIT_WAIT_MS,
    );
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 408) return new GiveUp(message);
  return new Error(message);
}

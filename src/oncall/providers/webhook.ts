import { expectSuccess } from "../../comms/http.ts";
import { signWebhook } from "../../comms/standard-webhooks.ts";
import type { ProviderContext, Sent } from "./types.ts";

/**
 * A person's own webhook, signed per Standard Webhooks with the secret made
 * when they added it: the event `page.triggered`. The notification's id is the
 * `webhook-id`, the same on every retry, so the receiver can drop duplicates.
 */
export const PAGE_TRIGGERED = "page.triggered";

export interface PageEvent {
  notificationId: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export async function sendPageWebhook(
  ctx: ProviderContext,
  url: string,
  secret: string,
  event: PageEvent,
): Promise<Sent> {
  const body = JSON.stringify({
    type: PAGE_TRIGGERED,
    id: event.notificationId,
    timestamp: event.timestamp,
    data: event.data,
  });
  const timestamp = Math.floor(ctx.now().getTime() / 1000);
  const response = await ctx.fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "Runsheet",
      "webhook-id": event.notificationId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signWebhook({ id: event.notificationId, timestamp, body, secrets: [secret] }),
    },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  await expectSuccess(response, "The webhook", ctx.now());
  return { providerMessageId: event.notificationId };
}

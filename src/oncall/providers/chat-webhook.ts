import { expectSuccess } from "../../comms/http.ts";
import type { ProviderContext, Sent } from "./types.ts";

/**
 * A person's own chat webhook (Slack, Mattermost, Rocket.Chat, Google Chat
 * and the other incoming webhooks that take `{"text": …}`): one POST.
 */
export async function sendChatWebhook(ctx: ProviderContext, url: string, text: string): Promise<Sent> {
  const response = await ctx.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Runsheet" },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(15_000),
  });
  await expectSuccess(response, "The chat webhook", ctx.now());
  return {};
}

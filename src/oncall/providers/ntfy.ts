import { z } from "zod";
import { expectSuccess } from "../../comms/http.ts";
import type { ProviderContext, Sent } from "./types.ts";

/**
 * Push notifications through ntfy (ntfy.sh or a self-hosted server): the
 * message is POSTed to the topic's URL with the title, the highest priority,
 * a tag, a click target and an action button as headers. The button POSTs to
 * the signed acknowledgement link, so a page can be acknowledged from the
 * notification itself.
 */
const Published = z.object({ id: z.string().min(1) });

export interface NtfyPage {
  title: string;
  body: string;
  /** Opened when the notification is tapped: the acknowledgement page. */
  click: string;
  /** POSTed by the "Acknowledge" button. */
  ackUrl: string;
  incidentUrl: string;
}

/** Header values are Latin-1 on the wire; ntfy reads RFC 2047 encoded words for anything else. */
export function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, "utf8").toString("base64")}?=`;
}

/** ntfy's short action format separates fields with commas and actions with semicolons. */
function actionUrl(url: string): string {
  return url.replaceAll(",", "%2C").replaceAll(";", "%3B");
}

export async function sendNtfy(ctx: ProviderContext, topicUrl: string, page: NtfyPage): Promise<Sent> {
  const response = await ctx.fetch(topicUrl, {
    method: "POST",
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "user-agent": "Runsheet",
      title: headerText(page.title),
      priority: "urgent",
      tags: "rotating_light",
      click: page.click,
      actions: [
        `http, Acknowledge, ${actionUrl(page.ackUrl)}, method=POST, clear=true`,
        `view, Open incident, ${actionUrl(page.incidentUrl)}`,
      ].join("; "),
    },
    body: page.body,
    signal: AbortSignal.timeout(15_000),
  });
  await expectSuccess(response, "ntfy", ctx.now());
  const published = Published.safeParse(await response.json().catch(() => null));
  return published.success ? { providerMessageId: published.data.id } : {};
}

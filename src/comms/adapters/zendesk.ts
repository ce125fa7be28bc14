import { z } from "zod";
import { utf8Length } from "../measure.ts";
import {
  answer,
  BaseUrl,
  basicAuth,
  expectDelivered,
  fitText,
  jsonHeaders,
  postText,
  rendering,
  Secret,
  send,
  storedPayload,
  ticketSubject,
} from "./social-common.ts";
import type { ChannelAdapter } from "./types.ts";

/**
 * Zendesk: one ticket per incident, then a public comment on it per update
 * (Support API; Basic auth as `{email}/token:{api_token}`).
 *
 * Threading: the ticket's id is the threadId; later updates add a comment with
 * `PUT /api/v2/tickets/{id}.json`, whose audit id becomes their
 * providerMessageId. Creating the ticket sends `Idempotency-Key: <deliveryId>`
 * (Zendesk answers a repeated key with the ticket it already created); adding
 * a comment has no such key, so a retry after a lost answer may repeat it.
 */

/** Zendesk refuses comments over about 64 KB. */
const COMMENT_MAX_BYTES = 64_000;

export const ZendeskSettings = z
  .strictObject({
    base_url: BaseUrl,
    email: z.email("write the Zendesk agent's email address"),
    api_token: Secret,
  })
  .transform((s) => ({
    baseUrl: s.base_url,
    authorization: basicAuth(`${s.email}/token`, s.api_token),
  }));
export type ZendeskSettings = z.output<typeof ZendeskSettings>;

const Comment = z.strictObject({ body: z.string().min(1), public: z.literal(true) });
const ZendeskPayload = z.strictObject({
  ticket: z.strictObject({ subject: z.string().min(1), comment: Comment }),
});

const CreatedTicket = z.object({ ticket: z.object({ id: z.coerce.string().min(1) }) });
const UpdatedTicket = z.object({
  ticket: z.object({ id: z.coerce.string().min(1) }),
  audit: z.object({ id: z.coerce.string().min(1) }).optional(),
});

export const zendeskAdapter: ChannelAdapter<ZendeskSettings> = {
  type: "zendesk",
  settings: ZendeskSettings,

  render(facts) {
    const subject = ticketSubject(facts);
    const fitted = fitText(postText(facts), facts, { max: COMMENT_MAX_BYTES, unit: "bytes" }, utf8Length);
    return rendering(fitted, { ticket: { subject, comment: { body: fitted.text, public: true } } }, subject);
  },

  async deliver(ctx, attempt, settings) {
    const payload = storedPayload(attempt.rendering, "Zendesk", ZendeskPayload);
    const ticket = attempt.thread ? (attempt.thread.threadId ?? attempt.thread.providerMessageId) : undefined;
    if (ticket) {
      const response = await send(
        ctx,
        "PUT",
        `${settings.baseUrl}/api/v2/tickets/${encodeURIComponent(ticket)}.json`,
        jsonHeaders(settings.authorization),
        { ticket: { comment: payload.ticket.comment } },
      );
      const updated = await answer(
        await expectDelivered(response, "Zendesk", ctx.now()),
        "Zendesk",
        UpdatedTicket,
      );
      return { providerMessageId: updated.audit?.id ?? updated.ticket.id, threadId: updated.ticket.id };
    }
    const response = await send(
      ctx,
      "POST",
      `${settings.baseUrl}/api/v2/tickets.json`,
      jsonHeaders(settings.authorization, { "Idempotency-Key": attempt.deliveryId }),
      payload,
    );
    const created = await answer(
      await expectDelivered(response, "Zendesk", ctx.now()),
      "Zendesk",
      CreatedTicket,
    );
    return { providerMessageId: created.ticket.id, threadId: created.ticket.id };
  },
};

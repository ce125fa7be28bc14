import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  confirmSubscription,
  listSubscribers,
  removeSubscriber,
  SubscribeInput,
  Subscriber,
  subscribe,
  unsubscribe,
} from "../../comms/subscribers.ts";
import { escapeHtml } from "../../shared/html.ts";
import type { AppDeps } from "../app.ts";
import { rateLimiter } from "../rate-limit.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const tags = ["subscribers"];
const Token = z.strictObject({ token: z.string().min(10).max(200) });

/** A small page for people who came from a form or an email link rather than from code. */
function page(reply: FastifyReply, status: number, title: string, text: string) {
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    );
}

const wantsHtml = (request: FastifyRequest) =>
  String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ||
  (!String(request.headers.accept ?? "").includes("application/json") && request.method === "GET");

export function subscriberRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const limit = rateLimiter({ max: 10, windowMs: 60_000 });
  return async (app) => {
    // Plain HTML forms post here (the public status page works without JavaScript).
    // The parser is registered in this plugin only, so no API route accepts form posts.
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_request, body, done) => {
        const form = new URLSearchParams(String(body));
        const out: Record<string, unknown> = {};
        for (const key of new Set(form.keys())) {
          const values = form.getAll(key);
          out[key] = key === "components" ? values : values[0];
        }
        done(null, out);
      },
    );

    app.post(
      "/subscribe",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "Subscribe to status updates (email with double opt-in, or a signed webhook)",
          description:
            "JSON or a form post. Rate-limited per address. A webhook subscriber receives its signing secret in the answer, once.",
          body: SubscribeInput,
          response: withProblems({
            202: z.object({ subscriber: Subscriber, signingSecret: z.string().optional(), next: z.string() }),
          }),
        },
      },
      async (request, reply) => {
        limit(request);
        const result = await subscribe(ctxOf(deps, request), request.body, { confirmed: false });
        const next =
          result.subscriber.state === "pending"
            ? "Check your inbox: follow the link in the email we sent to confirm."
            : "Subscribed: updates will be sent to your endpoint, signed with the secret above.";
        if (wantsHtml(request)) {
          if (result.signingSecret) {
            return page(
              reply,
              202,
              "Subscribed",
              `Updates will be posted to ${result.subscriber.address}, signed per Standard Webhooks with this secret (shown once, keep it): ${result.signingSecret}`,
            );
          }
          return page(reply, 202, "Almost there", next);
        }
        return reply.code(202).send({ ...result, next });
      },
    );

    app.get(
      "/subscribe/confirm",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "Confirm an email subscription (the link in the email)",
          querystring: Token,
        },
      },
      async (request, reply) => {
        limit(request);
        await confirmSubscription(ctxOf(deps, request), request.query.token);
        return page(
          reply,
          200,
          "Subscribed",
          "You will receive status updates by email. Every email has a link to unsubscribe.",
        );
      },
    );

    app.get(
      "/unsubscribe",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "The unsubscribe page (a button, so link scanners cannot unsubscribe anyone)",
          querystring: Token,
        },
      },
      async (request, reply) =>
        reply
          .type("text/html; charset=utf-8")
          .header(
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          )
          .send(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Unsubscribe</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>Unsubscribe</h1><form method="post" action="/unsubscribe?token=${encodeURIComponent(request.query.token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Stop sending me status updates</button></form></body></html>`,
          ),
    );

    app.post(
      "/unsubscribe",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "Unsubscribe (RFC 8058 one-click: a POST with List-Unsubscribe=One-Click)",
          querystring: Token,
          body: z.object({ "List-Unsubscribe": z.string().optional() }).optional(),
        },
      },
      async (request, reply) => {
        await unsubscribe(ctxOf(deps, request), request.query.token);
        return page(reply, 200, "Unsubscribed", "You will not receive status updates any more.");
      },
    );

    app.get(
      "/api/v1/subscribers",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "List subscribers",
          querystring: z.strictObject({
            kind: z.enum(["email", "webhook"]).optional(),
            state: z.enum(["pending", "confirmed", "unsubscribed"]).optional(),
          }),
          response: withProblems({ 200: z.object({ items: z.array(Subscriber) }) }),
        },
      },
      async (request) => ({ items: await listSubscribers(deps.store.db, request.query) }),
    );

    app.post(
      "/api/v1/subscribers",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary:
            "Add a subscriber (confirmed at once); a webhook subscriber's signing secret is returned once",
          body: SubscribeInput,
          response: withProblems({
            201: z.object({ subscriber: Subscriber, signingSecret: z.string().optional() }),
          }),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await subscribe(ctxOf(deps, request), request.body, { confirmed: true })),
    );

    app.delete(
      "/api/v1/subscribers/:subscriberId",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Remove a subscriber",
          params: z.object({ subscriberId: z.string().min(1).max(100) }),
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await removeSubscriber(deps.store.db, request.params.subscriberId);
        return reply.code(204).send(null);
      },
    );
  };
}

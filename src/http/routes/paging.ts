import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  acknowledgeByLink,
  acknowledgePage,
  addContactMethod,
  ContactMethod,
  ContactMethodInput,
  Escalation,
  getNotificationRules,
  getPage,
  ListPagesQuery,
  listContactMethods,
  listEscalations,
  listPages,
  NotificationRule,
  NotificationRulesInput,
  Page,
  pageByLink,
  removeContactMethod,
  setNotificationRules,
} from "../../oncall/paging/index.ts";
import { isAppError } from "../../shared/errors.ts";
import { escapeHtml } from "../../shared/html.ts";
import type { AppDeps } from "../app.ts";
import { STATUS_OF } from "../problem.ts";
import { rateLimiter } from "../rate-limit.ts";
import { ctxOf, IdParams, withProblems } from "../route-helpers.ts";

const tags = ["paging"];

const UserParams = z.object({
  userId: z.string().min(1).max(100).meta({ description: "A user id, or `me`" }),
});
const MethodParams = UserParams.extend({ methodId: z.string().min(1).max(100) });
const PageParams = z.object({ pageId: z.string().min(1).max(100) });
const LinkQuery = z.object({
  exp: z.string().max(20).meta({ description: "Unix seconds the link works until" }),
  sig: z.string().max(100).meta({ description: "The link's signature" }),
});

/** Pages for people who came from a message: small, no scripts, nothing loaded from elsewhere. */
function htmlPage(reply: FastifyReply, status: number, title: string, body: string) {
  return (
    reply
      .code(status)
      .type("text/html; charset=utf-8")
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      )
      // The URL carries the link's signature: keep it out of other sites' logs and of caches.
      .header("referrer-policy", "no-referrer")
      .header("cache-control", "no-store")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font-size:1.1rem;padding:.6em 1.4em;background:#1f5fbf;color:#fff;border:0;border-radius:4px;cursor:pointer}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
      )
  );
}

const para = (text: string) => `<p>${escapeHtml(text)}</p>`;

/** Who follows a link is not checked: a private incident's title stays out of these pages. */
function describe(page: Page): string {
  const { reference, severity, title } = page.incident;
  return `${reference} (${severity})${page.incident.private ? ", a private incident" : `: ${title}`}`;
}

function errorPage(reply: FastifyReply, error: unknown) {
  if (!isAppError(error)) throw error;
  const title = error.code === "conflict" ? "Nothing to acknowledge" : "This link cannot be used";
  return htmlPage(reply, STATUS_OF[error.code], title, para(error.message));
}

function ackVia(request: FastifyRequest): "web" | "api" {
  return request.actor?.kind === "user" && request.actor.via === "session" ? "web" : "api";
}

export function pagingRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const limit = rateLimiter({ max: 30, windowMs: 60_000 });
  return async (app) => {
    // The acknowledgement page's button is a plain HTML form; only this plugin's routes accept form posts.
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    app.get(
      "/api/v1/users/:userId/contact-methods",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List a person's contact methods (`me` for yours; admins: anyone's)",
          params: UserParams,
          response: withProblems({ 200: z.object({ items: z.array(ContactMethod) }) }),
        },
      },
      async (request) => listContactMethods(ctxOf(deps, request), request.params.userId),
    );

    app.post(
      "/api/v1/users/:userId/contact-methods",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Add a contact method",
          description:
            "kind email (address), chat_webhook (an incoming webhook URL that takes {text}), ntfy (server and topic, https://ntfy.sh/<topic>), webhook (Standard Webhooks-signed; the signing secret is returned once), sms or voice (an E.164 number; needs the server's SMS provider).",
          params: UserParams,
          body: ContactMethodInput,
          response: withProblems({
            201: z.object({ contactMethod: ContactMethod, signingSecret: z.string().optional() }),
          }),
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await addContactMethod(ctxOf(deps, request), request.params.userId, request.body)),
    );

    app.delete(
      "/api/v1/users/:userId/contact-methods/:methodId",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Remove a contact method, its rules and its notifications not sent yet",
          params: MethodParams,
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await removeContactMethod(ctxOf(deps, request), request.params.userId, request.params.methodId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/users/:userId/notification-rules",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "When each contact method is used, in minutes after a page",
          description: "Without rules, a person is emailed at their account's address at once.",
          params: UserParams,
          response: withProblems({ 200: z.object({ items: z.array(NotificationRule) }) }),
        },
      },
      async (request) => getNotificationRules(ctxOf(deps, request), request.params.userId),
    );

    app.put(
      "/api/v1/users/:userId/notification-rules",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Replace a person's notification rules",
          params: UserParams,
          body: NotificationRulesInput,
          response: withProblems({ 200: z.object({ items: z.array(NotificationRule) }) }),
        },
      },
      async (request) => setNotificationRules(ctxOf(deps, request), request.params.userId, request.body),
    );

    app.get(
      "/api/v1/pages",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List pages, newest first: yours, or everyone's with all=true (responders)",
          querystring: ListPagesQuery,
          response: withProblems({ 200: z.object({ items: z.array(Page) }) }),
        },
      },
      async (request) => listPages(ctxOf(deps, request), request.query),
    );

    app.get(
      "/api/v1/pages/:pageId",
      {
        config: { access: "viewer" },
        schema: { tags, summary: "Read a page", params: PageParams, response: withProblems({ 200: Page }) },
      },
      async (request) => getPage(ctxOf(deps, request), request.params.pageId),
    );

    app.post(
      "/api/v1/pages/:pageId/ack",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Acknowledge a page (the person paged, or a responder)",
          description:
            "Acknowledges the whole escalation: no further stage is paged and notifications not sent yet are cancelled. Whoever acknowledges takes the role if nobody holds it.",
          params: PageParams,
          response: withProblems({ 200: Page }),
        },
      },
      async (request) => acknowledgePage(ctxOf(deps, request), request.params.pageId, ackVia(request)),
    );

    app.get(
      "/api/v1/incidents/:id/escalations",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "An incident's escalations, with their stages and pages",
          params: IdParams,
          response: withProblems({ 200: z.object({ items: z.array(Escalation) }) }),
        },
      },
      async (request) => listEscalations(ctxOf(deps, request), request.params.id),
    );

    app.get(
      "/ack/:pageId",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary:
            "The acknowledgement page a page's link opens (a button: following the link changes nothing)",
          params: PageParams,
          querystring: LinkQuery,
        },
      },
      async (request, reply) => {
        limit(request);
        const { pageId } = request.params;
        const { exp, sig } = request.query;
        let page: Page;
        try {
          page = await pageByLink(ctxOf(deps, request), pageId, exp, sig);
        } catch (error) {
          return errorPage(reply, error);
        }
        if (page.status === "acknowledged") {
          return htmlPage(
            reply,
            200,
            "Acknowledged",
            para(`You acknowledged this page at ${page.acknowledgedAt}: ${describe(page)}.`),
          );
        }
        if (page.status === "cancelled") {
          return htmlPage(
            reply,
            200,
            "Nothing to acknowledge",
            para(
              `Paging has stopped for ${describe(page)}: someone else acknowledged it, or it was resolved.`,
            ),
          );
        }
        const action = `/ack/${encodeURIComponent(pageId)}?exp=${encodeURIComponent(exp)}&sig=${encodeURIComponent(sig)}`;
        return htmlPage(
          reply,
          200,
          `Acknowledge ${page.incident.reference}`,
          [
            para(
              `${page.user.name}, you are paged as ${page.roleName} (${page.stageLabel}) for ${describe(page)}.`,
            ),
            para("Acknowledging stops the escalation: nobody else is paged for this role."),
            `<form method="post" action="${escapeHtml(action)}"><button type="submit">Acknowledge</button></form>`,
          ].join(""),
        );
      },
    );

    app.post(
      "/ack/:pageId",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "Acknowledge a page with its signed link (the page's button, or an ntfy action)",
          params: PageParams,
          querystring: LinkQuery,
        },
      },
      async (request, reply) => {
        limit(request);
        let page: Page;
        try {
          page = await acknowledgeByLink(
            ctxOf(deps, request),
            request.params.pageId,
            request.query.exp,
            request.query.sig,
          );
        } catch (error) {
          return errorPage(reply, error);
        }
        return htmlPage(
          reply,
          200,
          "Acknowledged",
          para(
            `Thank you, ${page.user.name}: you acknowledged the page for ${describe(page)}. Nobody else will be paged for ${page.roleName}.`,
          ) +
            `<p><a href="/app/incidents/${encodeURIComponent(page.incident.reference)}">Open the incident</a></p>`,
        );
      },
    );
  };
}

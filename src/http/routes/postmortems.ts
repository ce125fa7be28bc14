import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  changePostmortemStatus,
  createPostmortem,
  EditPostmortemInput,
  editPostmortem,
  exportPostmortem,
  getPostmortem,
  MarkdownPreviewInput,
  Postmortem,
  type PostmortemCtx,
  type PostmortemExport,
  PostmortemStatusInput,
  PublicVersionInput,
  publishPublicVersion,
  savePublicVersion,
} from "../../review/postmortems/index.ts";
import { renderMarkdown } from "../../shared/markdown.ts";
import type { AppDeps } from "../app.ts";
import { Problem } from "../problem.ts";
import { rateLimiter } from "../rate-limit.ts";
import { ctxOf, expectedVersion, IdParams, setEtag, withProblems } from "../route-helpers.ts";

const tags = ["postmortems"];

/** A 200,000-character postmortem is larger than that in JSON (escapes, UTF-8): room for it. */
const POSTMORTEM_BODY_LIMIT = 1024 * 1024;

const PREVIEWS_PER_MINUTE = 60;

const ExportQuery = z.strictObject({
  version: z
    .enum(["internal", "public"])
    .default("internal")
    .meta({ description: "internal (default): the postmortem; public: the customer-facing version" }),
});

/** The blameless postmortem of an incident, its public version, exports, and a Markdown preview. */
export function postmortemRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const ctx = (request: FastifyRequest): PostmortemCtx => ({
    ...ctxOf(deps, request),
    pageUrl: deps.statusPage.pageUrl,
  });
  const send = (reply: FastifyReply, postmortem: Postmortem, code = 200) => {
    setEtag(reply, postmortem.version);
    return reply.code(code).send(postmortem);
  };
  const sendFile = (reply: FastifyReply, file: PostmortemExport) => {
    reply
      .header("content-type", file.contentType)
      .header("content-disposition", `attachment; filename="${file.filename}"`)
      .header("x-content-type-options", "nosniff")
      .header("cache-control", "private, no-store");
    if (file.csp) reply.header("content-security-policy", file.csp);
    return reply.send(file.body);
  };

  const limitPreviews = rateLimiter({ max: PREVIEWS_PER_MINUTE, windowMs: 60_000 });

  return async (app) => {
    app.post(
      "/api/v1/incidents/:id/postmortem",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Draft the postmortem from the incident",
          description:
            "One `## Section` per section of the plan's postmortem template, each with its prompt as an HTML comment, prefilled with what the incident knows: summary, impact and durations, detection, roles, the timeline with the final fix marked, communications, action items. 409 when the incident already has one.",
          params: IdParams,
          response: withProblems({ 201: Postmortem }),
        },
      },
      async (request, reply) => {
        const postmortem = await createPostmortem(ctx(request), request.params.id);
        reply.header("location", `/api/v1/incidents/${postmortem.incidentId}/postmortem`);
        return send(reply, postmortem, 201);
      },
    );

    app.get(
      "/api/v1/incidents/:id/postmortem",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read the postmortem (Markdown and sanitized HTML)",
          params: IdParams,
          response: withProblems({ 200: Postmortem }),
        },
      },
      async (request, reply) => send(reply, await getPostmortem(ctx(request), request.params.id)),
    );

    app.put(
      "/api/v1/incidents/:id/postmortem",
      {
        config: { access: "responder" },
        bodyLimit: POSTMORTEM_BODY_LIMIT,
        schema: {
          tags,
          summary: "Save the postmortem's Markdown",
          description:
            "Send the version you read: 409 when someone saved since. A published postmortem can no longer be changed (422).",
          params: IdParams,
          body: EditPostmortemInput,
          response: withProblems({ 200: Postmortem }),
        },
      },
      async (request, reply) =>
        send(reply, await editPostmortem(ctx(request), request.params.id, request.body)),
    );

    app.post(
      "/api/v1/incidents/:id/postmortem/status",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Move the postmortem: draft → in_review → published, or in_review → draft",
          params: IdParams,
          body: PostmortemStatusInput,
          response: withProblems({ 200: Postmortem }),
        },
      },
      async (request, reply) =>
        send(
          reply,
          await changePostmortemStatus(
            ctx(request),
            request.params.id,
            request.body,
            expectedVersion(request),
          ),
        ),
    );

    app.put(
      "/api/v1/incidents/:id/postmortem/public",
      {
        config: { access: "responder" },
        bodyLimit: POSTMORTEM_BODY_LIMIT,
        schema: {
          tags,
          summary: "Save the public version (title and Markdown)",
          description:
            "Once published, saving corrects what the status page shows at once; subscribers are not sent it again.",
          params: IdParams,
          body: PublicVersionInput,
          response: withProblems({ 200: Postmortem }),
        },
      },
      async (request, reply) =>
        send(reply, await savePublicVersion(ctx(request), request.params.id, request.body)),
    );

    app.post(
      "/api/v1/incidents/:id/postmortem/public/publish",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Publish the public version on the status page and send it to subscribers",
          description:
            'Needs a resolved, non-private, non-drill incident whose postmortem is in review or published, a saved public version, and no "no" from the review\'s public-postmortem decision (422 with the reason otherwise). Send If-Match: "<version>" to publish only what you read.',
          params: IdParams,
          response: withProblems({ 200: Postmortem }),
        },
      },
      async (request, reply) =>
        send(reply, await publishPublicVersion(ctx(request), request.params.id, expectedVersion(request))),
    );

    app.get(
      "/api/v1/incidents/:id/postmortem.md",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Export the postmortem as Markdown",
          params: IdParams,
          querystring: ExportQuery,
          produces: ["text/markdown"],
          response: withProblems({ 200: z.string() }),
        },
      },
      async (request, reply) =>
        sendFile(
          reply,
          await exportPostmortem(ctx(request), request.params.id, {
            format: "md",
            version: request.query.version,
          }),
        ),
    );

    app.get(
      "/api/v1/incidents/:id/postmortem.html",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Export the postmortem as a standalone HTML document",
          description:
            "Sanitized, with one inline stylesheet and its own Content-Security-Policy; no script.",
          params: IdParams,
          querystring: ExportQuery,
          produces: ["text/html"],
          response: withProblems({ 200: z.string() }),
        },
      },
      async (request, reply) =>
        sendFile(
          reply,
          await exportPostmortem(ctx(request), request.params.id, {
            format: "html",
            version: request.query.version,
          }),
        ),
    );

    app.post(
      "/api/v1/markdown/preview",
      {
        config: { access: "responder" },
        bodyLimit: POSTMORTEM_BODY_LIMIT,
        schema: {
          tags,
          summary: "Render Markdown as the server does: sanitized HTML",
          description: `For editors' previews; at most ${PREVIEWS_PER_MINUTE} a minute from one address (a long document costs real work).`,
          body: MarkdownPreviewInput,
          response: withProblems({ 200: z.object({ html: z.string() }), 429: Problem }),
        },
      },
      async (request) => {
        limitPreviews(request);
        return { html: renderMarkdown(request.body.markdown) };
      },
    );
  };
}

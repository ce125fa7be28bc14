import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listUpdates, retryDelivery } from "../../comms/deliveries.ts";
import {
  ChannelPreview,
  Delivery,
  PublishUpdateInput,
  StatusUpdate,
  UpdatePreview,
  UpdatePreviewInput,
} from "../../comms/model.ts";
import { channelsFor, latestReply, previewUpdate } from "../../comms/preview.ts";
import { publishUpdate } from "../../comms/publish.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, IdParams, withProblems } from "../route-helpers.ts";

const tags = ["updates"];

export function updateRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/incidents/:id/channels",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary:
            "The plan's channels for this incident: which apply now and why, and who may publish there",
          params: IdParams,
          response: withProblems({ 200: z.object({ items: z.array(ChannelPreview) }) }),
        },
      },
      async (request) => ({ items: await channelsFor(ctxOf(deps, request), request.params.id) }),
    );

    app.post(
      "/api/v1/incidents/:id/updates/preview",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary:
            "Fill a phase's template with the incident's facts, and show every channel's version with its length and limit",
          params: IdParams,
          body: UpdatePreviewInput,
          response: withProblems({ 200: UpdatePreview }),
        },
      },
      async (request) => previewUpdate(ctxOf(deps, request), request.params.id, request.body),
    );

    app.post(
      "/api/v1/incidents/:id/updates",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Post a status update to the chosen channels",
          description:
            "Each channel must apply now (the plan's when) and you must be allowed there (its who; else 403). One delivery per channel and target is queued in the same transaction and sent by the worker, with retries. A message a channel would shorten needs confirmShortened.",
          params: IdParams,
          body: PublishUpdateInput,
          response: withProblems({ 201: StatusUpdate }),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await publishUpdate(ctxOf(deps, request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/incidents/:id/updates",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "The incident's status updates, oldest first, with their deliveries",
          params: IdParams,
          response: withProblems({ 200: z.object({ items: z.array(StatusUpdate) }) }),
        },
      },
      async (request) => ({ items: await listUpdates(ctxOf(deps, request), request.params.id) }),
    );

    app.post(
      "/api/v1/incidents/:id/deliveries/:deliveryId/retry",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Send a failed or dead delivery again now",
          params: IdParams.extend({ deliveryId: z.string().min(1).max(100) }),
          response: withProblems({ 200: Delivery }),
        },
      },
      async (request) => retryDelivery(ctxOf(deps, request), request.params.id, request.params.deliveryId),
    );

    app.get(
      "/api/v1/incidents/:id/updates/latest/reply",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "A ready-to-send reply for support tickets, from the latest external update",
          params: IdParams,
          querystring: z.strictObject({ format: z.enum(["text", "html"]).default("text") }),
        },
      },
      async (request, reply) => {
        const body = await latestReply(ctxOf(deps, request), request.params.id, request.query.format);
        return reply
          .type(request.query.format === "html" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8")
          .send(body);
      },
    );
  };
}

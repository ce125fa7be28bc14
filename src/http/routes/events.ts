import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { canSee, visibleIncidentRow } from "../../incidents/index.ts";
import type { IncidentEvent } from "../../shared/events.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const PING_MS = 25_000;

/**
 * GET /api/v1/events: a server-sent events stream of incident changes, so the
 * web app shows other people's changes without reloading. Each event names
 * the incident and the kind of change; clients read the incident again.
 */
export function eventRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Open streams end when the server closes, or closing would wait for them forever.
    const open = new Set<() => void>();
    app.addHook("preClose", async () => {
      for (const end of open) end();
    });

    app.get(
      "/api/v1/events",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["incidents"],
          summary: "Follow incident changes live (server-sent events)",
          description:
            'text/event-stream. Each change is `event: incident` with data `{"incidentId", "reference", "kind", "version"}`; a `: ping` comment comes every 25 s. Private incidents are sent only to those who may see them.',
          querystring: z.strictObject({
            incident: z
              .string()
              .min(1)
              .max(100)
              .optional()
              .meta({ description: "Only this incident (id or reference)" }),
          }),
          response: withProblems({ 200: z.string().meta({ description: "text/event-stream" }) }),
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(deps, request);
        const only = request.query.incident
          ? (await visibleIncidentRow(ctx, deps.store.db, request.query.incident)).id
          : null;
        // Whether this caller may see a private incident, asked once per incident per stream.
        const allowed = new Map<string, Promise<boolean>>();
        const mayReceive = async (event: IncidentEvent): Promise<boolean> => {
          if (only && event.incidentId !== only) return false;
          if (!event.private) return true;
          let answer = allowed.get(event.incidentId);
          if (!answer) {
            answer = deps.store.db
              .selectFrom("incidents")
              .selectAll()
              .where("id", "=", event.incidentId)
              .executeTakeFirst()
              .then((row) => (row ? canSee(ctx, deps.store.db, row) : false));
            allowed.set(event.incidentId, answer);
          }
          return answer;
        };

        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        raw.write(": connected\n\n");
        const unsubscribe = deps.events.subscribe((event) => {
          void mayReceive(event).then((ok) => {
            if (!ok || raw.writableEnded) return;
            const { private: _hidden, ...data } = event;
            raw.write(`event: incident\ndata: ${JSON.stringify(data)}\n\n`);
          });
        });
        const ping = setInterval(() => raw.write(": ping\n\n"), PING_MS);
        const end = () => {
          clearInterval(ping);
          unsubscribe();
          open.delete(end);
          if (!raw.writableEnded) raw.end();
        };
        open.add(end);
        request.raw.once("close", end);
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { deleteChannelSecret, listChannelSecrets, storeChannelSecret } from "../../comms/secrets.ts";
import { notFound } from "../../shared/errors.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const tags = ["channels"];
const Params = z.object({
  channelId: z.string().min(1).max(100),
  name: z.string().regex(/^[a-z0-9_-]{1,64}$/, "lowercase letters, digits, - or _"),
});

/** Channel credentials kept in Runsheet, encrypted; written and listed by name, never read back. */
export function channelRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/channels/secrets",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "The names of the stored channel secrets (never their values)",
          response: withProblems({
            200: z.object({
              items: z.array(z.object({ channelId: z.string(), name: z.string(), updatedAt: z.string() })),
            }),
          }),
        },
      },
      async () => ({ items: await listChannelSecrets(deps.store.db) }),
    );

    app.put(
      "/api/v1/channels/:channelId/secrets/:name",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Store a channel secret, encrypted (refer to it in the plan as { secret: name })",
          params: Params,
          body: z.strictObject({ value: z.string().min(1).max(10_000) }),
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        const { plan } = deps.plans.current();
        if (!plan.channels.some((c) => c.id === request.params.channelId))
          throw notFound(`Channel ${request.params.channelId} in the plan`);
        await storeChannelSecret(
          ctxOf(deps, request),
          deps.comms.secrets,
          request.params.channelId,
          request.params.name,
          request.body.value,
        );
        return reply.code(204).send(null);
      },
    );

    app.delete(
      "/api/v1/channels/:channelId/secrets/:name",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Delete a stored channel secret",
          params: Params,
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        if (!(await deleteChannelSecret(deps.store.db, request.params.channelId, request.params.name))) {
          throw notFound(`Secret ${request.params.name} of channel ${request.params.channelId}`);
        }
        return reply.code(204).send(null);
      },
    );
  };
}

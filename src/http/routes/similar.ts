import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listSimilar, SimilarList } from "../../review/similar/index.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, IdParams, withProblems } from "../route-helpers.ts";

export function similarRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/incidents/:id/similar",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["incidents"],
          summary: "Similar past incidents, found when it was declared",
          description:
            "Scored by shared components, alert keys and title words (docs/VALUES.md); each with its postmortem and its action items still open. repeatOf names the one this incident repeats.",
          params: IdParams,
          response: withProblems({ 200: SimilarList }),
        },
      },
      async (request) => listSimilar(ctxOf(deps, request), request.params.id, deps.statusPage.pageUrl),
    );
  };
}

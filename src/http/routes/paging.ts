import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "../app.ts";

/** Contact methods, notification rules, pages and their acknowledgement. */
export function pagingRoutes(_deps: AppDeps): FastifyPluginAsyncZod {
  return async () => {};
}

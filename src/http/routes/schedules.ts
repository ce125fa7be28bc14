import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "../app.ts";

/** Schedules: who is on call, overrides, calendar feeds. */
export function scheduleRoutes(_deps: AppDeps): FastifyPluginAsyncZod {
  return async () => {};
}

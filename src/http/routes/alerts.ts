import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppDeps } from "../app.ts";

/** Alert intake (PagerDuty Events v2, Alertmanager, Grafana, generic, heartbeats), integrations and alerts. */
export function alertRoutes(_deps: AppDeps): FastifyPluginAsyncZod {
  return async () => {};
}

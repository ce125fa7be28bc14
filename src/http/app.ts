import { createServer } from "node:http";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { FirstRunSetup } from "../auth/setup.ts";
import { type CommsRuntime, createCommsRuntime } from "../comms/runtime.ts";
import type { PlanHolder } from "../plan/versions.ts";
import type { Clock } from "../shared/clock.ts";
import { EventHub } from "../shared/events.ts";
import { type StatusPage, type StatusPageOptions, startStatusPage } from "../statuspage/index.ts";
import type { Store } from "../store/open.ts";
import { type RouteInfo, registerAuth } from "./auth.ts";
import { HttpMetrics } from "./metrics.ts";
import { registerErrorHandling } from "./problem.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { actionItemRoutes } from "./routes/action-items.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { channelRoutes } from "./routes/channels.ts";
import { eventRoutes } from "./routes/events.ts";
import { incidentRoutes } from "./routes/incidents.ts";
import { pagingRoutes } from "./routes/paging.ts";
import { planRoutes } from "./routes/plan.ts";
import { postmortemRoutes } from "./routes/postmortems.ts";
import { reviewRoutes } from "./routes/reviews.ts";
import { scheduleRoutes } from "./routes/schedules.ts";
import { similarRoutes } from "./routes/similar.ts";
import { statusPageRoutes } from "./routes/statuspage.ts";
import { subscriberRoutes } from "./routes/subscribers.ts";
import { updateRoutes } from "./routes/updates.ts";
import { valueRoutes } from "./routes/values.ts";
import { DEFAULT_WEB_DIST, webAppRoutes } from "./routes/web-app.ts";

export interface AppOptions {
  store: Store;
  plans: PlanHolder;
  clock: Clock;
  publicUrl: string;
  setup: FirstRunSetup;
  logger?: FastifyBaseLogger;
  events?: EventHub;
  /** The built web app (web/dist), served under /app. */
  webDistDir?: string;
  comms?: CommsRuntime;
  /** Where the public status page lives (default: the site root). */
  statusPage?: StatusPageOptions;
  /** Serve /metrics without a token (RUNSHEET_METRICS_PUBLIC=1). */
  metricsPublic?: boolean;
}

export type AppDeps = Omit<AppOptions, "statusPage"> & {
  events: EventHub;
  comms: CommsRuntime;
  statusPage: StatusPage;
};

export const BODY_LIMIT = 256 * 1024;
export const API_VERSION = "0.1.0";

/** Secrets never reach the logs: these request parts are replaced before a line is written. */
/**
 * What never reaches the logs: credentials in headers, and those carried in
 * URLs (integration keys, feed and confirmation tokens, acknowledgement
 * signatures), which are replaced while the rest of the URL stays readable.
 */
export const LOG_REDACT = {
  paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "req.url"],
  censor: (value: unknown, path: string[]) =>
    path.at(-1) === "url" && typeof value === "string" ? redactUrl(value) : "[Redacted]",
};

export function redactUrl(url: string): string {
  return url
    .replace(/(\/integrations\/)[^/?#]+/, "$1[key]")
    .replace(/([?&](?:token|sig|routing_key)=)[^&#]*/g, "$1[redacted]");
}

export type App = FastifyInstance & { routeTable: RouteInfo[]; statusPage: StatusPage };

export async function buildApp(options: AppOptions): Promise<App> {
  const events = options.events ?? new EventHub();
  const statusPage = await startStatusPage({ ...options, events }, options.statusPage ?? {}, options.logger);
  const deps: AppDeps = {
    ...options,
    events,
    comms: options.comms ?? createCommsRuntime({ env: {} }),
    statusPage,
  };
  const { site } = statusPage;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // The status page is answered from memory before Fastify sees the request:
    // under an outage's crowd, every microsecond per request counts.
    serverFactory: (handler) =>
      createServer((request, response) => {
        const found = site.lookup(request.method ?? "GET", request.url ?? "/", request.headers);
        if (!found) return handler(request, response);
        response.writeHead(found.status, found.headers);
        response.end(found.body ?? undefined);
      }),
    bodyLimit: BODY_LIMIT,
    // Ids in URLs are ours; a long one is a mistake or an attack.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses are documented by their zod schemas and checked by the tests; in
  // production they are serialized as they are, so a 10,000-entry timeline is fast.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Bodies are JSON (and YAML for the plan). No text/plain: a cross-site form cannot post here.
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser(
    ["application/yaml", "application/x-yaml", "text/yaml"],
    { parseAs: "string" },
    (_request, body, done) => done(null, body),
  );

  const routeTable: RouteInfo[] = [];
  registerErrorHandling(app);
  registerAuth(app, { store: deps.store, clock: deps.clock, publicPrefixes: ["/api/docs"] }, routeTable);
  // Counted by route pattern, never the raw URL, so the series stay bounded (src/http/metrics.ts).
  const httpMetrics = new HttpMetrics();
  app.addHook("onResponse", async (request, reply) => {
    httpMetrics.observe(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook("onClose", async () => httpMetrics.stop());

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Runsheet API",
        version: API_VERSION,
        description:
          "Your incident response plan as a running system. Authenticate with 'Authorization: Bearer <API token>' or the session cookie from /api/v1/auth/login. Errors are RFC 9457 problem documents.",
      },
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description: "An API token (rs_…) from `runsheet token create`",
          },
          session: { type: "apiKey", in: "cookie", name: "runsheet_session" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });

  app.get("/api/v1/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    "/healthz",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "Liveness and store check",
        response: { 200: z.object({ status: z.literal("ok"), store: z.string(), planVersion: z.number() }) },
      },
    },
    async () => {
      await deps.store.db.selectFrom("counters").select("name").limit(1).execute();
      return { status: "ok" as const, store: deps.store.dialect, planVersion: deps.plans.current().version };
    },
  );

  await app.register(accountRoutes(deps));
  await app.register(incidentRoutes(deps));
  await app.register(planRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(updateRoutes(deps));
  await app.register(subscriberRoutes(deps));
  await app.register(channelRoutes(deps));
  await app.register(alertRoutes(deps));
  await app.register(pagingRoutes(deps));
  await app.register(scheduleRoutes(deps));
  await app.register(actionItemRoutes(deps));
  await app.register(similarRoutes(deps));
  await app.register(valueRoutes({ ...deps, httpMetrics, metricsPublic: options.metricsPublic ?? false }));
  await app.register(postmortemRoutes(deps));
  await app.register(reviewRoutes(deps));
  await app.register(webAppRoutes({ distDir: deps.webDistDir ?? DEFAULT_WEB_DIST }));
  await app.register(statusPageRoutes(deps));
  app.addHook("onClose", async () => statusPage.stop());

  await app.ready();
  return Object.assign(app, { routeTable, statusPage }) as unknown as App;
}

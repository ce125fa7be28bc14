import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ComponentsInput,
  PageComponentView,
  PageSettings,
  PageSettingsInput,
  pageComponents,
  pageSettings,
  replaceComponents,
  updatePageSettings,
} from "../../statuspage/admin.ts";
import {
  getMaintenance,
  listMaintenances,
  Maintenance,
  MaintenanceUpdateInput,
  ScheduleMaintenanceInput,
  scheduleMaintenance,
  updateMaintenance,
} from "../../statuspage/maintenances.ts";
import { widgetSnippet } from "../../statuspage/render/widget.ts";
import type { ServeResponse } from "../../statuspage/site.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, expectedVersion, withProblems } from "../route-helpers.ts";

const tags = ["status page"];
const MaintenanceParams = z.object({ id: z.uuid("a maintenance id") });

export function send(reply: FastifyReply, response: ServeResponse) {
  reply.code(response.status).headers(response.headers);
  return reply.send(response.body ?? "");
}

/**
 * The public status page (served from memory; see statuspage/site.ts) and its
 * admin API: page settings and components (kept in the plan), maintenances.
 */
export function statusPageRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const { site } = deps.statusPage;
  return async (app) => {
    // Every path under the page's base that no other route claims: the page's
    // own files, or its 404. The API and the web app keep their own 404s.
    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      const found = site.lookup(request.method, request.url, request.headers);
      if (found) return send(reply, found);
      if (request.url.startsWith("/api/") || request.url.startsWith("/app/")) return reply.callNotFound();
      return send(reply, site.notFound(request.method, request.headers));
    };
    app.route({
      method: ["GET", "HEAD"],
      url: `${site.basePath}*`,
      config: { access: "public" },
      schema: { hide: true },
      handler: serve,
    });
    if (site.basePath !== "/") {
      app.route({
        method: ["GET", "HEAD"],
        url: site.basePath.slice(0, -1),
        config: { access: "public" },
        schema: { hide: true },
        handler: serve,
      });
    }

    app.get(
      "/api/v1/statuspage",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "The public status page: where it is, its settings, components, and how fresh it is",
          response: withProblems({
            200: z.object({
              url: z.string(),
              basePath: z.string(),
              settings: PageSettings,
              components: z.array(PageComponentView.extend({ status: z.string() })),
              status: z.object({ indicator: z.string(), description: z.string() }),
              renderedAt: z.string().nullable(),
              stale: z.boolean(),
              widgetSnippet: z.string(),
              badgeUrl: z.string(),
              feeds: z.object({ rss: z.string(), atom: z.string() }),
            }),
          }),
        },
      },
      async () => {
        const snapshot = site.snapshot();
        const statuses = new Map(snapshot?.components.map((c) => [c.id, c.status]));
        const url = deps.statusPage.pageUrl;
        return {
          url,
          basePath: site.basePath,
          settings: pageSettings(deps),
          components: pageComponents(deps).map((c) => ({
            ...c,
            status: statuses.get(c.id) ?? "operational",
          })),
          status: snapshot?.status ?? { indicator: "none", description: "Not rendered yet" },
          renderedAt: snapshot?.generatedAt ?? null,
          stale: snapshot?.stale != null,
          widgetSnippet: widgetSnippet(url),
          badgeUrl: `${url}/badge.svg`,
          feeds: { rss: `${url}/history.rss`, atom: `${url}/history.atom` },
        };
      },
    );

    app.put(
      "/api/v1/statuspage/settings",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Change the page's name, description, logo, colour, time zone or links",
          description: "Saved in the plan's status_page section as a new plan version. null removes a field.",
          body: PageSettingsInput,
          response: withProblems({ 200: PageSettings }),
        },
      },
      async (request) => updatePageSettings(ctxOf(deps, request), request.body),
    );

    app.put(
      "/api/v1/statuspage/components",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Replace the components and their groups, in page order",
          description: "Saved in the plan's components section as a new plan version.",
          body: ComponentsInput,
          response: withProblems({ 200: z.object({ components: z.array(PageComponentView) }) }),
        },
      },
      async (request) => ({ components: await replaceComponents(ctxOf(deps, request), request.body) }),
    );

    app.get(
      "/api/v1/maintenances",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Scheduled maintenances, newest first",
          querystring: z.strictObject({ status: z.enum(["upcoming", "active", "completed"]).optional() }),
          response: withProblems({ 200: z.object({ items: z.array(Maintenance) }) }),
        },
      },
      async (request) => ({ items: await listMaintenances(deps.store.db, request.query) }),
    );

    app.post(
      "/api/v1/maintenances",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Schedule a maintenance; it starts and completes on time unless told otherwise",
          body: ScheduleMaintenanceInput,
          response: withProblems({ 201: Maintenance }),
        },
      },
      async (request, reply) => {
        const maintenance = await scheduleMaintenance(ctxOf(deps, request), request.body);
        return reply.code(201).header("etag", `"${maintenance.version}"`).send(maintenance);
      },
    );

    app.get(
      "/api/v1/maintenances/:id",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "One maintenance with its updates",
          params: MaintenanceParams,
          response: withProblems({ 200: Maintenance }),
        },
      },
      async (request, reply) => {
        const maintenance = await getMaintenance(deps.store.db, request.params.id);
        return reply.header("etag", `"${maintenance.version}"`).send(maintenance);
      },
    );

    app.post(
      "/api/v1/maintenances/:id/updates",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Post an update, moving the maintenance on (in_progress, verifying, completed)",
          params: MaintenanceParams,
          body: MaintenanceUpdateInput,
          response: withProblems({ 200: Maintenance }),
        },
      },
      async (request, reply) => {
        const maintenance = await updateMaintenance(
          ctxOf(deps, request),
          request.params.id,
          request.body,
          expectedVersion(request),
        );
        return reply.header("etag", `"${maintenance.version}"`).send(maintenance);
      },
    );
  };
}

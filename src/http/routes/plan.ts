import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { parsePlan, renderPlanHtml, renderPlanMarkdown } from "../../plan/index.ts";
import { getPlanVersion, listPlanVersions, planInvalid, replacePlan } from "../../plan/versions.ts";
import type { AppDeps } from "../app.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const tags = ["plan"];
const PLAN_BODY_LIMIT = 1024 * 1024;

const PlanVersion = z
  .object({
    version: z.number().int(),
    source: z.enum(["file", "api"]),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: "PlanVersion" });

const PlanDocument = z
  .object({
    version: z.number().int(),
    yaml: z.string(),
    plan: z
      .record(z.string(), z.unknown())
      .meta({ description: "The parsed plan, as runsheet.schema.json describes" }),
  })
  .meta({ id: "PlanDocument" });

/** PUT /plan takes the YAML itself (Content-Type: application/yaml) or JSON {yaml}. */
const PlanBody = z.union([
  z.string().max(PLAN_BODY_LIMIT),
  z.strictObject({ yaml: z.string().max(PLAN_BODY_LIMIT) }),
]);
const yamlOf = (body: z.infer<typeof PlanBody>) => (typeof body === "string" ? body : body.yaml);

export function planRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/plan",
      {
        config: { access: "viewer" },
        schema: { tags, summary: "The current plan", response: withProblems({ 200: PlanDocument }) },
      },
      async () => {
        const current = deps.plans.current();
        const stored = await getPlanVersion(deps.store.db, current.version);
        return { version: current.version, yaml: stored.yaml, plan: current.plan };
      },
    );

    app.put(
      "/api/v1/plan",
      {
        config: { access: "admin" },
        bodyLimit: PLAN_BODY_LIMIT,
        schema: {
          tags,
          summary: "Replace the plan with a new version, after validation",
          description: "Errors name the line and column of the YAML.",
          body: PlanBody,
          response: withProblems({ 200: PlanDocument }),
        },
      },
      async (request) => {
        const text = yamlOf(request.body);
        const next = await replacePlan(ctxOf(deps, request), text);
        return { version: next.version, yaml: text, plan: next.plan };
      },
    );

    app.post(
      "/api/v1/plan/validate",
      {
        config: { access: "viewer" },
        bodyLimit: PLAN_BODY_LIMIT,
        schema: {
          tags,
          summary: "Check a plan without saving it",
          body: PlanBody,
          response: withProblems({
            200: z.object({
              valid: z.boolean(),
              errors: z.array(
                z.object({
                  path: z.string(),
                  message: z.string(),
                  hint: z.string().optional(),
                  line: z.number(),
                  col: z.number(),
                }),
              ),
            }),
          }),
        },
      },
      async (request) => {
        const result = parsePlan(yamlOf(request.body));
        return result.ok ? { valid: true, errors: [] } : { valid: false, errors: result.errors };
      },
    );

    app.get(
      "/api/v1/plan/versions",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Every version of the plan, newest first",
          response: withProblems({ 200: z.object({ items: z.array(PlanVersion) }) }),
        },
      },
      async () => ({ items: await listPlanVersions(deps.store.db) }),
    );

    app.get(
      "/api/v1/plan/versions/:version",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "One version of the plan",
          params: z.object({ version: z.coerce.number().int().min(1) }),
          response: withProblems({ 200: PlanVersion.extend({ yaml: z.string() }) }),
        },
      },
      async (request) => getPlanVersion(deps.store.db, request.params.version),
    );

    app.get(
      "/api/v1/plan/export",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "The filled-in sheet as Markdown or printable HTML",
          querystring: z.strictObject({
            format: z.enum(["md", "html"]).default("html"),
            version: z.coerce.number().int().min(1).optional(),
          }),
        },
      },
      async (request, reply) => {
        let plan = deps.plans.current().plan;
        if (request.query.version) {
          const parsed = parsePlan((await getPlanVersion(deps.store.db, request.query.version)).yaml);
          if (!parsed.ok) throw planInvalid(parsed.errors);
          plan = parsed.plan;
        }
        if (request.query.format === "md")
          return reply.type("text/markdown; charset=utf-8").send(renderPlanMarkdown(plan));
        return reply
          .type("text/html; charset=utf-8")
          .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
          .send(renderPlanHtml(plan));
      },
    );
  };
}

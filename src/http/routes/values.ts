import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { measureValues } from "../../review/metrics/facts.ts";
import { PROMETHEUS_CONTENT_TYPE, valuesCsv, valuesPrometheus } from "../../review/metrics/index.ts";
import type { AppDeps } from "../app.ts";
import type { HttpMetrics } from "../metrics.ts";
import { withProblems } from "../route-helpers.ts";

const DAY_MS = 86_400_000;
/** GET /api/v1/values without `from`: the last 90 days. */
export const DEFAULT_RANGE_DAYS = 90;
/** /metrics exposes the values of the last 30 days (label range="30d"). */
export const METRICS_RANGE_DAYS = 30;

const Share = z.number().nullable().meta({ description: "A fraction in [0, 1]; null without data" });
const Distribution = z
  .object({ count: z.number().int(), p50: z.number().nullable(), p90: z.number().nullable() })
  .meta({
    id: "Distribution",
    description: "Seconds: how many, and the nearest-rank median and 90th percentile",
  });

export const ValuesReport = z
  .object({
    from: z.string(),
    to: z.string(),
    now: z.string(),
    filters: z.object({
      severity: z.array(z.string()).nullable(),
      service: z.string().nullable(),
      team: z.string().nullable(),
    }),
    incidents: z.number().int().meta({ description: "Incidents declared in the range, drills excluded" }),
    detect: z.object({
      monitoring: z.number().int(),
      customer: z.number().int(),
      employee: z.number().int(),
      monitoringShare: Share,
      customerShare: Share,
      timeToDetect: Distribution,
    }),
    respond: z.object({
      paged: z.number().int(),
      acknowledged: z.number().int(),
      timeToAck: Distribution,
      timeToFirstUpdate: Distribution,
      cadence: z.object({ updates: z.number().int(), onCadence: z.number().int(), share: Share }),
    }),
    recover: z.object({
      timeToMitigate: Distribution,
      timeToResolve: Distribution,
      unresolved: z.number().int(),
    }),
    learn: z.object({
      reviews: z.object({
        required: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int(),
        pending: z.number().int(),
        onTimeShare: Share,
      }),
      postmortems: z.object({ published: z.number().int(), share: Share }),
    }),
    improve: z.object({
      actions: z.object({
        due: z.number().int(),
        onTime: z.number().int(),
        late: z.number().int(),
        openPastDue: z.number().int(),
        onTimeShare: Share,
      }),
      repeats: z.object({ count: z.number().int(), share: Share }),
    }),
    weekly: z.array(
      z.object({
        weekStart: z.string(),
        incidents: z.number().int(),
        detect: z.object({ monitoringShare: Share }),
        respond: z.object({ ackP50: z.number().nullable() }),
        recover: z.object({ resolveP50: z.number().nullable() }),
        learn: z.object({ reviewOnTimeShare: Share }),
        improve: z.object({ actionsOnTimeShare: Share, repeats: z.number().int() }),
      }),
    ),
  })
  .meta({ id: "ValuesReport", description: "The five values measured over a range (docs/VALUES.md)" });

const Timestamp = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-09-01T00:00:00Z",
});

export const ValuesQuery = z.strictObject({
  from: Timestamp.optional().meta({ description: "Inclusive; defaults to 90 days before `to`" }),
  to: Timestamp.optional().meta({ description: "Exclusive; defaults to now" }),
  severity: z
    .string()
    .max(1_000)
    .optional()
    .meta({ description: "Severity ids, comma-separated (sev1,sev2); all when absent" }),
  service: z.string().min(1).max(100).optional().meta({ description: "A component id" }),
  team: z.string().min(1).max(100).optional().meta({
    description: "Incidents have no team: with a team, only the team's action items (Improve) are counted",
  }),
});

function queryOf(query: z.output<typeof ValuesQuery>, now: Date) {
  const to = query.to ?? now.toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_RANGE_DAYS * DAY_MS).toISOString();
  const severity = query.severity
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    from,
    to,
    now: now.toISOString(),
    ...(severity && severity.length > 0 ? { severity } : {}),
    ...(query.service ? { service: query.service } : {}),
    ...(query.team ? { team: query.team } : {}),
  };
}

export function valueRoutes(
  deps: AppDeps & { httpMetrics: HttpMetrics; metricsPublic: boolean },
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/v1/values",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["values"],
          summary: "Detect, Respond, Recover, Learn, Improve: measured over a range",
          description:
            "Incidents declared in [from, to), drills excluded (private ones included: only numbers are shown). Defaults to the last 90 days. Every figure is defined in docs/VALUES.md.",
          querystring: ValuesQuery,
          response: withProblems({ 200: ValuesReport }),
        },
      },
      async (request) => measureValues(deps, queryOf(request.query, deps.clock.now())),
    );

    app.get(
      "/api/v1/values.csv",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["values"],
          summary: "The values as CSV",
          description: "The same figures as /api/v1/values, one per row, then the weekly trend (RFC 4180).",
          querystring: ValuesQuery,
          produces: ["text/csv"],
          response: withProblems({ 200: z.string() }),
        },
      },
      async (request, reply) => {
        const report = await measureValues(deps, queryOf(request.query, deps.clock.now()));
        const day = (iso: string) => iso.slice(0, 10);
        return reply
          .type("text/csv; charset=utf-8")
          .header(
            "content-disposition",
            `attachment; filename="runsheet-values-${day(report.from)}-${day(report.to)}.csv"`,
          )
          .send(valuesCsv(report));
      },
    );

    app.get(
      "/metrics",
      {
        config: { access: deps.metricsPublic ? "public" : "viewer" },
        schema: {
          tags: ["values"],
          summary: "Prometheus metrics: the values of the last 30 days, HTTP and process metrics",
          description:
            'Text exposition format 0.0.4. Needs an API token of any role (Authorization: Bearer rs_…), unless the server runs with RUNSHEET_METRICS_PUBLIC=1. The values carry range="30d".',
          produces: [PROMETHEUS_CONTENT_TYPE],
          response: withProblems({ 200: z.string() }),
        },
      },
      async (_request, reply) => {
        const now = deps.clock.now();
        const report = await measureValues(deps, {
          from: new Date(now.getTime() - METRICS_RANGE_DAYS * DAY_MS).toISOString(),
          to: now.toISOString(),
          now: now.toISOString(),
        });
        const text =
          valuesPrometheus(report, { range: `${METRICS_RANGE_DAYS}d` }) + deps.httpMetrics.render();
        return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
      },
    );
  };
}

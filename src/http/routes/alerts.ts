import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  AlertDetail,
  AlertIntake,
  AlertmanagerWebhook,
  Alert as AlertSchema,
  accepted,
  acceptProposal,
  acknowledgeAlert,
  CreatedIntegration,
  CreateIntegrationInput,
  createIntegration,
  disableIntegration,
  dismissProposal,
  GenericBody,
  GrafanaWebhook,
  genericEvents,
  getAlert,
  IntegrationKeys,
  type IntegrationRef,
  Integration as IntegrationSchema,
  type IntegrationType,
  type ItemOutcome,
  invalidEvent,
  KeyRateLimiter,
  ListAlertsQuery,
  listAlerts,
  listIntegrations,
  parseGenericBody,
  parsePagerDutyEvent,
  recordHeartbeat,
  resolveAlert,
  throttled,
  webhookEvents,
} from "../../alerts/index.ts";
import { Incident } from "../../incidents/index.ts";
import { AppError, isAppError } from "../../shared/errors.ts";
import type { AppDeps } from "../app.ts";
import { STATUS_OF } from "../problem.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const tags = ["alerts"];
const PAGERDUTY_BODY_LIMIT = 512 * 1024;
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const AlertParams = z.object({ id: z.string().min(1).max(100).meta({ description: "Alert id" }) });
const IntegrationParams = z.object({
  id: z.string().min(1).max(100).meta({ description: "Integration id" }),
});
const KeyParams = z.object({
  key: z.string().min(1).max(200).meta({ description: "The integration key: it is the credential" }),
});

const PagerDutyEvent = z
  .object({
    routing_key: z.string().meta({ description: "The integration key" }),
    event_action: z.enum(["trigger", "acknowledge", "resolve"]),
    dedup_key: z.string().max(255).optional(),
    payload: z
      .object({
        summary: z.string().max(1024),
        source: z.string(),
        severity: z.enum(["critical", "error", "warning", "info"]),
        timestamp: z.string().optional(),
        component: z.string().optional(),
        group: z.string().optional(),
        class: z.string().optional(),
        custom_details: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    images: z
      .array(z.object({ src: z.string(), href: z.string().optional(), alt: z.string().optional() }))
      .optional(),
    links: z.array(z.object({ href: z.string(), text: z.string().optional() })).optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
  })
  .meta({ id: "PagerDutyEvent", description: "PagerDuty Events API v2 event" });

const PagerDutyAccepted = z.object({
  status: z.literal("success"),
  message: z.literal("Event processed"),
  dedup_key: z.string(),
});
const PagerDutyInvalid = z.object({ status: z.string(), message: z.string(), errors: z.array(z.string()) });
const PagerDutyThrottled = z.object({ status: z.string(), message: z.string() });

const IntakeAccepted = z
  .object({
    status: z.literal("success"),
    accepted: z.number().meta({ description: "How many events were applied" }),
    dedupKeys: z.array(z.string()).meta({ description: "Each event's alert key, in order" }),
  })
  .meta({ id: "IntakeAccepted" });

function intakeAccepted(outcomes: ItemOutcome[]) {
  return {
    status: "success" as const,
    accepted: outcomes.length,
    dedupKeys: outcomes.map((o) => o.dedupKey),
  };
}

/** The schema is for the API document only: the handler checks the body itself, to answer as PagerDuty does. */
const documentOnly = () => (value: unknown) => ({ value });

/**
 * Alert intake (PagerDuty Events v2, Alertmanager, Grafana, generic,
 * heartbeats), integrations and alerts. Intake endpoints are public: the
 * integration key in the body or the URL is the sender's credential.
 */
export function alertRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const system = { ...deps, actor: { kind: "system" as const } };
    const intake = new AlertIntake(system);
    const keys = new IntegrationKeys(deps.store.db);
    const limiter = new KeyRateLimiter();
    app.addHook("onClose", async () => intake.idle());

    /** The rate limit's answer for an integration, or null to go on. */
    function throttle(integration: IntegrationRef): AppError | null {
      const wait = limiter.take(integration, deps.clock.now().getTime());
      if (wait === null) return null;
      return Object.assign(
        new AppError(
          "rate_limited",
          `This integration may send ${integration.rateLimitPerMinute} requests a minute; try again in ${wait} s.`,
        ),
        { retryAfterSeconds: wait },
      );
    }

    async function integrationFor(key: string, type: IntegrationType): Promise<IntegrationRef> {
      const integration = await keys.find(key);
      if (!integration || integration.type !== type) {
        throw new AppError("not_found", `No ${type} integration has this key (or it was disabled).`, [
          {
            path: "params.key",
            message: "unknown key",
            hint: "use the URL shown when the integration was created",
          },
        ]);
      }
      const refused = throttle(integration);
      if (refused) throw refused;
      return integration;
    }

    app.post(
      "/v2/enqueue",
      {
        config: { access: "public" },
        bodyLimit: PAGERDUTY_BODY_LIMIT,
        validatorCompiler: documentOnly,
        errorHandler: pagerDutyErrors,
        schema: {
          tags,
          summary: "Send an event (PagerDuty Events API v2)",
          description:
            "Compatible with PagerDuty's Events API v2: point a tool's PagerDuty integration at this URL with a pagerduty integration's key as routing_key. Answers as PagerDuty does: 202 with the dedup_key, 400 'invalid event' with the errors, 429 when the key sends too fast.",
          security: [],
          body: PagerDutyEvent,
          response: {
            202: PagerDutyAccepted,
            400: PagerDutyInvalid,
            413: PagerDutyInvalid,
            429: PagerDutyThrottled,
          },
        },
      },
      async (request, reply) => {
        const parsed = parsePagerDutyEvent(request.body as unknown);
        if (!parsed.ok) return reply.code(400).send(invalidEvent(parsed.errors));
        const integration = await keys.find(parsed.routingKey);
        if (integration?.type !== "pagerduty") {
          return reply.code(400).send(invalidEvent(["Invalid routing key"]));
        }
        const refused = throttle(integration);
        if (refused) throw refused;
        await intake.submit(integration, [parsed.event]);
        return reply.code(202).send(accepted(parsed.event.dedupKey));
      },
    );

    app.post(
      "/api/v1/integrations/:key/alertmanager",
      {
        config: { access: "public" },
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags,
          summary: "Receive Prometheus Alertmanager notifications (webhook_config)",
          description:
            "Each alert is deduplicated by its fingerprint; the severity label sets the severity (critical, error, warning, info; otherwise warning); the summary annotation, else the alertname label, is the summary.",
          security: [],
          params: KeyParams,
          body: AlertmanagerWebhook,
          response: withProblems({ 202: IntakeAccepted }),
        },
      },
      async (request, reply) => {
        const integration = await integrationFor(request.params.key, "alertmanager");
        const outcomes = await intake.submit(integration, webhookEvents(request.body, "prometheus"));
        return reply.code(202).send(intakeAccepted(outcomes));
      },
    );

    app.post(
      "/api/v1/integrations/:key/grafana",
      {
        config: { access: "public" },
        bodyLimit: WEBHOOK_BODY_LIMIT,
        schema: {
          tags,
          summary: "Receive Grafana alerting notifications (webhook contact point)",
          security: [],
          params: KeyParams,
          body: GrafanaWebhook,
          response: withProblems({ 202: IntakeAccepted }),
        },
      },
      async (request, reply) => {
        const integration = await integrationFor(request.params.key, "grafana");
        const outcomes = await intake.submit(integration, webhookEvents(request.body, "grafana"));
        return reply.code(202).send(intakeAccepted(outcomes));
      },
    );

    app.post(
      "/api/v1/integrations/:key/generic",
      {
        config: { access: "public" },
        bodyLimit: PAGERDUTY_BODY_LIMIT,
        validatorCompiler: documentOnly,
        schema: {
          tags,
          summary: "Send events in Runsheet's own format",
          description:
            "One event or a list of up to 1,000: {dedupKey?, action?: trigger|acknowledge|resolve (default trigger), summary (for trigger), severity?: critical|error|warning|info (default warning), source?, component?, labels?: {name: value}, details?: {…}}. A trigger without dedupKey always opens a new alert; acknowledge and resolve need the dedupKey.",
          security: [],
          params: KeyParams,
          body: GenericBody,
          response: withProblems({ 202: IntakeAccepted }),
        },
      },
      async (request, reply) => {
        const parsed = parseGenericBody(request.body as unknown);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({
            path: ["body", ...i.path.map(String)].join("."),
            message: i.message,
          }));
          throw new AppError(
            "bad_request",
            `The request is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
            issues,
          );
        }
        const integration = await integrationFor(request.params.key, "generic");
        const outcomes = await intake.submit(integration, genericEvents(parsed.data));
        return reply.code(202).send(intakeAccepted(outcomes));
      },
    );

    app.post(
      "/api/v1/integrations/:key/heartbeat",
      {
        config: { access: "public" },
        schema: {
          tags,
          summary: "Record a heartbeat",
          description:
            "When none arrives within the integration's heartbeatSeconds, the alert 'Heartbeat missed: <name>' is raised; the next heartbeat resolves it. Any body is ignored.",
          security: [],
          params: KeyParams,
          response: withProblems({ 200: z.object({ status: z.literal("ok"), receivedAt: z.string() }) }),
        },
      },
      async (request) => {
        const integration = await integrationFor(request.params.key, "heartbeat");
        const { receivedAt } = await recordHeartbeat(system, integration);
        return { status: "ok" as const, receivedAt };
      },
    );

    app.post(
      "/api/v1/integrations",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Create an integration",
          description:
            "Its key is shown only in this answer, with the URL to send events to (for pagerduty: /v2/enqueue with the key as routing_key).",
          body: CreateIntegrationInput,
          response: withProblems({ 201: CreatedIntegration }),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createIntegration(ctxOf(deps, request), request.body, keys)),
    );

    app.get(
      "/api/v1/integrations",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List integrations (never their keys)",
          response: withProblems({ 200: z.object({ items: z.array(IntegrationSchema) }) }),
        },
      },
      async () => ({ items: await listIntegrations(deps.store.db) }),
    );

    app.delete(
      "/api/v1/integrations/:id",
      {
        config: { access: "admin" },
        schema: {
          tags,
          summary: "Disable an integration: its key stops working; its alerts stay",
          params: IntegrationParams,
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await disableIntegration(ctxOf(deps, request), request.params.id, keys);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/alerts",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "List alerts, newest first",
          querystring: ListAlertsQuery,
          response: withProblems({
            200: z.object({ items: z.array(AlertSchema), nextCursor: z.string().optional() }),
          }),
        },
      },
      async (request) => listAlerts(ctxOf(deps, request), request.query),
    );

    app.get(
      "/api/v1/alerts/:id",
      {
        config: { access: "viewer" },
        schema: {
          tags,
          summary: "Read an alert",
          params: AlertParams,
          response: withProblems({ 200: AlertDetail }),
        },
      },
      async (request) => getAlert(ctxOf(deps, request), request.params.id),
    );

    const actions = [
      ["acknowledge", "Acknowledge an alert", acknowledgeAlert],
      ["resolve", "Resolve an alert", resolveAlert],
      ["dismiss", "Dismiss a proposed incident", dismissProposal],
    ] as const;
    for (const [action, summary, verb] of actions) {
      app.post(
        `/api/v1/alerts/:id/${action}`,
        {
          config: { access: "responder" },
          schema: { tags, summary, params: AlertParams, response: withProblems({ 200: AlertDetail }) },
        },
        async (request) => verb(ctxOf(deps, request), request.params.id),
      );
    }

    app.post(
      "/api/v1/alerts/:id/accept",
      {
        config: { access: "responder" },
        schema: {
          tags,
          summary: "Accept a proposed incident",
          description:
            "The alert joins the open incident its criterion declared, or declares one as the criterion says (severity, component impact, detected by monitoring).",
          params: AlertParams,
          response: withProblems({ 200: z.object({ alert: AlertDetail, incident: Incident }) }),
        },
      },
      async (request) => acceptProposal(ctxOf(deps, request), request.params.id),
    );
  };
}

/** /v2/enqueue speaks PagerDuty's error shapes, not problem documents: senders log these. */
function pagerDutyErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = isAppError(error) ? STATUS_OF[error.code] : (error.statusCode ?? 500);
  if (status === 429) {
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
    return reply.code(429).send(throttled());
  }
  if (status === 413) {
    return reply.code(413).send(invalidEvent([`Event is larger than ${PAGERDUTY_BODY_LIMIT / 1024} KB`]));
  }
  if (status === 401 || status === 403) return reply.code(status).send(invalidEvent([error.message]));
  if (status >= 400 && status < 500) {
    const message = status === 415 ? "Content-Type must be application/json" : error.message;
    return reply.code(400).send(invalidEvent([message]));
  }
  request.log.error({ err: error }, "event intake failed");
  return reply
    .code(500)
    .send({ status: "error", message: "The event could not be processed; send it again." });
}

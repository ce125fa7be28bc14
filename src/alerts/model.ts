import { z } from "zod";

/** Alert intake's shapes as the API speaks them (camelCase), and the event every format becomes. */

export const ALERT_SEVERITIES = ["critical", "error", "warning", "info"] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const EVENT_ACTIONS = ["trigger", "acknowledge", "resolve"] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export const INTEGRATION_TYPES = ["pagerduty", "alertmanager", "grafana", "generic", "heartbeat"] as const;
export const IntegrationType = z.enum(INTEGRATION_TYPES);
export type IntegrationType = z.infer<typeof IntegrationType>;

export const ALERT_STATUSES = ["triggered", "acknowledged", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What every intake format (PagerDuty, Alertmanager, Grafana, generic, heartbeats) is turned into. */
export interface IntakeEvent {
  action: EventAction;
  dedupKey: string;
  /** Required on trigger; acknowledge and resolve only name the alert. */
  summary: string;
  source: string | null;
  severity: AlertSeverity;
  component: string | null;
  group: string | null;
  class: string | null;
  /** What the plan's criteria match on (`match.labels`). */
  labels: Record<string, string>;
  details: Record<string, unknown>;
}

/** The integration an event came in through, as intake needs it (cached by key). */
export interface IntegrationRef {
  id: string;
  name: string;
  type: IntegrationType;
  /** A plan component: its maintenances silence this integration's alerts. */
  service: string | null;
  heartbeatSeconds: number | null;
  rateLimitPerMinute: number;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000;
export const DEFAULT_HEARTBEAT_SECONDS = 300;

export const CreateIntegrationInput = z
  .strictObject({
    name: z.string().trim().min(1, "give the integration a name").max(100),
    type: IntegrationType,
    service: z.string().min(1).max(100).optional().meta({
      description: "A plan component: alerts are silenced while it is under maintenance.",
    }),
    heartbeatSeconds: z
      .number()
      .int()
      .min(30)
      .max(86_400)
      .optional()
      .meta({
        description: `Heartbeat integrations only: an alert is raised when no heartbeat came for this long (default ${DEFAULT_HEARTBEAT_SECONDS}).`,
      }),
    rateLimitPerMinute: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .meta({
        description: `Requests a minute this key may send; more are answered 429 (default ${DEFAULT_RATE_LIMIT_PER_MINUTE}).`,
      }),
  })
  .superRefine((value, ctx) => {
    if (value.heartbeatSeconds !== undefined && value.type !== "heartbeat") {
      ctx.addIssue({
        code: "custom",
        path: ["heartbeatSeconds"],
        message: "only heartbeat integrations have a heartbeat interval",
      });
    }
  });
export type CreateIntegrationInput = z.input<typeof CreateIntegrationInput>;

export const Integration = z
  .object({
    id: z.string(),
    name: z.string(),
    type: IntegrationType,
    service: z.string().nullable(),
    keyPrefix: z.string().meta({ description: "The first characters of the key, to tell keys apart." }),
    heartbeatSeconds: z.number().nullable(),
    lastHeartbeatAt: z.string().nullable(),
    rateLimitPerMinute: z.number(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: "Integration" });
export type Integration = z.infer<typeof Integration>;

export const CreatedIntegration = Integration.extend({
  key: z.string().meta({ description: "The integration key (PagerDuty routing key). Shown only now." }),
  url: z.string().meta({ description: "Where the monitoring tool sends its events." }),
}).meta({ id: "CreatedIntegration" });
export type CreatedIntegration = z.infer<typeof CreatedIntegration>;

export const Alert = z
  .object({
    id: z.string(),
    dedupKey: z.string(),
    status: z.enum(ALERT_STATUSES),
    summary: z.string(),
    source: z.string().nullable(),
    severity: AlertSeverity,
    component: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    integrationId: z.string(),
    incidentId: z.string().nullable(),
    incident: z.object({ id: z.string(), reference: z.string(), title: z.string() }).nullable().meta({
      description:
        "The incident the alert joined, when the caller may see it (a private incident stays null; incidentId still names it).",
    }),
    criterionId: z.string().nullable().meta({ description: "The plan criterion the alert matched." }),
    proposal: z.enum(["pending", "accepted", "dismissed"]).nullable().meta({
      description: "For criteria with action: propose, whether someone still has to decide.",
    }),
    silenced: z.boolean().meta({ description: "Arrived while its service was under maintenance." }),
    eventCount: z.number(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
  })
  .meta({ id: "Alert" });
export type Alert = z.infer<typeof Alert>;

export const AlertDetail = Alert.extend({
  group: z.string().nullable(),
  class: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
}).meta({ id: "AlertDetail" });
export type AlertDetail = z.infer<typeof AlertDetail>;

export const ALERT_PAGE_MAX = 200;

export const ListAlertsQuery = z.strictObject({
  status: z.enum(["open", "resolved"]).optional().meta({ description: "open: not resolved" }),
  integration: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(ALERT_PAGE_MAX).default(50),
  cursor: z.string().max(300).optional(),
});
export type ListAlertsQuery = z.input<typeof ListAlertsQuery>;

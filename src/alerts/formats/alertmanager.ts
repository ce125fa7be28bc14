import { z } from "zod";
import { ALERT_SEVERITIES, type AlertSeverity, type IntakeEvent } from "../model.ts";

/**
 * Prometheus Alertmanager's webhook (`webhook_configs`, payload version "4")
 * and Grafana alerting's webhook contact point, which sends the same shape
 * (version "1") with a title, state and message on top. Each alert is
 * deduplicated by its fingerprint. Fields not listed here are ignored, as
 * newer releases add some.
 */
const MAX_ALERTS = 1_000;
const Labels = z.record(z.string(), z.string());

const WebhookAlert = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: Labels,
  annotations: Labels.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1, "each alert needs its fingerprint").max(255),
  // Grafana's extras.
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  values: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const AlertmanagerWebhook = z
  .object({
    version: z.string().optional(),
    groupKey: z.string().optional(),
    truncatedAlerts: z.number().optional(),
    status: z.enum(["firing", "resolved"]).optional(),
    receiver: z.string().optional(),
    groupLabels: Labels.optional(),
    commonLabels: Labels.optional(),
    commonAnnotations: Labels.optional(),
    externalURL: z.string().optional(),
    alerts: z.array(WebhookAlert).max(MAX_ALERTS),
  })
  .meta({ id: "AlertmanagerWebhook", description: "Alertmanager webhook_config payload, version 4" });
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

export const GrafanaWebhook = AlertmanagerWebhook.extend({
  orgId: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
}).meta({ id: "GrafanaWebhook", description: "Grafana alerting webhook contact point payload" });
export type GrafanaWebhook = z.infer<typeof GrafanaWebhook>;

/** Alertmanager has no severity field: the `severity` label is the convention. */
export function severityOfLabel(value: string | undefined): AlertSeverity {
  const lower = value?.toLowerCase();
  return ALERT_SEVERITIES.includes(lower as AlertSeverity) ? (lower as AlertSeverity) : "warning";
}

export function webhookEvents(body: GrafanaWebhook, source: "prometheus" | "grafana"): IntakeEvent[] {
  return body.alerts.map((alert) => {
    const annotations = alert.annotations ?? {};
    const summary =
      annotations.summary?.trim() ||
      alert.labels.alertname?.trim() ||
      body.title?.trim() ||
      `Alert ${alert.fingerprint}`;
    const details: Record<string, unknown> = { annotations };
    for (const field of [
      "startsAt",
      "endsAt",
      "generatorURL",
      "silenceURL",
      "dashboardURL",
      "panelURL",
      "imageURL",
      "values",
    ] as const) {
      const value = alert[field];
      if (value !== undefined && value !== null && value !== "") details[field] = value;
    }
    if (body.groupKey) details.groupKey = body.groupKey;
    if (body.externalURL) details.externalURL = body.externalURL;
    if (body.receiver) details.receiver = body.receiver;
    return {
      action: alert.status === "firing" ? "trigger" : "resolve",
      dedupKey: alert.fingerprint,
      summary: summary.slice(0, 1024),
      source,
      severity: severityOfLabel(alert.labels.severity),
      component: alert.labels.component ?? alert.labels.service ?? null,
      group: alert.labels.job ?? null,
      class: alert.labels.alertname ?? null,
      labels: alert.labels,
      details,
    } satisfies IntakeEvent;
  });
}

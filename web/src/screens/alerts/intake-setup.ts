import type { CreatedIntegration, Integration } from "../../api/types";

export type IntegrationType = Integration["type"];

/** The types, in the order offered, with what each is for. */
export const INTEGRATION_TYPES: ReadonlyArray<{ type: IntegrationType; name: string; hint: string }> = [
  {
    type: "pagerduty",
    name: "PagerDuty Events API v2",
    hint: "Any tool that can send to PagerDuty: point it at this server with the key as routing key.",
  },
  { type: "alertmanager", name: "Prometheus Alertmanager", hint: "A webhook receiver in alertmanager.yml." },
  { type: "grafana", name: "Grafana alerting", hint: "A webhook contact point." },
  { type: "generic", name: "Generic JSON", hint: "Runsheet's own format, for scripts and other tools." },
  {
    type: "heartbeat",
    name: "Heartbeat",
    hint: "A job pings the URL; an alert is raised when no ping arrives in time.",
  },
];

export function typeName(type: IntegrationType): string {
  return INTEGRATION_TYPES.find((t) => t.type === type)?.name ?? type;
}

export interface SetupItem {
  label: string;
  value: string;
  hint?: string;
  multiline?: boolean;
}

/**
 * What to paste where, for a new integration: its URL (the server's public
 * address), the key where the format carries it in the body, and an example
 * for the tool's configuration or a first test from a shell.
 */
export function intakeSetup(
  created: Pick<CreatedIntegration, "type" | "key" | "url" | "heartbeatSeconds">,
): SetupItem[] {
  const { type, key } = created;
  if (type === "pagerduty") return setupFor(created);
  return [{ label: "Integration key", value: key, hint: "Part of the URL below." }, ...setupFor(created)];
}

function setupFor({
  type,
  key,
  url,
  heartbeatSeconds,
}: Pick<CreatedIntegration, "type" | "key" | "url" | "heartbeatSeconds">): SetupItem[] {
  switch (type) {
    case "pagerduty":
      return [
        { label: "Events API URL", value: url, hint: "Where the tool sends PagerDuty events." },
        {
          label: "Routing key",
          value: key,
          hint: "The integration key: PagerDuty calls it the routing key.",
        },
        {
          label: "Test event (shell)",
          multiline: true,
          value: `curl -sS -X POST '${url}' -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify({
            routing_key: key,
            event_action: "trigger",
            payload: { summary: "Test alert from Runsheet", source: "curl", severity: "warning" },
          })}'`,
        },
      ];
    case "alertmanager":
      return [
        { label: "Webhook URL", value: url, hint: "The key is part of the URL." },
        {
          label: "alertmanager.yml receiver",
          multiline: true,
          value: `receivers:\n  - name: runsheet\n    webhook_configs:\n      - url: ${url}\n        send_resolved: true`,
        },
      ];
    case "grafana":
      return [
        {
          label: "Webhook URL",
          value: url,
          hint: "In Grafana: Alerting, Contact points, New contact point, Webhook, with this URL.",
        },
      ];
    case "generic":
      return [
        { label: "Event URL", value: url, hint: "The key is part of the URL." },
        {
          label: "Test event (shell)",
          multiline: true,
          value: `curl -sS -X POST '${url}' -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify({
            dedupKey: "test-1",
            summary: "Test alert from Runsheet",
            severity: "warning",
          })}'`,
        },
      ];
    case "heartbeat":
      return [
        {
          label: "Heartbeat URL",
          value: url,
          hint: `POST to it at least every ${heartbeatSeconds ?? 300} seconds; a missed heartbeat raises an alert.`,
        },
        {
          label: "crontab line",
          multiline: true,
          value: `* * * * * curl -fsS -X POST '${url}' > /dev/null`,
        },
      ];
  }
}

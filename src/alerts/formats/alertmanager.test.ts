import { describe, expect, it } from "vitest";
import { AlertmanagerWebhook, GrafanaWebhook, severityOfLabel, webhookEvents } from "./alertmanager.ts";
import { parseGenericBody } from "./generic.ts";

const ZERO = "0001-01-01T00:00:00Z";

const body = {
  version: "4",
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  status: "firing",
  receiver: "runsheet",
  groupLabels: { alertname: "HighErrorRate" },
  commonLabels: { alertname: "HighErrorRate" },
  commonAnnotations: {},
  externalURL: "http://alertmanager:9093",
  notification_reason: "new", // newer releases add fields: ignored
  alerts: [
    {
      status: "firing",
      labels: {
        alertname: "HighErrorRate",
        severity: "Critical",
        tier: "money-flow",
        component: "card-payments",
      },
      annotations: { summary: "Card API errors at 40%" },
      startsAt: "2026-11-27T03:00:00Z",
      endsAt: ZERO,
      generatorURL: "http://prometheus/graph",
      fingerprint: "a1b2c3",
    },
    {
      status: "resolved",
      labels: { alertname: "SlowLogin", severity: "page", job: "login" },
      annotations: {},
      startsAt: "2026-11-27T02:00:00Z",
      endsAt: "2026-11-27T02:30:00Z",
      generatorURL: "",
      fingerprint: "d4e5f6",
    },
  ],
};

describe("Alertmanager and Grafana webhooks", () => {
  it("turn each alert into an event keyed by its fingerprint", () => {
    const events = webhookEvents(AlertmanagerWebhook.parse(body), "prometheus");
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      action: "trigger",
      dedupKey: "a1b2c3",
      summary: "Card API errors at 40%",
      source: "prometheus",
      severity: "critical",
      component: "card-payments",
      class: "HighErrorRate",
      labels: body.alerts[0]!.labels,
      details: { annotations: { summary: "Card API errors at 40%" }, groupKey: body.groupKey },
    });
    // No summary annotation: the alert name; an unknown severity label: warning.
    expect(events[1]).toMatchObject({
      action: "resolve",
      dedupKey: "d4e5f6",
      summary: "SlowLogin",
      severity: "warning",
      group: "login",
    });
  });

  it("maps the severity label", () => {
    expect(["critical", "ERROR", "warning", "info", "page", undefined].map(severityOfLabel)).toEqual([
      "critical",
      "error",
      "warning",
      "info",
      "warning",
      "warning",
    ]);
  });

  it("falls back on Grafana's title, and refuses an alert without a fingerprint", () => {
    const grafana = GrafanaWebhook.parse({
      ...body,
      version: "1",
      orgId: 1,
      title: "[FIRING:1] Disk",
      state: "alerting",
      message: "…",
      alerts: [{ ...body.alerts[0], labels: {}, annotations: {}, values: { B: 44.2 }, dashboardURL: "" }],
    });
    expect(webhookEvents(grafana, "grafana")[0]).toMatchObject({
      summary: "[FIRING:1] Disk",
      source: "grafana",
      details: { values: { B: 44.2 } },
    });
    const missing = AlertmanagerWebhook.safeParse({
      ...body,
      alerts: [{ ...body.alerts[0], fingerprint: undefined }],
    });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(["alerts", 0, "fingerprint"]);
  });
});

describe("the generic format", () => {
  it("takes one event or a list, and names the failing field", () => {
    expect(parseGenericBody({ summary: "Backup failed" }).success).toBe(true);
    expect(parseGenericBody([{ summary: "a" }, { action: "resolve", dedupKey: "b" }]).success).toBe(true);
    const missing = parseGenericBody([{ summary: "a" }, { action: "resolve" }]);
    expect(missing.error?.issues.map((i) => i.path)).toEqual([[1, "dedupKey"]]);
    const unknown = parseGenericBody({ summary: "a", sevrity: "critical" });
    expect(unknown.error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(parseGenericBody({ severity: "critical" }).error?.issues[0]?.path).toEqual(["summary"]);
  });
});

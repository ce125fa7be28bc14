import { describe, expect, it } from "vitest";
import { parsePagerDutyEvent } from "./pagerduty.ts";

const KEY = "0123456789abcdef0123456789abcdef";

const trigger = (overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  routing_key: KEY,
  event_action: "trigger",
  dedup_key: "disk-full-db1",
  payload: { summary: "Disk 95% full on db1", source: "db1.example.com", severity: "error", ...payload },
  ...overrides,
});

function errorsOf(body: unknown): string[] {
  const parsed = parsePagerDutyEvent(body);
  if (parsed.ok) throw new Error("expected the event to be refused");
  return parsed.errors;
}

describe("PagerDuty Events API v2 events", () => {
  it("reads a trigger, with component, group, class and string custom details as labels", () => {
    const parsed = parsePagerDutyEvent(
      trigger(
        { client: "Monitoring", links: [{ href: "https://example.com", text: "graph" }] },
        {
          component: "postgres",
          group: "prod-datapipe",
          class: "disk",
          custom_details: { team: "db", "load avg": 0.75, component: "ignored" },
          timestamp: "2015-07-17T08:42:58.315+0000",
        },
      ),
    );
    expect(parsed).toEqual({
      ok: true,
      routingKey: KEY,
      event: {
        action: "trigger",
        dedupKey: "disk-full-db1",
        summary: "Disk 95% full on db1",
        source: "db1.example.com",
        severity: "error",
        component: "postgres",
        group: "prod-datapipe",
        class: "disk",
        labels: { team: "db", component: "postgres", group: "prod-datapipe", class: "disk" },
        details: {
          custom_details: { team: "db", "load avg": 0.75, component: "ignored" },
          timestamp: "2015-07-17T08:42:58.315+0000",
          client: "Monitoring",
          links: [{ href: "https://example.com", text: "graph" }],
        },
      },
    });
  });

  it("makes up a dedup key for a trigger without one, a new one each time", () => {
    const a = parsePagerDutyEvent(trigger({ dedup_key: undefined }));
    const b = parsePagerDutyEvent(trigger({ dedup_key: null }));
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.event.dedupKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.event.dedupKey).not.toBe(b.event.dedupKey);
  });

  it("reads acknowledge and resolve without a payload, but not without a dedup key", () => {
    const resolve = parsePagerDutyEvent({ routing_key: KEY, event_action: "resolve", dedup_key: "k" });
    expect(resolve.ok && resolve.event.action === "resolve" && resolve.event.dedupKey === "k").toBe(true);
    expect(errorsOf({ routing_key: KEY, event_action: "acknowledge" })).toEqual([
      "'dedup_key' is missing or blank (required to acknowledge)",
    ]);
  });

  it("names every problem of a bad event", () => {
    expect(errorsOf("a string")).toEqual(["Event object must be a JSON object"]);
    expect(errorsOf([trigger()])).toEqual(["Event object must be a JSON object"]);
    expect(errorsOf({})).toEqual(["'routing_key' is missing or blank", "'event_action' is missing or blank"]);
    expect(errorsOf(trigger({ event_action: "explode" }))).toEqual([
      "'event_action' is invalid (must be one of trigger, acknowledge, resolve)",
    ]);
    expect(errorsOf(trigger({ payload: undefined }))).toEqual(["'payload' is missing (required to trigger)"]);
    expect(errorsOf(trigger({}, { summary: " ", source: 7, severity: "high" }))).toEqual([
      "'payload.summary' is missing or blank",
      "'payload.source' must be a string",
      "'payload.severity' is invalid (must be one of critical, error, warning, info)",
    ]);
    expect(errorsOf(trigger({}, { summary: "x".repeat(1025) }))).toEqual([
      "'payload.summary' is too long (maximum 1024 characters)",
    ]);
    expect(errorsOf(trigger({ dedup_key: "k".repeat(256) }))).toEqual([
      "'dedup_key' is too long (maximum 255 characters)",
    ]);
    expect(errorsOf(trigger({}, { timestamp: "yesterday", class: 3 }))).toEqual([
      "'payload.timestamp' is invalid (use an ISO 8601 time such as 2015-07-17T08:42:58.315+0000)",
      "'payload.class' must be a string",
    ]);
    expect(errorsOf(trigger({ links: [{ text: "no href" }], images: "nope", client: 1 }))).toEqual([
      "'links[0].href' is missing or blank",
      "'images' must be a list",
      "'client' must be a string",
    ]);
  });
});

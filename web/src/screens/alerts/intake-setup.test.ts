import { describe, expect, it } from "vitest";
import { intakeSetup } from "./intake-setup";

const KEY = "0123456789abcdef0123456789abcdef";

describe("what to paste for a new integration", () => {
  it("gives PagerDuty senders the enqueue URL and the key as routing key", () => {
    const items = intakeSetup({
      type: "pagerduty",
      key: KEY,
      url: "https://runsheet.example.com/v2/enqueue",
      heartbeatSeconds: null,
    });
    expect(items.map((i) => [i.label, i.value]).slice(0, 2)).toEqual([
      ["Events API URL", "https://runsheet.example.com/v2/enqueue"],
      ["Routing key", KEY],
    ]);
    const body = /-d '(.*)'$/.exec(items[2]!.value)?.[1];
    expect(JSON.parse(body ?? "{}")).toMatchObject({ routing_key: KEY, event_action: "trigger" });
  });

  it("puts the URL with its key into Alertmanager's receiver", () => {
    const url = `https://runsheet.example.com/api/v1/integrations/${KEY}/alertmanager`;
    const items = intakeSetup({ type: "alertmanager", key: KEY, url, heartbeatSeconds: null });
    expect(items.map((i) => i.label)).toEqual([
      "Integration key",
      "Webhook URL",
      "alertmanager.yml receiver",
    ]);
    expect(items[0]?.value).toBe(KEY);
    expect(items[1]?.value).toBe(url);
    expect(items[2]?.value).toContain(`      - url: ${url}\n`);
  });

  it("tells a heartbeat how often to ping", () => {
    const url = `https://runsheet.example.com/api/v1/integrations/${KEY}/heartbeat`;
    const items = intakeSetup({ type: "heartbeat", key: KEY, url, heartbeatSeconds: 600 });
    expect(items[1]?.hint).toContain("every 600 seconds");
    expect(items[2]?.value).toContain(url);
  });
});

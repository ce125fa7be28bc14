import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS, HttpMetrics } from "./metrics.ts";

/** Each sample line: name, labels, value; each metric announced by HELP then TYPE before its samples. */
function parse(text: string) {
  const types = new Map<string, string>();
  const samples: Array<{ name: string; labels: string; value: number }> = [];
  let helped: string | null = null;
  for (const line of text.trimEnd().split("\n")) {
    const help = /^# HELP (\S+) .+$/.exec(line);
    if (help) {
      helped = help[1]!;
      continue;
    }
    const type = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (type) {
      expect(type[1]).toBe(helped);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(sample, line).not.toBeNull();
    const name = sample![1]!;
    const family = [...types.keys()].find((t) => name === t || name.startsWith(`${t}_`));
    expect(family, `${name} has a TYPE`).toBeDefined();
    samples.push({ name, labels: sample![2] ?? "", value: Number(sample![3]) });
    expect(Number.isNaN(Number(sample![3]))).toBe(false);
  }
  return { types, samples };
}

describe("HttpMetrics", () => {
  it("counts requests by method, route pattern and status, and times them in cumulative buckets", () => {
    const m = new HttpMetrics();
    m.observe("GET", "/api/v1/incidents/:id", 200, 0.003);
    m.observe("GET", "/api/v1/incidents/:id", 200, 0.2);
    m.observe("GET", "/api/v1/incidents/:id", 404, 0.02);
    m.observe("GET", undefined, 404, 0.001);
    const { types, samples } = parse(m.render());
    m.stop();
    expect(types.get("http_requests_total")).toBe("counter");
    expect(types.get("http_request_duration_seconds")).toBe("histogram");
    const count = (labels: string) =>
      samples.find((s) => s.name === "http_requests_total" && s.labels === labels)?.value;
    expect(count('method="GET",route="/api/v1/incidents/:id",status="200"')).toBe(2);
    expect(count('method="GET",route="/api/v1/incidents/:id",status="404"')).toBe(1);
    expect(count('method="GET",route="unmatched",status="404"')).toBe(1);

    const bucket = (le: string) =>
      samples.find(
        (s) =>
          s.name === "http_request_duration_seconds_bucket" &&
          s.labels === `method="GET",route="/api/v1/incidents/:id",le="${le}"`,
      )?.value;
    expect(bucket("0.005")).toBe(1);
    expect(bucket("0.025")).toBe(2);
    expect(bucket("0.25")).toBe(3);
    expect(bucket("+Inf")).toBe(3);
    const buckets = DURATION_BUCKETS.map((le) => bucket(String(le))!);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(
      samples.find((s) => s.name === "http_request_duration_seconds_sum" && s.labels.includes("incidents"))
        ?.value,
    ).toBeCloseTo(0.223);
  });

  it("reports the process: CPU, memory, uptime and event-loop delay", () => {
    const m = new HttpMetrics();
    const { types, samples } = parse(m.render());
    m.stop();
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_uptime_seconds",
      "nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(types.has(name), name).toBe(true);
      expect(samples.find((s) => s.name === name)?.value).toBeGreaterThanOrEqual(0);
    }
    expect(samples.find((s) => s.name === "process_resident_memory_bytes")!.value).toBeGreaterThan(1e6);
  });

  it("escapes label values", () => {
    const m = new HttpMetrics();
    m.observe("GET", '/odd"\\\nroute', 200, 0.001);
    expect(m.render()).toContain('route="/odd\\"\\\\\\nroute"');
    m.stop();
  });
});

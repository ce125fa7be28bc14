import { describe, expect, it } from "vitest";
import { KeyRateLimiter } from "./intake.ts";
import type { IntegrationRef } from "./model.ts";

const integration = (rateLimitPerMinute: number): IntegrationRef => ({
  id: `i${rateLimitPerMinute}`,
  name: "Prometheus",
  type: "pagerduty",
  service: null,
  heartbeatSeconds: null,
  rateLimitPerMinute,
});

describe("the per-key rate limit", () => {
  it("allows a minute's worth at once, then refills at the rate", () => {
    const limiter = new KeyRateLimiter();
    const key = integration(60);
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take(key, t0)).toBeNull();
    expect(limiter.take(key, t0)).toBe(1);
    expect(limiter.take(key, t0 + 500)).toBe(1);
    expect(limiter.take(key, t0 + 1_000)).toBeNull();
    expect(limiter.take(key, t0 + 1_000)).toBe(1);
    // Each key has its own bucket.
    expect(limiter.take(integration(1), t0)).toBeNull();
    expect(limiter.take(integration(1), t0)).toBe(60);
  });

  it("does not refill when the clock goes back", () => {
    const limiter = new KeyRateLimiter();
    const key = integration(2);
    expect(limiter.take(key, 10_000)).toBeNull();
    expect(limiter.take(key, 10_000)).toBeNull();
    expect(limiter.take(key, 5_000)).not.toBeNull();
    expect(limiter.take(key, 9_000)).not.toBeNull();
  });
});

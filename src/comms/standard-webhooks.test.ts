import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook, webhookSecretProblem } from "./standard-webhooks.ts";

// The test vector of the Standard Webhooks specification (also svix-webhooks' golden test).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const AT = new Date(VECTOR.timestamp * 1000);

function received(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  return verifyWebhook({
    id: VECTOR.id,
    timestamp: String(VECTOR.timestamp),
    signature: VECTOR.signature,
    body: VECTOR.body,
    secrets: [VECTOR.secret],
    now: AT,
    ...overrides,
  });
}

describe("signWebhook", () => {
  it("signs the specification's vector", () => {
    const { secret, ...rest } = VECTOR;
    expect(signWebhook({ ...rest, secrets: [secret] })).toBe(VECTOR.signature);
  });

  it("gives one signature per secret, so keys can rotate", () => {
    const next = newWebhookSecret();
    const header = signWebhook({ id: "d1", timestamp: 1, body: "{}", secrets: [VECTOR.secret, next] });
    expect(header.split(" ")).toHaveLength(2);
    expect(header.split(" ").every((part) => part.startsWith("v1,"))).toBe(true);
  });

  it("refuses a malformed secret without echoing it", () => {
    expect(() => signWebhook({ id: "d1", timestamp: 1, body: "{}", secrets: ["hunter2-hunter2"] })).toThrow(
      /starts with "whsec_"/,
    );
    expect(() =>
      signWebhook({ id: "d1", timestamp: 1, body: "{}", secrets: ["hunter2-hunter2"] }),
    ).not.toThrow(/hunter2/);
    expect(() => signWebhook({ id: "d1", timestamp: 1, body: "{}", secrets: [] })).toThrow(/at least one/);
  });
});

describe("verifyWebhook", () => {
  it("accepts the vector within five minutes either side", () => {
    expect(received()).toBe(true);
    expect(received({ now: new Date(AT.getTime() + 300_000) })).toBe(true);
    expect(received({ now: new Date(AT.getTime() - 300_000) })).toBe(true);
  });

  it("refuses stale or future timestamps, which bounds replays", () => {
    expect(received({ now: new Date(AT.getTime() + 301_000) })).toBe(false);
    expect(received({ now: new Date(AT.getTime() - 301_000) })).toBe(false);
  });

  it("refuses a changed body, id or timestamp, and missing headers", () => {
    expect(received({ body: '{"test": 2432232315}' })).toBe(false);
    expect(received({ id: "msg_other" })).toBe(false);
    expect(received({ timestamp: String(VECTOR.timestamp + 1), now: AT })).toBe(false);
    expect(received({ signature: null })).toBe(false);
    expect(received({ signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" })).toBe(false);
    expect(received({ secrets: [newWebhookSecret()] })).toBe(false);
  });

  it("accepts a header carrying the right signature among others", () => {
    expect(received({ signature: `v1,AAAA ${VECTOR.signature}` })).toBe(true);
    expect(received({ secrets: [newWebhookSecret(), VECTOR.secret] })).toBe(true);
  });
});

describe("secrets", () => {
  it("makes whsec_ secrets of 32 random bytes that sign and verify", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretProblem(secret)).toBeNull();
    expect(newWebhookSecret()).not.toBe(secret);
    const signature = signWebhook({ id: "d1", timestamp: 100, body: "{}", secrets: [secret] });
    expect(
      verifyWebhook({
        id: "d1",
        timestamp: "100",
        signature,
        body: "{}",
        secrets: [secret],
        now: new Date(100_000),
      }),
    ).toBe(true);
  });

  it("says what is wrong with a secret", () => {
    expect(webhookSecretProblem("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toMatch(/starts with/);
    expect(webhookSecretProblem("whsec_not base64!")).toMatch(/base64/);
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(8).toString("base64")}`)).toMatch(
      /24 to 64 bytes, this one 8/,
    );
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(65).toString("base64")}`)).toMatch(/this one 65/);
  });
});

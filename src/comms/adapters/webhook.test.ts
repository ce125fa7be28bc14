import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeChat, startFakeChat } from "../../../test/fakes/chat-providers.ts";
import { GiveUp } from "../../jobs/retry.ts";
import { PLACEHOLDER } from "../settings.ts";
import { newWebhookSecret, verifyWebhook } from "../standard-webhooks.ts";
import { buildAttempt, buildFacts, testContext } from "./chat.fixtures.ts";
import type { DeliveryAttempt } from "./types.ts";
import { webhookAdapter } from "./webhook.ts";

const OLD = newWebhookSecret();
const NEW = newWebhookSecret();
const NOW = new Date("2025-01-02T04:00:00Z");

let fake: FakeChat;
beforeEach(async () => {
  fake = await startFakeChat({ webhookSecrets: [NEW], now: () => NOW });
});
afterEach(async () => {
  await fake.close();
});

function settings(extra: Record<string, unknown> = {}) {
  return webhookAdapter.settings.parse({ url: `${fake.url}/webhook/receive`, signing_secret: NEW, ...extra });
}

function deliver(attempt: Partial<DeliveryAttempt> = {}, extra: Record<string, unknown> = {}, now = NOW) {
  const s = settings(extra);
  return webhookAdapter.deliver(
    testContext(() => now),
    buildAttempt(webhookAdapter.render(buildFacts(), s), attempt),
    s,
  );
}

describe("webhook: the event", () => {
  it("is a Standard Webhooks event whose id is the update's, with the incident and the update", () => {
    const facts = buildFacts();
    const r = webhookAdapter.render(facts, settings());
    expect(r.payload).toEqual({
      type: "incident.update",
      id: facts.updateId,
      timestamp: "2025-01-02T03:54:06.286Z",
      data: {
        incident: {
          id: facts.incident.id,
          reference: "INC-42",
          title: "Checkout errors",
          url: "https://status.example.com/incidents/INC-42",
          status: "investigating",
          severity: "SEV1 – Critical",
          drill: false,
          components: facts.incident.components,
        },
        update: { id: facts.updateId, phase: "investigating", subject: facts.subject, body: facts.body },
        organization: { name: "Quillmark" },
      },
    });
    expect(r.text).toBe(JSON.stringify(r.payload));
    expect(r).toMatchObject({
      length: Buffer.byteLength(r.text),
      shortened: false,
      limit: { max: 20_000, unit: "bytes" },
    });
  });

  it("takes the plan's event name", () => {
    expect(
      webhookAdapter.render(buildFacts(), settings({ event_name: "status.changed" })).payload,
    ).toMatchObject({
      type: "status.changed",
    });
  });

  it("stays under 20 KB, cutting the body and ending it with the link", () => {
    const facts = buildFacts({ body: "Ödeme hataları sürüyor. ".repeat(2_000) });
    const r = webhookAdapter.render(facts, settings());
    expect(r.length).toBeLessThanOrEqual(20_000);
    expect(r.length).toBe(Buffer.byteLength(JSON.stringify(r.payload)));
    expect(r.shortened).toBe(true);
    expect(r.fullLength).toBeGreaterThan(20_000);
    const body = (r.payload as { data: { update: { body: string } } }).data.update.body;
    expect(body.endsWith(`… ${facts.incident.url}`)).toBe(true);
  });
});

describe("webhook: delivery", () => {
  it("signs the exact body with webhook-id = the delivery's id and this attempt's timestamp", async () => {
    await deliver();
    const [request] = fake.requests;
    expect(request!.headers["webhook-id"]).toBe(
      buildAttempt(webhookAdapter.render(buildFacts(), settings())).deliveryId,
    );
    expect(request!.headers["webhook-timestamp"]).toBe(String(NOW.getTime() / 1000));
    expect(
      verifyWebhook({
        id: request!.headers["webhook-id"] as string,
        timestamp: request!.headers["webhook-timestamp"] as string,
        signature: request!.headers["webhook-signature"] as string,
        body: request!.body,
        secrets: [NEW],
        now: NOW,
      }),
    ).toBe(true);
    expect(fake.webhookIds).toHaveLength(1);
  });

  it("keeps webhook-id across retries, so the receiver can drop the duplicate", async () => {
    fake.behave("/webhook/receive", [{ status: 503 }]);
    await expect(deliver({ deliveryId: "d-7", attempt: 1 })).rejects.toThrow(/503/);
    const later = new Date(NOW.getTime() + 5_000);
    await deliver({ deliveryId: "d-7", attempt: 2 }, {}, later);
    await deliver({ deliveryId: "d-7", attempt: 3 }, {}, later);
    expect(fake.requests.map((r) => r.headers["webhook-id"])).toEqual(["d-7", "d-7", "d-7"]);
    expect(fake.requests[1]!.headers["webhook-timestamp"]).toBe(String(later.getTime() / 1000));
    expect(new Set(fake.requests.map((r) => r.body)).size).toBe(1);
    expect(fake.webhookIds).toEqual(["d-7", "d-7"]);
  });

  it("signs with every secret during a rotation, and either one verifies", async () => {
    await deliver({}, { signing_secret: [OLD, NEW] });
    const [request] = fake.requests;
    const signature = request!.headers["webhook-signature"] as string;
    expect(signature.split(" ")).toHaveLength(2);
    const check = (secrets: string[]) =>
      verifyWebhook({
        id: request!.headers["webhook-id"] as string,
        timestamp: request!.headers["webhook-timestamp"] as string,
        signature,
        body: request!.body,
        secrets,
        now: NOW,
      });
    expect(check([OLD])).toBe(true);
    expect(check([NEW])).toBe(true);
    expect(check([newWebhookSecret()])).toBe(false);
  });

  it("is refused by a receiver holding another secret", async () => {
    const error = await deliver({}, { signing_secret: OLD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GiveUp);
    expect((error as Error).message).toMatch(/401/);
    expect(fake.webhookIds).toEqual([]);
  });

  it("goes to a subscriber's own URL when the target has one", async () => {
    await deliver({ target: { key: "subscriber-1", address: `${fake.url}/webhook/subscriber-1` } });
    expect(fake.requests.map((r) => r.path)).toEqual(["/webhook/subscriber-1"]);
  });
});

describe("webhook: settings", () => {
  const url = "https://partners.example.com/hooks/quillmark-status";

  it("takes one secret or a list, and the placeholder plan validation uses", () => {
    expect(webhookAdapter.settings.parse({ url, signing_secret: OLD })).toEqual({
      url,
      signing_secret: OLD,
      subscribers: false,
    });
    expect(webhookAdapter.settings.parse({ url, signing_secret: [OLD, NEW] }).signing_secret).toEqual([
      OLD,
      NEW,
    ]);
    expect(webhookAdapter.settings.parse({ url, signing_secret: PLACEHOLDER }).signing_secret).toBe(
      PLACEHOLDER,
    );
  });

  it("serves webhook subscribers without a url of its own, but never a url without a secret", () => {
    expect(webhookAdapter.settings.parse({ subscribers: true })).toEqual({ subscribers: true });
    expect(webhookAdapter.settings.safeParse({}).success).toBe(false);
    expect(webhookAdapter.settings.safeParse({ url }).success).toBe(false);
  });

  it("refuses a secret that is not whsec_ base64, without repeating it", () => {
    const result = webhookAdapter.settings.safeParse({ url, signing_secret: "correct horse battery staple" });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(/whsec_/);
    expect(JSON.stringify(result.error?.issues)).not.toMatch(/horse/);
    expect(webhookAdapter.settings.safeParse({ url, signing_secret: [] }).success).toBe(false);
    expect(
      webhookAdapter.settings.safeParse({ url, signing_secret: OLD, event_name: "Incident Update" }).success,
    ).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusUpdate, UpdatePreview } from "../src/comms/model.ts";
import { checkCadence } from "../src/comms/reminders.ts";
import { verifyWebhook } from "../src/comms/standard-webhooks.ts";
import type { TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

const ALL_CHANNELS = [
  "status-page",
  "subscriber-email",
  "stakeholder-email",
  "slack-incidents",
  "partner-teams",
  "community-discord",
  "security-mattermost",
  "support-googlechat",
  "partner-webhook",
  "mastodon",
  "bluesky",
  "x",
  "jira-service-desk",
  "zendesk",
];

describe.each(dialects())("channels on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;
  let comms: TestUser; // the example plan's communications manager
  let outsider: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin");
    comms = await w.user("responder", "priya.nair@example.com", "Priya Nair");
    outsider = await w.user("responder");
  });
  afterAll(async () => w?.stop());

  async function declare(overrides: Record<string, unknown> = {}) {
    const res = await w.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: admin.auth,
      payload: {
        title: "Card payments failing",
        severity: "sev1",
        criteria: ["money-flow-down"],
        components: [{ id: "card-payments", impact: "major_outage" }],
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference: string };
  }

  const post = (incidentId: string, as: TestUser, payload: Record<string, unknown>) =>
    w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incidentId}/updates`,
      headers: as.auth,
      payload,
    });

  it("delivers one update to every channel type, through real protocols, each once", async () => {
    // An email subscriber and a webhook subscriber follow every component.
    const sub = await w.app.inject({
      method: "POST",
      url: "/api/v1/subscribers",
      headers: admin.auth,
      payload: { email: "customer@example.net" },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const incident = await declare();
    w.clock.advance(2 * 3_600_000); // long enough for the social channels' min_duration

    const preview = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/updates/preview`,
      headers: admin.auth,
      payload: { phase: "investigating" },
    });
    const channels = UpdatePreview.parse(preview.json()).channels;
    expect(channels.map((c) => c.channelId).sort()).toEqual([...ALL_CHANNELS].sort());
    for (const c of channels) {
      expect(c.applies, `${c.channelId}: ${c.reasons.join("; ")}`).toBe(true);
      expect(c.problems, c.channelId).toEqual([]);
      expect(c.rendering.length).toBeLessThanOrEqual(c.rendering.limit.max);
    }

    const res = await post(incident.id, admin, { phase: "investigating", channels: ALL_CHANNELS });
    expect(res.statusCode, res.body).toBe(201);
    const update = StatusUpdate.parse(res.json());
    expect(update.public).toBe(true);
    expect(update.deliveries.filter((d) => d.state === "queued")).toHaveLength(ALL_CHANNELS.length - 1);
    expect(update.deliveries.find((d) => d.channelId === "status-page")?.state).toBe("delivered");

    const announced: string[] = [];
    const stopListening = w.events.subscribe((e) => {
      if (e.incidentId === incident.id) announced.push(e.kind);
    });
    await w.worker.drain();
    // Followers hear about the deliveries (a few times a second at most, not once per delivery).
    await new Promise((resolve) => setTimeout(resolve, 400));
    stopListening();
    expect(announced).toContain("delivery");
    expect(announced.length).toBeLessThan(ALL_CHANNELS.length);
    const listed = StatusUpdate.parse(
      (
        await w.app.inject({
          method: "GET",
          url: `/api/v1/incidents/${incident.id}/updates`,
          headers: admin.auth,
        })
      ).json().items[0],
    );
    for (const d of listed.deliveries) expect(d.state, `${d.channelId}: ${d.lastError}`).toBe("delivered");

    const paths = w.chat.requests.map((r) => r.path.split("/")[1]);
    for (const provider of ["slack", "teams", "discord", "mattermost", "googlechat", "webhook"]) {
      expect(
        paths.filter((p) => p === provider),
        provider,
      ).toHaveLength(1);
    }
    const hook = w.chat.requests.find((r) => r.path.startsWith("/webhook"))!;
    expect(
      verifyWebhook({
        id: String(hook.headers["webhook-id"]),
        timestamp: String(hook.headers["webhook-timestamp"]),
        body: hook.body,
        signature: String(hook.headers["webhook-signature"]),
        secrets: [w.webhookSecret],
        now: new Date(Number(hook.headers["webhook-timestamp"]) * 1000),
      }),
    ).toBe(true);
    expect(w.mastodon.statuses).toHaveLength(1);
    expect(w.bluesky.posts).toHaveLength(1);
    expect(w.x.posts).toHaveLength(1);
    expect(w.jira.issues).toHaveLength(1);
    expect(w.zendesk.tickets).toHaveLength(1);
    // Declaring paged the plan's contacts who have accounts (Priya): those are pages, not this update.
    const recipients = w.smtp.messages
      .filter((m) => !m.subject.startsWith("Page: "))
      .flatMap((m) => m.to)
      .sort();
    expect(recipients).toEqual(["customer@example.net", "stakeholders@example.com"]);
    const toCustomer = w.smtp.messages.find((m) => m.to.includes("customer@example.net"))!;
    expect(toCustomer.headers.get("list-unsubscribe")).toMatch(
      /^<http:\/\/runsheet\.test\/unsubscribe\?token=/,
    );
    expect(toCustomer.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

    // The next update threads where the provider allows it.
    const second = await post(incident.id, admin, {
      phase: "identified",
      channels: ["mastodon", "zendesk", "stakeholder-email"],
    });
    expect(second.statusCode, second.body).toBe(201);
    await w.worker.drain();
    expect(w.mastodon.statuses[1]?.in_reply_to_id).toBe(w.mastodon.statuses[0]?.id);
    expect(w.zendesk.tickets).toHaveLength(1);
    expect(w.zendesk.tickets[0]?.comments.length).toBe(2);
    const firstMail = w.smtp.messages.find((m) => m.to.includes("stakeholders@example.com"))!;
    const secondMail = w.smtp.messages.filter((m) => m.to.includes("stakeholders@example.com"))[1]!;
    expect(secondMail.headers.get("in-reply-to")).toBe(firstMail.headers.get("message-id"));
  });

  it("refuses a publisher the plan does not authorise, naming the rule, and a channel that does not apply", async () => {
    const incident = await declare();
    const denied = await post(incident.id, outsider, { phase: "investigating", channels: ["status-page"] });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toMatch(/Public status page: only .*Communication Managers/);
    // The communications manager holds the role, so the plan lets them.
    const allowed = await post(incident.id, comms, { phase: "investigating", channels: ["status-page"] });
    expect(allowed.statusCode, allowed.body).toBe(201);
    // X needs an hour's duration; the incident is new.
    const tooEarly = await post(incident.id, admin, { phase: "investigating", channels: ["x"] });
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json().errors[0]).toMatchObject({ path: "channels.0" });
    expect(tooEarly.json().errors[0].message).toMatch(/lasted 1 hour/);
    const unknown = await post(incident.id, admin, { phase: "investigating", channels: ["pigeon"] });
    expect(unknown.statusCode).toBe(422);
    // Nothing was written for the refused ones.
    const updates = (
      await w.app.inject({
        method: "GET",
        url: `/api/v1/incidents/${incident.id}/updates`,
        headers: admin.auth,
      })
    ).json().items;
    expect(updates).toHaveLength(1);
  });

  it("needs consent before a channel sends a shortened text", async () => {
    const incident = await declare();
    w.clock.advance(2 * 3_600_000);
    const long = "The payment gateway is rejecting a share of card payments. ".repeat(12);
    const refused = await post(incident.id, admin, {
      phase: "identified",
      body: long,
      channels: ["community-discord"],
      channelBodies: { x: long },
    });
    expect(refused.statusCode).toBe(201);
    const x = await post(incident.id, admin, {
      phase: "identified",
      channels: ["x"],
      channelBodies: { x: long },
    });
    expect(x.statusCode).toBe(422);
    expect(x.json().errors[0].hint).toMatch(/confirmShortened/);
    const ok = await post(incident.id, admin, {
      phase: "identified",
      channels: ["x"],
      channelBodies: { x: long },
      confirmShortened: ["x"],
    });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it("retries a failing provider until it recovers, and lets a dead delivery be retried by hand", async () => {
    const incident = await declare();
    w.chat.behave("/slack/services/T000/B000/XXXX", [{ status: 500 }, { status: 503 }]);
    const update = (
      await post(incident.id, admin, { phase: "investigating", channels: ["slack-incidents"] })
    ).json();
    const deliveryId = update.deliveries[0].id as string;
    const state = async () =>
      (
        await w.app.inject({
          method: "GET",
          url: `/api/v1/incidents/${incident.id}/updates`,
          headers: admin.auth,
        })
      )
        .json()
        .items.flatMap((u: { deliveries: Array<{ id: string }> }) => u.deliveries)
        .find((d: { id: string }) => d.id === deliveryId);
    await w.worker.drain();
    expect(await state()).toMatchObject({ state: "failed", attempts: 1 });
    w.clock.advance(10_000);
    await w.worker.drain();
    expect(await state()).toMatchObject({ state: "failed", attempts: 2 });
    w.clock.advance(10 * 60_000);
    await w.worker.drain();
    expect(await state()).toMatchObject({ state: "delivered", attempts: 3 });

    // 410: the endpoint is gone for good → dead at once, visible, retried by hand.
    w.chat.behave("/slack/services/T000/B000/XXXX", [{ status: 410 }]);
    const doomed = (
      await post(incident.id, admin, { phase: "identified", channels: ["slack-incidents"] })
    ).json();
    await w.worker.drain();
    const dead = (
      await w.app.inject({
        method: "GET",
        url: `/api/v1/incidents/${incident.id}/updates`,
        headers: admin.auth,
      })
    )
      .json()
      .items.find((u: { id: string }) => u.id === doomed.id).deliveries[0];
    expect(dead).toMatchObject({ state: "dead" });
    expect(dead.lastError).toMatch(/410/);
    const retried = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/deliveries/${dead.id}/retry`,
      headers: admin.auth,
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().state).toBe("queued");
    await w.worker.drain();
    const after = (
      await w.app.inject({
        method: "GET",
        url: `/api/v1/incidents/${incident.id}/updates`,
        headers: admin.auth,
      })
    )
      .json()
      .items.find((u: { id: string }) => u.id === doomed.id).deliveries[0];
    expect(after.state).toBe("delivered");
  });

  it("reminds the communications manager before the next update is due and when it is overdue", async () => {
    const incident = await declare({
      severity: "sev2",
      components: [{ id: "login", impact: "partial_outage" }],
    });
    await w.app.inject({
      method: "PUT",
      url: `/api/v1/incidents/${incident.id}/roles/comms-manager`,
      headers: admin.auth,
      payload: { userId: comms.id },
    });
    const before = w.smtp.messages.length;
    const reminders = async () =>
      (
        await w.store.db
          .selectFrom("reminders_sent")
          .select("stage")
          .where("incident_id", "=", incident.id)
          .orderBy("sent_at")
          .execute()
      ).map((r) => r.stage);
    // sev2 updates are due every 30 minutes; reminders come 5 minutes before.
    w.clock.advance(20 * 60_000);
    await checkCadence(w);
    expect(await reminders()).toEqual([]);
    w.clock.advance(6 * 60_000);
    await checkCadence(w);
    await checkCadence(w); // once per due time, however often it looks
    expect(await reminders()).toEqual(["soon"]);
    await w.worker.drain();
    const mine = () =>
      w.smtp.messages
        .slice(before)
        .filter(
          (m) =>
            m.to.includes("priya.nair@example.com") &&
            m.subject.includes(incident.reference) &&
            m.subject.startsWith("Update "),
        );
    const soon = mine();
    expect(soon).toHaveLength(1);
    expect(soon[0]!.subject).toMatch(/due soon/i);
    w.clock.advance(5 * 60_000);
    await checkCadence(w);
    await w.worker.drain();
    const overdue = mine();
    expect(overdue.map((m) => m.subject)).toEqual([
      expect.stringMatching(/due soon/i),
      expect.stringMatching(/overdue/i),
    ]);
    // An external update moves the due time; resolving stops reminders.
    await post(incident.id, admin, { phase: "identified", channels: ["status-page"] });
    await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/status`,
      headers: admin.auth,
      payload: { status: "resolved", override: true, reason: "Drill of reminders" },
    });
    w.clock.advance(2 * 3_600_000);
    await checkCadence(w);
    await w.worker.drain();
    expect(mine()).toHaveLength(2);
    expect(await reminders()).toEqual(["soon", "overdue"]);
    const timeline = (
      await w.app.inject({
        method: "GET",
        url: `/api/v1/incidents/${incident.id}/timeline`,
        headers: admin.auth,
      })
    ).json().items;
    expect(timeline.filter((e: { kind: string }) => e.kind === "reminder")).toHaveLength(2);
  });

  it("subscribes by email with double opt-in and unsubscribes with one click", async () => {
    const res = await w.app.inject({
      method: "POST",
      url: "/subscribe",
      payload: { email: "follower@example.org", components: ["login"] },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().subscriber.state).toBe("pending");
    await w.worker.drain();
    const mail = w.smtp.messages.find((m) => m.to.includes("follower@example.org"))!;
    const link = /http:\/\/runsheet\.test\/subscribe\/confirm\?token=([\w-]+)/.exec(mail.text);
    expect(link).not.toBeNull();
    const confirm = await w.app.inject({ method: "GET", url: `/subscribe/confirm?token=${link![1]}` });
    expect(confirm.statusCode).toBe(200);
    const subs = (
      await w.app.inject({ method: "GET", url: "/api/v1/subscribers?kind=email", headers: admin.auth })
    ).json().items;
    const follower = subs.find((s: { address: string }) => s.address === "follower@example.org");
    expect(follower).toMatchObject({ state: "confirmed", components: ["login"] });

    // Only incidents touching their component reach them.
    const payments = await declare();
    await post(payments.id, admin, { phase: "investigating", channels: ["subscriber-email"] });
    const login = await declare({ components: [{ id: "login", impact: "major_outage" }] });
    await post(login.id, admin, { phase: "investigating", channels: ["subscriber-email"] });
    await w.worker.drain();
    const received = w.smtp.messages.filter((m) => m.to.includes("follower@example.org"));
    expect(received).toHaveLength(2); // the confirmation and the login incident
    const unsubscribe = /<http:\/\/runsheet\.test\/unsubscribe\?token=([\w-]+)>/.exec(
      received[1]!.headers.get("list-unsubscribe") ?? "",
    );
    const oneClick = await w.app.inject({
      method: "POST",
      url: `/unsubscribe?token=${unsubscribe![1]}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.statusCode).toBe(200);
    const again = (
      await w.app.inject({ method: "GET", url: "/api/v1/subscribers?kind=email", headers: admin.auth })
    ).json().items;
    expect(again.find((s: { address: string }) => s.address === "follower@example.org").state).toBe(
      "unsubscribed",
    );
  });

  it("refuses webhook subscribers at internal addresses and rate-limits the public form", async () => {
    const internal = await w.app.inject({
      method: "POST",
      url: "/subscribe",
      payload: { webhookUrl: "http://169.254.169.254/latest/meta-data" },
    });
    expect(internal.statusCode).toBe(422);
    expect(internal.json().errors[0].path).toBe("webhookUrl");
    let limited = 0;
    for (let i = 0; i < 12; i++) {
      const res = await w.app.inject({
        method: "POST",
        url: "/subscribe",
        remoteAddress: "203.0.113.9",
        payload: { email: `spam${i}@example.org` },
      });
      if (res.statusCode === 429) limited += 1;
    }
    expect(limited).toBeGreaterThan(0);
  });

  it("gives the support lead a ready-to-send reply from the latest external update", async () => {
    const incident = await declare();
    const none = await w.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.id}/updates/latest/reply`,
      headers: admin.auth,
    });
    expect(none.statusCode).toBe(422);
    await post(incident.id, admin, {
      phase: "identified",
      body: "We found a <bad> config & rolled it back.",
      channels: ["status-page"],
    });
    const text = await w.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.id}/updates/latest/reply?format=text`,
      headers: admin.auth,
    });
    expect(text.headers["content-type"]).toMatch(/text\/plain/);
    expect(text.body).toContain("We found a <bad> config & rolled it back.");
    expect(text.body).toContain(`http://runsheet.test/incidents/${incident.reference}`);
    const html = await w.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.id}/updates/latest/reply?format=html`,
      headers: admin.auth,
    });
    expect(html.body).toContain("We found a &lt;bad&gt; config &amp; rolled it back.");
    expect(html.body).not.toContain("<bad>");
  });

  it("stores channel secrets encrypted, lists their names only, and uses them", async () => {
    const { createCommsRuntime } = await import("../src/comms/runtime.ts");
    const store = w.store;
    // Without a key, storing is refused with the fix.
    const refused = await w.app.inject({
      method: "PUT",
      url: "/api/v1/channels/zendesk/secrets/api_token",
      headers: admin.auth,
      payload: { value: "s3cret-token" },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0].hint).toMatch(/RUNSHEET_SECRET_KEY/);
    const keyed = createCommsRuntime({ env: { RUNSHEET_SECRET_KEY: "k".repeat(40) } });
    const { storeChannelSecret, channelSecrets, listChannelSecrets } = await import(
      "../src/comms/secrets.ts"
    );
    await storeChannelSecret(
      {
        store,
        actor: { kind: "system" },
        clock: w.clock,
        plans: w.plans,
        publicUrl: "",
        events: w.events,
        comms: keyed,
      },
      keyed.secrets,
      "zendesk",
      "api_token",
      "s3cret-token",
    );
    const row = await store.db.selectFrom("channel_secrets").selectAll().executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain("s3cret");
    expect((await channelSecrets(store.db, keyed.secrets, "zendesk")).get("api_token")).toBe("s3cret-token");
    expect(await listChannelSecrets(store.db)).toEqual([
      { channelId: "zendesk", name: "api_token", updatedAt: expect.any(String) },
    ]);
    const listed = await w.app.inject({
      method: "GET",
      url: "/api/v1/channels/secrets",
      headers: admin.auth,
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain("s3cret");
    const other = createCommsRuntime({ env: { RUNSHEET_SECRET_KEY: "z".repeat(40) } });
    await expect(channelSecrets(store.db, other.secrets, "zendesk")).rejects.toThrow();
  });
});

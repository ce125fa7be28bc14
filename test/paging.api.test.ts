import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closeEmailTransports } from "../src/comms/adapters/email.ts";
import { createCommsRuntime } from "../src/comms/runtime.ts";
import { verifyWebhook } from "../src/comms/standard-webhooks.ts";
import { Incident } from "../src/incidents/model.ts";
import { Worker } from "../src/jobs/worker.ts";
import { escalationTimer, pagingHandlers } from "../src/oncall/paging/jobs.ts";
import { Escalation, Page } from "../src/oncall/paging/model.ts";
import { notifyHandler } from "../src/oncall/paging/notify.ts";
import type { Plan, Role } from "../src/plan/schema.ts";
import { EventHub } from "../src/shared/events.ts";
import { newId } from "../src/shared/ids.ts";
import type { DialectName } from "../src/store/column-types.ts";
import { readJson } from "../src/store/values.ts";
import { type FakeChat, startFakeChat } from "./fakes/chat-providers.ts";
import { type FakeNtfy, startFakeNtfy } from "./fakes/ntfy.ts";
import { type SmtpSink, startSmtpSink } from "./fakes/smtp-sink.ts";
import { type FakeTwilio, startFakeTwilio } from "./fakes/twilio.ts";
import { buildTestApp, examplePlan, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

/**
 * Paging end to end: a real app on a fresh store, the paging jobs run by a
 * worker the test drains, the clock moved by hand, and every message sent to a
 * local fake of its provider (SMTP, Twilio, ntfy, chat and webhook receivers).
 */

const MINUTE = 60_000;
const ANA = "ana@example.com";
const BEN = "ben@example.com";
const CY = "cy@example.com";
const DEE = "dee@example.com"; // a viewer
const ANA_PHONE = "+351912345678";

const role = (overrides: Partial<Role> = {}): Role => ({
  id: "incident-manager",
  name: "Incident manager",
  lead: true,
  recommended: true,
  primary: ANA,
  backup: BEN,
  ack_within: "5m",
  escalation_policy: "leadership",
  responsibilities: ["Lead the response"],
  ...overrides,
});

/** The example plan with one paged role, a two-step policy repeated once, a Berlin rota, and email through the sink. */
function pagingPlan(smtp: SmtpSink): Plan {
  const base = examplePlan();
  return {
    ...base,
    channels: base.channels.map((c) =>
      c.type === "email"
        ? {
            ...c,
            settings: {
              from: "Quillmark Pages <pages@example.com>",
              smtp_host: smtp.host,
              smtp_port: smtp.port,
              smtp_username: smtp.user,
              smtp_password: { env: "SMTP_PASSWORD" },
            },
          }
        : c,
    ),
    roles: [role()],
    escalation_policies: [
      {
        id: "leadership",
        name: "Leadership",
        steps: [
          { targets: [CY], timeout: "10m" },
          { targets: [DEE, ANA], timeout: "15m" },
        ],
        repeat: 1,
      },
    ],
    schedules: [
      {
        id: "berlin",
        name: "Berlin rota",
        timezone: "Europe/Berlin",
        layers: [
          {
            id: "weekly",
            name: "Weekly",
            members: [ANA, BEN],
            rotation: "weekly",
            handoff: { start_date: "2027-03-01", time: "09:00" },
          },
        ],
      },
      {
        id: "ghosts",
        name: "Ghost rota",
        layers: [
          {
            id: "ghosts",
            name: "Ghosts",
            members: ["ghost@example.com"],
            rotation: "daily",
            handoff: { start_date: "2026-11-02", time: "09:00" },
          },
        ],
      },
    ],
  };
}

interface World {
  t: TestApp;
  worker: Worker;
  smtp: SmtpSink;
  twilio: FakeTwilio;
  ntfy: FakeNtfy;
  chat: FakeChat;
  deps: Parameters<typeof pagingHandlers>[0];
  plan: Plan;
  stop(): Promise<void>;
}

async function startPagingWorld(dialect: DialectName): Promise<World> {
  const [smtp, twilio, ntfy, chat] = await Promise.all([
    startSmtpSink(),
    startFakeTwilio(),
    startFakeNtfy(),
    startFakeChat(),
  ]);
  const env = {
    SMTP_PASSWORD: smtp.password,
    RUNSHEET_URL_ALLOWLIST: "127.0.0.1",
    RUNSHEET_TWILIO_BASE_URL: twilio.url,
    RUNSHEET_TWILIO_ACCOUNT_SID: twilio.accountSid,
    RUNSHEET_TWILIO_AUTH_TOKEN: twilio.authToken,
    RUNSHEET_TWILIO_FROM: twilio.from,
  };
  const comms = createCommsRuntime({ env });
  const events = new EventHub();
  const plan = pagingPlan(smtp);
  const t = await buildTestApp(dialect, { plan, comms, events });
  const deps = {
    store: t.store,
    plans: t.plans,
    clock: t.clock,
    comms,
    events,
    publicUrl: "http://runsheet.test",
  };
  const worker = new Worker({ store: t.store, clock: t.clock, handlers: pagingHandlers(deps) });
  return {
    t,
    worker,
    smtp,
    twilio,
    ntfy,
    chat,
    deps,
    plan,
    async stop() {
      await worker.stop();
      await t.close();
      closeEmailTransports();
      await Promise.all([smtp.close(), twilio.close(), ntfy.close(), chat.close()]);
    },
  };
}

/** The path and query of the first acknowledgement link in a text. */
function linkIn(text: string): string {
  const match = /http:\/\/runsheet\.test(\/ack\/[0-9a-f-]+\?exp=\d+&sig=[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no acknowledgement link in: ${text}`);
  return match[1]!;
}

describe.each(dialects())("paging on %s", (dialect) => {
  let w: World;
  let admin: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  let cy: TestUser;
  let dee: TestUser;
  let outsider: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    w = await startPagingWorld(dialect);
    admin = await w.t.user("admin");
    ana = await w.t.user("responder", ANA, "Ana Ferreira");
    ben = await w.t.user("responder", BEN, "Ben Okoro");
    cy = await w.t.user("responder", CY, "Cy Tran");
    dee = await w.t.user("viewer", DEE, "Dee Park");
    outsider = await w.t.user("responder");
    viewer = await w.t.user("viewer");
  });
  afterAll(async () => w?.stop());

  // Each test's escalations stop with it, so moving the clock in the next test pages nobody from this one.
  afterEach(async () => {
    const db = w.t.store.db;
    await db
      .updateTable("jobs")
      .set({ state: "cancelled", unique_key: null })
      .where("state", "=", "queued")
      .execute();
    await db.updateTable("escalations").set({ status: "cancelled" }).where("status", "=", "active").execute();
    await db
      .updateTable("pages")
      .set({ status: "cancelled" })
      .where("status", "in", ["triggered", "superseded"])
      .execute();
    await db.deleteFrom("notification_rules").execute();
    await db.deleteFrom("contact_methods").execute();
    w.t.plans.replace({ plan: w.plan, version: 1 });
  });

  const withPlan = (change: (plan: Plan) => Plan) => w.t.plans.replace({ plan: change(w.plan), version: 1 });

  async function declare(overrides: Record<string, unknown> = {}) {
    const res = await w.t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: admin.auth,
      payload: {
        title: "Card payments failing",
        severity: "sev1",
        criteria: ["money-flow-down"],
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return Incident.parse(res.json());
  }

  async function advance(ms: number) {
    w.t.clock.advance(ms);
    await w.worker.drain();
  }

  /** [email, stage, status] of an incident's pages, in the order they were made. */
  async function pages(incidentId: string) {
    const rows = await w.t.store.db
      .selectFrom("pages")
      .innerJoin("users", "users.id", "pages.user_id")
      .select(["users.email", "pages.stage", "pages.status", "pages.id"])
      .where("pages.incident_id", "=", incidentId)
      .orderBy("pages.stage")
      .orderBy("users.email")
      .execute();
    return rows.map((r) => [r.email, Number(r.stage), r.status] as const);
  }

  async function pageOf(incidentId: string, email: string, stage = 0): Promise<Page> {
    const row = await w.t.store.db
      .selectFrom("pages")
      .innerJoin("users", "users.id", "pages.user_id")
      .select("pages.id")
      .where("pages.incident_id", "=", incidentId)
      .where("users.email", "=", email)
      .where("pages.stage", "=", stage)
      .executeTakeFirstOrThrow();
    const res = await w.t.app.inject({ method: "GET", url: `/api/v1/pages/${row.id}`, headers: admin.auth });
    expect(res.statusCode, res.body).toBe(200);
    return Page.parse(res.json());
  }

  async function escalation(incidentId: string): Promise<Escalation> {
    const res = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incidentId}/escalations`,
      headers: viewer.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as unknown[];
    expect(items).toHaveLength(1);
    return Escalation.parse(items[0]);
  }

  async function timeline(incidentId: string) {
    const res = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incidentId}/timeline`,
      headers: admin.auth,
    });
    return res.json().items as Array<{ kind: string; body: string; data: Record<string, unknown> }>;
  }

  const kinds = async (incidentId: string) => (await timeline(incidentId)).map((e) => e.kind);
  const mails = (reference: string) => w.smtp.messages.filter((m) => m.subject.includes(`${reference} `));
  const texts = (reference: string) => w.twilio.messages.filter((m) => m.body.includes(`${reference} `));

  const ack = (pageId: string, as: TestUser) =>
    w.t.app.inject({ method: "POST", url: `/api/v1/pages/${pageId}/ack`, headers: as.auth });

  async function addMethod(as: TestUser, payload: Record<string, unknown>) {
    const res = await w.t.app.inject({
      method: "POST",
      url: "/api/v1/users/me/contact-methods",
      headers: as.auth,
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { contactMethod: { id: string }; signingSecret?: string };
  }

  async function setRules(as: TestUser, rules: Array<{ contactMethodId: string; delayMinutes: number }>) {
    const res = await w.t.app.inject({
      method: "PUT",
      url: "/api/v1/users/me/notification-rules",
      headers: as.auth,
      payload: rules,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it("emails the primary at once with an acknowledgement link, then pages the backup, the policy's steps twice, until exhausted", async () => {
    const incident = await declare();
    expect(incident.roles[0]?.holder?.email).toBe(ANA);
    await w.worker.drain();

    expect(await pages(incident.id)).toEqual([[ANA, 0, "triggered"]]);
    const [first] = mails(incident.reference);
    expect(first?.to).toEqual([ANA]);
    expect(first?.subject).toContain(`Page: ${incident.reference}`);
    const page = await pageOf(incident.id, ANA);
    expect(linkIn(first!.text)).toMatch(new RegExp(`^/ack/${page.id}\\?`));
    expect(page.notifications).toEqual([
      expect.objectContaining({
        kind: "email",
        address: ANA,
        state: "sent",
        attempts: 1,
        providerMessageId: `<${page.notifications[0]!.id}@example.com>`,
      }),
    ]);
    expect(await kinds(incident.id)).toEqual(expect.arrayContaining(["declared", "paged", "page_sent"]));

    // Nobody acknowledges within ack_within (5m): the backup is paged, not a second earlier.
    await advance(5 * MINUTE - 1_000);
    expect(await pages(incident.id)).toHaveLength(1);
    await advance(1_000);
    expect(await pages(incident.id)).toEqual([
      [ANA, 0, "superseded"],
      [BEN, 1, "triggered"],
    ]);
    expect(mails(incident.reference).map((m) => m.to[0])).toEqual([ANA, BEN]);

    // Then the policy: Cy for 10m, then Dee and Ana for 15m, all of it once more.
    await advance(5 * MINUTE);
    await advance(10 * MINUTE);
    await advance(15 * MINUTE);
    await advance(10 * MINUTE);
    expect((await pages(incident.id)).map(([email, stage]) => [email, stage])).toEqual([
      [ANA, 0],
      [BEN, 1],
      [CY, 2],
      [ANA, 3],
      [DEE, 3],
      [CY, 4],
      [ANA, 5],
      [DEE, 5],
    ]);
    expect((await escalation(incident.id)).status).toBe("active");
    await advance(15 * MINUTE - 1_000);
    expect((await escalation(incident.id)).status).toBe("active");
    await advance(1_000);
    const exhausted = await escalation(incident.id);
    expect(exhausted).toMatchObject({ status: "exhausted", nextAt: null, stage: 6 });
    expect(exhausted.stages.map((s) => s.waitMinutes)).toEqual([5, 5, 10, 15, 10, 15]);
    const entries = await kinds(incident.id);
    expect(entries.filter((k) => k === "escalated")).toHaveLength(6);
    expect(entries.filter((k) => k === "paged")).toHaveLength(8);
    expect(entries.filter((k) => k === "escalation_exhausted")).toHaveLength(1);

    await advance(3 * 3_600_000);
    expect(await pages(incident.id)).toHaveLength(8);
    expect(mails(incident.reference)).toHaveLength(8);

    // Someone answering after the last stage is still an answer.
    const late = await ack((await pageOf(incident.id, ANA, 5)).id, ana);
    expect(late.statusCode, late.body).toBe(200);
    expect((await escalation(incident.id)).status).toBe("acknowledged");
  });

  it("stops the escalation and the notifications not sent yet when the page is acknowledged through the API", async () => {
    const sms = await addMethod(ana, { kind: "sms", address: ANA_PHONE, label: "Phone" });
    const email = await addMethod(ana, { kind: "email", address: "ana.personal@example.org" });
    await setRules(ana, [
      { contactMethodId: email.contactMethod.id, delayMinutes: 0 },
      { contactMethodId: sms.contactMethod.id, delayMinutes: 2 },
    ]);
    const incident = await declare();
    await w.worker.drain();
    expect(mails(incident.reference).map((m) => m.to)).toEqual([["ana.personal@example.org"]]);
    expect(texts(incident.reference)).toEqual([]);

    const page = await pageOf(incident.id, ANA);
    const res = await ack(page.id, ana);
    expect(res.statusCode, res.body).toBe(200);
    const acked = Page.parse(res.json());
    expect(acked).toMatchObject({ status: "acknowledged", acknowledgedVia: "api" });
    expect(acked.notifications.map((n) => [n.kind, n.state])).toEqual([
      ["email", "sent"],
      ["sms", "cancelled"],
    ]);
    // Twice is harmless.
    expect((await ack(page.id, ana)).statusCode).toBe(200);

    const e = await escalation(incident.id);
    expect(e).toMatchObject({ status: "acknowledged", nextAt: null, acknowledgedBy: { id: ana.id } });

    await advance(5 * 3_600_000);
    expect(texts(incident.reference)).toEqual([]);
    expect(await pages(incident.id)).toEqual([[ANA, 0, "acknowledged"]]);
    expect(mails(incident.reference)).toHaveLength(1);
    const timers = await w.t.store.db
      .selectFrom("jobs")
      .select(["state", "payload"])
      .where("kind", "=", "escalatePage")
      .execute();
    const mine = timers.filter((j) => readJson<{ escalationId: string }>(j.payload).escalationId === e.id);
    expect(mine.map((j) => j.state)).toEqual(["cancelled"]);
    expect(await kinds(incident.id)).toContain("page_acknowledged");
  });

  it("acknowledges with one click from an SMS's link: the link shows a button, and only the POST acknowledges", async () => {
    const sms = await addMethod(ana, { kind: "sms", address: ANA_PHONE });
    await setRules(ana, [{ contactMethodId: sms.contactMethod.id, delayMinutes: 0 }]);
    const incident = await declare();
    await w.worker.drain();
    const [text] = texts(incident.reference);
    expect(text).toMatchObject({ to: ANA_PHONE, from: w.twilio.from });
    const link = linkIn(text!.body);
    const page = await pageOf(incident.id, ANA);
    expect(page.notifications[0]).toMatchObject({
      kind: "sms",
      state: "sent",
      providerMessageId: expect.stringMatching(/^SM/),
    });

    const shown = await w.t.app.inject({ method: "GET", url: link });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers["content-type"]).toMatch(/^text\/html/);
    expect(shown.headers["referrer-policy"]).toBe("no-referrer");
    expect(shown.body).toContain('<form method="post"');
    expect(shown.body).toContain("Card payments failing");
    // Following the link changed nothing: link scanners follow links.
    expect((await pageOf(incident.id, ANA)).status).toBe("triggered");

    const url = new URL(link, "http://x");
    const sig = url.searchParams.get("sig")!;
    const exp = url.searchParams.get("exp")!;
    const tampered = [
      `${url.pathname}?exp=${exp}&sig=${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`,
      `${url.pathname}?exp=${Number(exp) + 60}&sig=${sig}`,
      `/ack/${newId()}?exp=${exp}&sig=${sig}`,
    ];
    for (const bad of tampered) {
      const get = await w.t.app.inject({ method: "GET", url: bad });
      expect(get.statusCode, bad).toBe(403);
      expect(get.body).toContain("not valid");
      const post = await w.t.app.inject({ method: "POST", url: bad });
      expect(post.statusCode, bad).toBe(403);
    }
    expect((await pageOf(incident.id, ANA)).status).toBe("triggered");

    const clicked = await w.t.app.inject({
      method: "POST",
      url: link,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    expect(clicked.statusCode, clicked.body).toBe(200);
    expect(clicked.body).toContain("acknowledged the page");
    expect(await pageOf(incident.id, ANA)).toMatchObject({ status: "acknowledged", acknowledgedVia: "link" });
    expect((await escalation(incident.id)).status).toBe("acknowledged");
    expect((await w.t.app.inject({ method: "GET", url: link })).body).toContain("You acknowledged this page");
  });

  it("refuses an acknowledgement link after a day", async () => {
    const incident = await declare();
    await w.worker.drain();
    const link = linkIn(mails(incident.reference)[0]!.text);
    w.t.clock.advance(24 * 3_600_000);
    for (const method of ["GET", "POST"] as const) {
      const res = await w.t.app.inject({ method, url: link });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain("expired");
    }
    expect((await pageOf(incident.id, ANA)).status).toBe("triggered");
  });

  it("pushes through ntfy, a chat webhook and a signed webhook, calls by voice later, and the ntfy button acknowledges", async () => {
    const topic = await addMethod(ana, { kind: "ntfy", address: `${w.ntfy.url}/ana-pages-3f9a` });
    const chat = await addMethod(ana, {
      kind: "chat_webhook",
      address: `${w.chat.url}/slack/services/T1/B1/ana`,
    });
    const hook = await addMethod(ana, { kind: "webhook", address: `${w.chat.url}/webhook/ana-pages` });
    const voice = await addMethod(ana, { kind: "voice", address: ANA_PHONE });
    expect(hook.signingSecret).toMatch(/^whsec_/);
    w.chat.behave("/webhook/ana-pages", [{ status: 200 }]);
    await setRules(ana, [
      { contactMethodId: topic.contactMethod.id, delayMinutes: 0 },
      { contactMethodId: chat.contactMethod.id, delayMinutes: 0 },
      { contactMethodId: hook.contactMethod.id, delayMinutes: 0 },
      { contactMethodId: voice.contactMethod.id, delayMinutes: 1 },
    ]);
    const incident = await declare({ title: "Zahlungen schlagen fehl" });
    await w.worker.drain();
    const page = await pageOf(incident.id, ANA);

    const push = w.ntfy.messages.find((m) => m.message.includes(incident.reference))!;
    const link = linkIn(push.message);
    expect(push).toMatchObject({
      topic: "ana-pages-3f9a",
      priority: 5,
      click: `http://runsheet.test${link}`,
    });
    expect(push.title).toContain(incident.reference);
    expect(push.actions[0]).toMatchObject({
      action: "http",
      label: "Acknowledge",
      url: `http://runsheet.test${link}`,
      params: { method: "POST" },
    });

    const said = w.chat.requests.find((r) => r.path === "/slack/services/T1/B1/ana")!;
    expect((said.json as { text: string }).text).toContain(`http://runsheet.test${link}`);

    const event = w.chat.requests.find((r) => r.path === "/webhook/ana-pages")!;
    expect(
      verifyWebhook({
        id: String(event.headers["webhook-id"]),
        timestamp: String(event.headers["webhook-timestamp"]),
        signature: String(event.headers["webhook-signature"]),
        body: event.body,
        secrets: [hook.signingSecret!],
        now: w.t.clock.now(),
      }),
    ).toBe(true);
    expect(event.json).toMatchObject({
      type: "page.triggered",
      data: {
        page: { id: page.id, stage: 0 },
        incident: { reference: incident.reference, title: "Zahlungen schlagen fehl" },
        role: { id: "incident-manager" },
        ackUrl: `http://runsheet.test${link}`,
      },
    });
    expect(w.twilio.calls.filter((c) => c.twiml?.includes("Zahlungen"))).toHaveLength(0);

    await advance(MINUTE);
    const call = w.twilio.calls.find((c) => c.twiml?.includes("Zahlungen schlagen fehl"))!;
    expect(call).toMatchObject({ to: ANA_PHONE, from: w.twilio.from });
    expect(call.twiml).toMatch(/^<Response><Say>/);

    // The ntfy button POSTs to the link, without a body.
    const pressed = await w.t.app.inject({
      method: "POST",
      url: push.actions[0]!.url.replace("http://runsheet.test", ""),
    });
    expect(pressed.statusCode, pressed.body).toBe(200);
    expect((await pageOf(incident.id, ANA)).status).toBe("acknowledged");
    expect((await pageOf(incident.id, ANA)).notifications.map((n) => n.state)).toEqual([
      "sent",
      "sent",
      "sent",
      "sent",
    ]);
  });

  it("waits as a 429 asks, gives up on a refusal, and writes each attempt on the timeline", async () => {
    const sms = await addMethod(ana, { kind: "sms", address: ANA_PHONE });
    await setRules(ana, [{ contactMethodId: sms.contactMethod.id, delayMinutes: 0 }]);
    w.twilio.behave("Messages", [{ status: 429, retryAfter: 30 }]);
    const incident = await declare();
    await w.worker.drain();
    expect((await pageOf(incident.id, ANA)).notifications[0]).toMatchObject({
      state: "failed",
      attempts: 1,
      lastError: expect.stringContaining("429"),
    });
    await advance(29_000);
    expect((await pageOf(incident.id, ANA)).notifications[0]?.state).toBe("failed");
    await advance(1_000);
    expect((await pageOf(incident.id, ANA)).notifications[0]).toMatchObject({ state: "sent", attempts: 2 });
    expect(texts(incident.reference)).toHaveLength(1);
    const failed = (await timeline(incident.id)).filter((e) => e.kind === "page_failed");
    expect(failed.map((e) => e.body)).toEqual([
      expect.stringMatching(/failed \(attempt 1\).*429.*Trying again/),
    ]);

    w.twilio.behave("Messages", [{ status: 400 }]);
    const refused = await declare();
    await w.worker.drain();
    expect((await pageOf(refused.id, ANA)).notifications[0]).toMatchObject({ state: "dead", attempts: 1 });
    const dead = (await timeline(refused.id)).filter((e) => e.kind === "page_failed");
    expect(dead.map((e) => e.body)).toEqual([
      expect.stringMatching(/failed for good after 1 attempt: .*21610/),
    ]);
  });

  it("lets a responder acknowledge someone else's page and take the unfilled role; a viewer only their own", async () => {
    withPlan((plan) => ({ ...plan, roles: [role({ primary: DEE, backup: "nobody@example.com" })] }));
    const first = await declare();
    expect(first.roles[0]?.holder).toBeNull(); // a viewer cannot hold a role
    const deesPage = await pageOf(first.id, DEE);
    expect((await ack(deesPage.id, viewer)).statusCode).toBe(403);
    const own = await ack(deesPage.id, dee);
    expect(own.statusCode, own.body).toBe(200);
    const stillUnfilled = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${first.id}`,
      headers: admin.auth,
    });
    expect(stillUnfilled.json().roles[0].holder).toBeNull();
    const second = await declare();
    const page = await pageOf(second.id, DEE);
    const taken = await ack(page.id, outsider);
    expect(taken.statusCode, taken.body).toBe(200);
    const incident = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${second.id}`,
      headers: admin.auth,
    });
    expect(incident.json().roles[0].holder).toMatchObject({ id: outsider.id });
    expect(incident.json().version).toBeGreaterThan(second.version);
    expect(await kinds(second.id)).toEqual(expect.arrayContaining(["page_acknowledged", "role_assigned"]));

    const third = await declare();
    const thirdPage = await pageOf(third.id, DEE);
    expect((await ack(thirdPage.id, cy)).statusCode).toBe(200);
    const again = await ack(thirdPage.id, dee);
    expect(again.statusCode).toBe(200); // the same page, acknowledged already: harmless
    // Another page of an acknowledged escalation is a conflict that says who acknowledged it.
    withPlan((plan) => ({ ...plan, roles: [role({ primary: DEE, backup: CY, ack_within: "1m" })] }));
    const fourth = await declare();
    await advance(MINUTE);
    expect((await ack((await pageOf(fourth.id, CY, 1)).id, cy)).statusCode).toBe(200);
    const conflict = await ack((await pageOf(fourth.id, DEE)).id, dee);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().detail).toContain("Cy Tran already acknowledged");
  });

  it("pages whoever a schedule has on call, across the change to summer time, and an override wins", async () => {
    withPlan((plan) => ({
      ...plan,
      roles: [role({ primary: { schedule: "berlin" }, backup: undefined, escalation_policy: undefined })],
    }));
    // Monday 2027-03-29, the day after Europe's clocks went forward: the 09:00 handoff is at 07:00Z.
    // Shift 4 (Ana) starts then; Ben has shift 3.
    w.t.clock.set("2027-03-29T06:59:00Z");
    const before = await declare();
    expect(before.roles[0]?.holder?.email).toBe(BEN);
    expect((await pages(before.id)).map(([email]) => email)).toEqual([BEN]);

    w.t.clock.set("2027-03-29T07:30:00Z"); // 09:30 in Berlin; a UTC+1 handoff would still be Ben's
    const after = await declare();
    expect(after.roles[0]?.holder?.email).toBe(ANA);
    expect((await pages(after.id)).map(([email]) => email)).toEqual([ANA]);

    await w.t.store.db
      .insertInto("schedule_overrides")
      .values({
        id: newId(),
        schedule_id: "berlin",
        user_id: cy.id,
        start_at: "2027-03-29T07:45:00.000Z",
        end_at: "2027-03-29T09:00:00.000Z",
        created_at: "2027-03-29T07:00:00.000Z",
        created_by: admin.id,
      })
      .execute();
    w.t.clock.set("2027-03-29T08:00:00Z");
    const covered = await declare();
    expect(covered.roles[0]?.holder?.email).toBe(CY);
    expect((await pages(covered.id)).map(([email]) => email)).toEqual([CY]);
    w.t.clock.set("2027-03-29T09:00:00Z");
    expect((await pages((await declare()).id)).map(([email]) => email)).toEqual([ANA]);
  });

  it("skips a stage nobody can be paged for and says why; with none left the escalation is exhausted", async () => {
    withPlan((plan) => ({
      ...plan,
      roles: [
        role({ primary: "ghost@example.com", backup: { schedule: "ghosts" }, escalation_policy: undefined }),
      ],
    }));
    const nobody = await declare();
    const entries = await timeline(nobody.id);
    // Nobody was ever paged: one entry says why, instead of one per stage.
    expect(entries.filter((e) => e.kind === "page_skipped")).toEqual([]);
    const exhausted = entries.filter((e) => e.kind === "escalation_exhausted").map((e) => e.body);
    expect(exhausted).toEqual([
      "Nobody could be paged for Incident manager (the primary contact: ghost@example.com has no active account here; the backup contact: ghost@example.com, on call on Ghost rota, has no active account here).",
    ]);
    expect((await escalation(nobody.id)).status).toBe("exhausted");
    expect(await pages(nobody.id)).toEqual([]);

    withPlan((plan) => ({ ...plan, roles: [role({ primary: "ghost@example.com", backup: BEN })] }));
    const skipToBackup = await declare();
    expect(await pages(skipToBackup.id)).toEqual([[BEN, 1, "triggered"]]);
    const skipped = (await timeline(skipToBackup.id)).filter((e) => e.kind === "page_skipped");
    expect(skipped.map((e) => e.body)).toEqual([
      "Could not page the primary contact of Incident manager: ghost@example.com has no active account here. Going on.",
    ]);
    expect((await escalation(skipToBackup.id)).stage).toBe(1);

    // A step with someone to page pages them, and says who it could not page.
    withPlan((plan) => ({
      ...plan,
      roles: [role({ primary: CY, backup: undefined, ack_within: "1m", escalation_policy: "partly" })],
      escalation_policies: [
        {
          id: "partly",
          name: "Partly",
          steps: [{ targets: ["ghost@example.com", BEN], timeout: "5m" }],
          repeat: 0,
        },
      ],
    }));
    const partly = await declare();
    await advance(MINUTE);
    expect((await pages(partly.id)).map(([email, stage]) => [email, stage])).toEqual([
      [CY, 0],
      [BEN, 2],
    ]);
    expect((await timeline(partly.id)).filter((e) => e.kind === "page_skipped").map((e) => e.body)).toEqual([
      "Could not page everyone in the Partly, step 1 of 1 of Incident manager: ghost@example.com has no active account here.",
    ]);
  });

  it("stops paging when the incident is resolved: escalations, open pages and notifications not sent yet", async () => {
    const sms = await addMethod(ana, { kind: "sms", address: ANA_PHONE });
    const email = await addMethod(ana, { kind: "email", address: ANA });
    await setRules(ana, [
      { contactMethodId: email.contactMethod.id, delayMinutes: 0 },
      { contactMethodId: sms.contactMethod.id, delayMinutes: 3 },
    ]);
    const incident = await declare();
    await w.worker.drain();
    const resolved = await w.t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/status`,
      headers: admin.auth,
      payload: { status: "resolved", override: true, reason: "False alarm" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await escalation(incident.id)).status).toBe("cancelled");
    const page = await pageOf(incident.id, ANA);
    expect(page.status).toBe("cancelled");
    expect(page.notifications.map((n) => n.state)).toEqual(["sent", "cancelled"]);
    const stopped = (await timeline(incident.id)).find((e) => e.kind === "paging_stopped");
    expect(stopped?.body).toContain("1 escalation cancelled, 1 open page closed, 1 notification not sent");

    await advance(3 * 3_600_000);
    expect(texts(incident.reference)).toEqual([]);
    expect(await pages(incident.id)).toEqual([[ANA, 0, "cancelled"]]);
    const conflict = await ack(page.id, ana);
    expect(conflict.statusCode).toBe(409);
  });

  it("moves an escalation on once, however often its timer runs, and sends a notification once", async () => {
    const incident = await declare();
    await w.worker.drain();
    const { id } = await escalation(incident.id);
    const timer = escalationTimer(w.deps);
    const job = {
      id: newId(),
      kind: timer.kind,
      payload: { escalationId: id, stage: 0 },
      attempts: 1,
      runAt: "",
    };
    w.t.clock.advance(5 * MINUTE);
    await timer.run(job);
    await timer.run(job);
    await Promise.all([timer.run(job), timer.run(job), timer.run(job)]);
    await w.worker.drain(); // the queued timer for stage 0 runs too, and finds nothing to do
    expect(await pages(incident.id)).toEqual([
      [ANA, 0, "superseded"],
      [BEN, 1, "triggered"],
    ]);
    expect((await kinds(incident.id)).filter((k) => k === "escalated")).toHaveLength(1);
    expect((await escalation(incident.id)).stage).toBe(1);

    const sent = mails(incident.reference).length;
    const notification = (await pageOf(incident.id, BEN, 1)).notifications[0]!;
    const notify = notifyHandler(w.deps);
    const again = await notify.run({
      id: newId(),
      kind: notify.kind,
      payload: { notificationId: notification.id },
      attempts: 2,
      runAt: "",
    });
    expect(again).toBeUndefined();
    expect(mails(incident.reference)).toHaveLength(sent);
  });

  it("pages nobody for a severity that pages in working hours only, outside them", async () => {
    w.t.clock.set("2027-04-03T02:00:00Z"); // Saturday
    const incident = await declare({ severity: "sev3", criteria: ["customer-reports"] });
    expect(await pages(incident.id)).toEqual([]);
    const entries = await timeline(incident.id);
    expect(entries.find((e) => e.kind === "paging_skipped")?.body).toMatch(/only in working hours.*Saturday/);
    w.t.clock.set("2027-04-05T10:00:00Z"); // Monday, 11:00 in Lisbon
    const inHours = await declare({ severity: "sev3", criteria: ["customer-reports"] });
    expect(await pages(inHours.id)).toEqual([[ANA, 0, "triggered"]]);
  });

  it("keeps a private incident's title out of what it sends", async () => {
    const incident = await declare({ private: true, title: "Leaked signing keys" });
    await w.worker.drain();
    const [mail] = mails(incident.reference);
    expect(mail?.text).toContain("a private incident");
    expect(mail?.raw).not.toContain("Leaked");
    const shown = await w.t.app.inject({ method: "GET", url: linkIn(mail!.text) });
    expect(shown.body).not.toContain("Leaked");
    // The escalations of a private incident are as hidden as the incident.
    const hidden = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.id}/escalations`,
      headers: outsider.auth,
    });
    expect(hidden.statusCode).toBe(404);
    const everyone = await w.t.app.inject({
      method: "GET",
      url: "/api/v1/pages?all=true",
      headers: outsider.auth,
    });
    expect(everyone.json().items.map((p: Page) => p.incident.id)).not.toContain(incident.id);
    const mine = await w.t.app.inject({ method: "GET", url: "/api/v1/pages", headers: ana.auth });
    expect(mine.json().items.map((p: Page) => p.incident.id)).toContain(incident.id);
  });

  it("lists my open pages, everyone's for responders, and shows where notifications went only to their owner and admins", async () => {
    const incident = await declare();
    await w.worker.drain();
    const mine = await w.t.app.inject({ method: "GET", url: "/api/v1/pages", headers: ana.auth });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items.map((p: unknown) => Page.parse(p));
    expect(
      items.every((p: Page) => p.user.id === ana.id && ["triggered", "superseded"].includes(p.status)),
    ).toBe(true);
    const page = items.find((p: Page) => p.incident.id === incident.id)!;
    expect(page.notifications[0]?.address).toBe(ANA);
    expect(
      (await w.t.app.inject({ method: "GET", url: "/api/v1/pages", headers: ben.auth })).json().items,
    ).toEqual([]);

    expect(
      (await w.t.app.inject({ method: "GET", url: "/api/v1/pages?all=true", headers: dee.auth })).statusCode,
    ).toBe(403);
    const everyone = await w.t.app.inject({
      method: "GET",
      url: "/api/v1/pages?all=true",
      headers: ben.auth,
    });
    const theirs = everyone.json().items.find((p: Page) => p.id === page.id) as Page;
    expect(theirs.notifications[0]?.address).toBeNull();
    const asAdmin = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/pages/${page.id}`,
      headers: admin.auth,
    });
    expect(asAdmin.json().notifications[0].address).toBe(ANA);

    await ack(page.id, ana);
    const open = await w.t.app.inject({ method: "GET", url: "/api/v1/pages", headers: ana.auth });
    expect(open.json().items.map((p: Page) => p.id)).not.toContain(page.id);
    const done = await w.t.app.inject({
      method: "GET",
      url: "/api/v1/pages?status=acknowledged",
      headers: ana.auth,
    });
    expect(done.json().items.map((p: Page) => p.id)).toContain(page.id);
    expect((await w.t.app.inject({ method: "GET", url: "/api/v1/pages" })).statusCode).toBe(401);
  });

  it("checks contact methods and rules, naming the field, and keeps them to their owner and admins", async () => {
    const post = (payload: unknown, as: TestUser = dee, user = "me") =>
      w.t.app.inject({
        method: "POST",
        url: `/api/v1/users/${user}/contact-methods`,
        headers: as.auth,
        payload: payload as object,
      });
    const cases: Array<[unknown, number, string]> = [
      [{ kind: "sms", address: "0912345678" }, 400, "body.address"],
      [{ kind: "voice", address: "+0123" }, 400, "body.address"],
      [{ kind: "pager", address: "x" }, 400, "body.kind"],
      [{ kind: "email", address: "not an email" }, 400, "body.address"],
      [{ kind: "ntfy", address: "https://ntfy.sh/" }, 400, "body.address"],
      [{ kind: "ntfy", address: "https://ntfy.sh/a/b" }, 400, "body.address"],
      [{ kind: "chat_webhook", address: "ftp://example.com/hook" }, 400, "body.address"],
      [{ kind: "email", address: "a@example.com", extra: 1 }, 400, "body"],
      [{ kind: "chat_webhook", address: "http://10.0.0.7/hooks/x" }, 422, "address"],
      [{ kind: "webhook", address: "http://169.254.169.254/latest" }, 422, "address"],
    ];
    for (const [payload, status, path] of cases) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        JSON.stringify(payload),
      ).toContain(path);
    }

    // A viewer manages their own; a webhook's secret is shown once.
    const hook = await post({ kind: "webhook", address: "https://hooks.example.com/dee" });
    expect(hook.statusCode).toBe(201);
    expect(hook.json().signingSecret).toMatch(/^whsec_/);
    const listed = await w.t.app.inject({
      method: "GET",
      url: "/api/v1/users/me/contact-methods",
      headers: dee.auth,
    });
    expect(listed.json().items).toHaveLength(1);
    expect(JSON.stringify(listed.json())).not.toContain("whsec_");
    expect((await post({ kind: "webhook", address: "https://hooks.example.com/dee" })).statusCode).toBe(409);

    // Someone else's: only admins.
    expect((await post({ kind: "email", address: "x@example.com" }, dee, ana.id)).statusCode).toBe(403);
    const others = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/users/${dee.id}/contact-methods`,
      headers: ana.auth,
    });
    expect(others.statusCode).toBe(403);
    const asAdmin = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/users/${dee.id}/contact-methods`,
      headers: admin.auth,
    });
    expect(asAdmin.json().items).toHaveLength(1);
    expect((await post({ kind: "email", address: "dee@home.example" }, admin, dee.id)).statusCode).toBe(201);
    const unknown = await w.t.app.inject({
      method: "GET",
      url: `/api/v1/users/${newId()}/contact-methods`,
      headers: admin.auth,
    });
    expect(unknown.statusCode).toBe(404);

    // Rules name methods of one's own, at a delay in whole minutes.
    const anas = await addMethod(ana, { kind: "email", address: "ana@home.example" });
    const rules = (payload: unknown) =>
      w.t.app.inject({
        method: "PUT",
        url: "/api/v1/users/me/notification-rules",
        headers: dee.auth,
        payload: payload as object,
      });
    const bad = await rules([{ contactMethodId: anas.contactMethod.id, delayMinutes: 0 }]);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe("0.contactMethodId");
    const negative = await rules([{ contactMethodId: hook.json().contactMethod.id, delayMinutes: -1 }]);
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].path).toBe("body.0.delayMinutes");
    const good = await rules([{ contactMethodId: hook.json().contactMethod.id, delayMinutes: 5 }]);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().items).toMatchObject([{ delayMinutes: 5, contactMethod: { kind: "webhook" } }]);

    // Removing a method removes its rules.
    const removed = await w.t.app.inject({
      method: "DELETE",
      url: `/api/v1/users/me/contact-methods/${hook.json().contactMethod.id}`,
      headers: dee.auth,
    });
    expect(removed.statusCode).toBe(204);
    const after = await w.t.app.inject({
      method: "GET",
      url: "/api/v1/users/me/notification-rules",
      headers: dee.auth,
    });
    expect(after.json().items).toEqual([]);
  });

  it("refuses SMS and voice methods when the server has no SMS provider", async () => {
    const bare = await buildTestApp(dialect, { comms: createCommsRuntime({ env: {} }) });
    try {
      const user = await bare.user("responder");
      const res = await bare.app.inject({
        method: "POST",
        url: "/api/v1/users/me/contact-methods",
        headers: user.auth,
        payload: { kind: "sms", address: ANA_PHONE },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0]).toMatchObject({
        path: "kind",
        hint: expect.stringContaining("RUNSHEET_TWILIO_ACCOUNT_SID"),
      });
    } finally {
      await bare.close();
    }
  });

  it("lists and acknowledges pages from the command line", async () => {
    const { main } = await import("../src/cli/main.ts");
    const incident = await declare();
    await w.worker.drain();
    const page = await pageOf(incident.id, ANA);
    await w.t.app.listen({ port: 0, host: "127.0.0.1" });
    const address = w.t.app.server.address() as { port: number };
    vi.stubEnv("RUNSHEET_URL", `http://127.0.0.1:${address.port}`);
    vi.stubEnv("RUNSHEET_TOKEN", ana.token);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["node", "runsheet", "pages"])).toBe(0);
      expect(out.join("")).toMatch(new RegExp(`${page.id}\\s+${incident.reference}\\s+triggered`));
      out.length = 0;
      expect(await main(["node", "runsheet", "page", "ack", page.id])).toBe(0);
      expect(out.join("")).toContain(`Acknowledged ${incident.reference} as Incident manager`);
      out.length = 0;
      expect(await main(["node", "runsheet", "pages", "--status", "acknowledged", "--json"])).toBe(0);
      expect(JSON.parse(out.join("")).items.map((p: Page) => p.id)).toContain(page.id);
      expect(await main(["node", "runsheet", "page", "ack", newId()])).toBe(3);
    } finally {
      write.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }
    expect((await pageOf(incident.id, ANA)).status).toBe("acknowledged");
  });
});

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processEvents } from "../src/alerts/apply.ts";
import { AlertIntake } from "../src/alerts/intake.ts";
import { alertHandlers } from "../src/alerts/jobs.ts";
import { Alert, AlertDetail, CreatedIntegration, Integration } from "../src/alerts/model.ts";
import { sha256 } from "../src/auth/secrets.ts";
import { createCommsRuntime } from "../src/comms/runtime.ts";
import type { Ctx } from "../src/context.ts";
import { Incident, TimelineEntry } from "../src/incidents/model.ts";
import { Worker } from "../src/jobs/worker.ts";
import type { Plan } from "../src/plan/schema.ts";
import { PlanHolder } from "../src/plan/versions.ts";
import { EventHub } from "../src/shared/events.ts";
import { openStore, type Store } from "../src/store/open.ts";
import { buildTestApp, examplePlan, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

/**
 * The example plan plus criteria of its own for each promotion scenario, so
 * the scenarios do not share an open incident.
 */
function intakePlan(): Plan {
  const plan = examplePlan();
  plan.definition.criteria.push(
    {
      id: "db-down",
      text: "The primary database is unreachable.",
      match: { source: "db-monitor", severity: ["critical", "error"], labels: { team: "db" } },
      action: "declare",
      severity: "sev2",
    },
    {
      id: "storm",
      text: "A storm of alerts from one system.",
      match: { labels: { storm: "yes" } },
      action: "declare",
    },
    {
      id: "queue-stuck",
      text: "A job queue stopped moving.",
      match: { labels: { queue: "stuck" } },
      action: "propose",
    },
    {
      id: "cache-cold",
      text: "A cache went cold.",
      match: { labels: { cache: "cold" } },
      action: "declare",
    },
  );
  return plan;
}

/** What the intake needs to know of a PagerDuty integration made through the API. */
function integrationRef(pd: { id: string; name: string }) {
  return {
    id: pd.id,
    name: pd.name,
    type: "pagerduty" as const,
    service: null,
    heartbeatSeconds: null,
    rateLimitPerMinute: 60_000,
  };
}

/** A normalized event with nothing but its action and key (the summary is the key). */
function bareEvent(action: "trigger" | "resolve", dedupKey: string) {
  return {
    action,
    dedupKey,
    summary: dedupKey,
    source: null,
    severity: "info" as const,
    component: null,
    group: null,
    class: null,
    labels: {},
    details: {},
  };
}

const PD_ACCEPTED = (key: string) =>
  JSON.stringify({ status: "success", message: "Event processed", dedup_key: key });
const PD_INVALID = (errors: string[]) =>
  JSON.stringify({ status: "invalid event", message: "Event object is invalid", errors });

describe.each(dialects())("alert intake on %s", (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let responder: TestUser;
  let viewer: TestUser;
  let worker: Worker;
  let ctx: Ctx;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { plan: intakePlan() });
    admin = await t.user("admin");
    responder = await t.user("responder");
    viewer = await t.user("viewer");
    ctx = {
      store: t.store,
      plans: t.plans,
      clock: t.clock,
      publicUrl: "http://runsheet.test",
      events: new EventHub(),
      comms: createCommsRuntime({ env: {} }),
      actor: { kind: "system" },
    };
    worker = new Worker({ store: t.store, clock: t.clock, handlers: alertHandlers(ctx) });
  });
  afterAll(async () => t?.close());

  async function createIntegration(body: Record<string, unknown>): Promise<CreatedIntegration> {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/integrations",
      headers: admin.auth,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return CreatedIntegration.parse(res.json());
  }

  const pagerduty = (name = "Prometheus via PagerDuty", extra: Record<string, unknown> = {}) =>
    createIntegration({ name, type: "pagerduty", ...extra });

  function trigger(routingKey: string, dedupKey: string | undefined, payload: Record<string, unknown> = {}) {
    return {
      routing_key: routingKey,
      event_action: "trigger",
      ...(dedupKey === undefined ? {} : { dedup_key: dedupKey }),
      payload: {
        summary: "Disk 95% full on db1",
        source: "db1.example.com",
        severity: "warning",
        ...payload,
      },
    };
  }

  const enqueue = (body: unknown) =>
    t.app.inject({
      method: "POST",
      url: "/v2/enqueue",
      headers: { "content-type": "application/json" },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });

  async function alertsOf(integrationId: string, query = ""): Promise<Alert[]> {
    const res = await t.app.inject({
      url: `/api/v1/alerts?integration=${integrationId}&limit=200${query}`,
      headers: viewer.auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.map((a: unknown) => Alert.parse(a));
  }

  async function incident(id: string): Promise<Incident> {
    const res = await t.app.inject({ url: `/api/v1/incidents/${id}`, headers: viewer.auth });
    expect(res.statusCode, res.body).toBe(200);
    return Incident.parse(res.json());
  }

  async function timeline(id: string): Promise<TimelineEntry[]> {
    const res = await t.app.inject({
      url: `/api/v1/incidents/${id}/timeline?limit=500`,
      headers: viewer.auth,
    });
    return res.json().items.map((e: unknown) => TimelineEntry.parse(e));
  }

  async function count(table: "alerts" | "incidents"): Promise<number> {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function incidentsOf(criterion: string) {
    return t.store.db
      .selectFrom("incidents")
      .select(["id", "status"])
      .where("alert_criterion", "=", criterion)
      .orderBy("number")
      .execute();
  }

  describe("integrations", () => {
    it("are created by admins with a key shown once and stored as its SHA-256", async () => {
      const created = await pagerduty("Datadog");
      expect(created.key).toMatch(/^[0-9a-f]{32}$/);
      expect(created).toMatchObject({
        name: "Datadog",
        type: "pagerduty",
        keyPrefix: created.key.slice(0, 8),
        url: "http://runsheet.test/v2/enqueue",
        disabledAt: null,
        rateLimitPerMinute: 60_000,
      });
      const row = await t.store.db
        .selectFrom("integrations")
        .selectAll()
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      expect(row.key_hash).toBe(sha256(created.key));
      expect(JSON.stringify(row)).not.toContain(created.key);

      const generic = await createIntegration({ name: "Cron", type: "generic", service: "login" });
      expect(generic.url).toBe(`http://runsheet.test/api/v1/integrations/${generic.key}/generic`);

      const list = await t.app.inject({ url: "/api/v1/integrations", headers: viewer.auth });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(created.key);
      const items = list.json().items.map((i: unknown) => Integration.parse(i));
      expect(items.find((i: Integration) => i.id === generic.id)).toMatchObject({
        service: "login",
        type: "generic",
      });
      expect(Object.keys(list.json().items[0]).sort()).toEqual(Object.keys(Integration.shape).sort());
    });

    it("refuse other roles and bad input, naming the field", async () => {
      const asResponder = await t.app.inject({
        method: "POST",
        url: "/api/v1/integrations",
        headers: responder.auth,
        payload: { name: "x", type: "generic" },
      });
      expect(asResponder.statusCode).toBe(403);
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ name: "x", type: "nagios" }, 400, "body.type"],
        [{ name: "", type: "generic" }, 400, "body.name"],
        [{ name: "x", type: "generic", heartbeatSeconds: 60 }, 400, "body.heartbeatSeconds"],
        [{ name: "x", type: "heartbeat", heartbeatSeconds: 10 }, 400, "body.heartbeatSeconds"],
        [{ name: "x", type: "generic", service: "mainframe" }, 422, "service"],
      ];
      for (const [payload, status, path] of cases) {
        const res = await t.app.inject({
          method: "POST",
          url: "/api/v1/integrations",
          headers: admin.auth,
          payload,
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.headers["content-type"]).toContain("application/problem+json");
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
    });

    it("are disabled by admins: the key stops working at once", async () => {
      const pd = await pagerduty("Short-lived");
      const am = await createIntegration({ name: "AM short-lived", type: "alertmanager" });
      expect((await enqueue(trigger(pd.key, "before"))).statusCode).toBe(202);
      const asViewer = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/integrations/${pd.id}`,
        headers: viewer.auth,
      });
      expect(asViewer.statusCode).toBe(403);
      for (const id of [pd.id, am.id]) {
        const res = await t.app.inject({
          method: "DELETE",
          url: `/api/v1/integrations/${id}`,
          headers: admin.auth,
        });
        expect(res.statusCode).toBe(204);
      }
      const after = await enqueue(trigger(pd.key, "after"));
      expect(after.statusCode).toBe(400);
      expect(after.body).toBe(PD_INVALID(["Invalid routing key"]));
      const webhook = await t.app.inject({
        method: "POST",
        url: `/api/v1/integrations/${am.key}/alertmanager`,
        payload: { alerts: [] },
      });
      expect(webhook.statusCode).toBe(404);
      expect(webhook.json().code).toBe("not_found");
      const list = (await t.app.inject({ url: "/api/v1/integrations", headers: viewer.auth })).json();
      expect(list.items.find((i: Integration) => i.id === pd.id).disabledAt).not.toBeNull();
      expect(await alertsOf(pd.id)).toHaveLength(1);
      const missing = await t.app.inject({
        method: "DELETE",
        url: "/api/v1/integrations/00000000-0000-7000-8000-000000000000",
        headers: admin.auth,
      });
      expect(missing.statusCode).toBe(404);
    });
  });

  describe("PagerDuty Events API v2", () => {
    it("answers 202 exactly as PagerDuty does and opens an alert", async () => {
      const pd = await pagerduty();
      const res = await enqueue(
        trigger(pd.key, "disk-db1", {
          component: "postgres",
          group: "prod",
          class: "disk",
          custom_details: { team: "storage", "free bytes": 1024 },
        }),
      );
      expect(res.statusCode).toBe(202);
      expect(res.headers["content-type"]).toContain("application/json");
      expect(res.body).toBe(PD_ACCEPTED("disk-db1"));
      const [alert] = await alertsOf(pd.id);
      expect(alert).toEqual({
        id: expect.any(String),
        dedupKey: "disk-db1",
        status: "triggered",
        summary: "Disk 95% full on db1",
        source: "db1.example.com",
        severity: "warning",
        component: "postgres",
        labels: { team: "storage", component: "postgres", group: "prod", class: "disk" },
        integrationId: pd.id,
        incidentId: null,
        incident: null,
        criterionId: null,
        proposal: null,
        silenced: false,
        eventCount: 1,
        firstSeenAt: t.clock.now().toISOString(),
        lastSeenAt: t.clock.now().toISOString(),
        acknowledgedAt: null,
        resolvedAt: null,
      });
      const one = await t.app.inject({ url: `/api/v1/alerts/${alert!.id}`, headers: viewer.auth });
      expect(AlertDetail.parse(one.json())).toMatchObject({
        group: "prod",
        class: "disk",
        details: { custom_details: { team: "storage", "free bytes": 1024 } },
      });
    });

    it("stores text with NUL characters, which PostgreSQL text refuses, without them", async () => {
      const pd = await pagerduty();
      const res = await enqueue(
        trigger(pd.key, "nul\u0000key", {
          summary: "Disk\u0000 full",
          custom_details: { note: "a\u0000b", "back\\slash": "\\u0000 stays" },
        }),
      );
      expect(res.statusCode, res.body).toBe(202);
      const [alert] = await alertsOf(pd.id);
      expect(alert).toMatchObject({ dedupKey: "nulkey", summary: "Disk full", labels: { note: "ab" } });
      const detail = (
        await t.app.inject({ url: `/api/v1/alerts/${alert!.id}`, headers: viewer.auth })
      ).json();
      expect(detail.details.custom_details).toEqual({ note: "ab", "back\\slash": "\\u0000 stays" });
    });

    it("makes up a dedup key for a trigger without one and returns it", async () => {
      const pd = await pagerduty();
      const first = await enqueue(trigger(pd.key, undefined));
      const second = await enqueue(trigger(pd.key, undefined));
      expect(first.statusCode).toBe(202);
      const keys = [first.json().dedup_key, second.json().dedup_key];
      expect(keys[0]).not.toBe(keys[1]);
      expect(first.body).toBe(PD_ACCEPTED(keys[0]));
      expect((await alertsOf(pd.id)).map((a) => a.dedupKey).sort()).toEqual([...keys].sort());
    });

    it("answers 400 'invalid event' as PagerDuty does, and writes nothing", async () => {
      const pd = await pagerduty();
      const before = await count("alerts");
      const cases: Array<[unknown, string[]]> = [
        [trigger("0123456789abcdef0123456789abcdef", "k"), ["Invalid routing key"]],
        [trigger("not-a-key", "k"), ["Invalid routing key"]],
        [
          { event_action: "trigger" },
          ["'routing_key' is missing or blank", "'payload' is missing (required to trigger)"],
        ],
        [
          trigger(pd.key, "k", { severity: "high" }),
          ["'payload.severity' is invalid (must be one of critical, error, warning, info)"],
        ],
        [
          { routing_key: pd.key, event_action: "resolve" },
          ["'dedup_key' is missing or blank (required to resolve)"],
        ],
        ["[1, 2]", ["Event object must be a JSON object"]],
      ];
      for (const [body, errors] of cases) {
        const res = await enqueue(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.body).toBe(PD_INVALID(errors));
      }
      const broken = await enqueue('{"routing_key": ');
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toMatchObject({ status: "invalid event", message: "Event object is invalid" });
      expect(broken.json().errors).toHaveLength(1);
      const form = await t.app.inject({
        method: "POST",
        url: "/v2/enqueue",
        headers: { "content-type": "text/plain" },
        payload: "routing_key=x",
      });
      expect(form.statusCode).toBe(400);
      expect(form.body).toBe(PD_INVALID(["Content-Type must be application/json"]));
      expect(await count("alerts")).toBe(before);
    });

    it("takes bodies up to 512 KB and refuses larger ones in PagerDuty's shape", async () => {
      const pd = await pagerduty();
      const big = trigger(pd.key, "big", { custom_details: { log: "x".repeat(400 * 1024) } });
      expect((await enqueue(big)).statusCode).toBe(202);
      const huge = await enqueue(
        trigger(pd.key, "huge", { custom_details: { log: "x".repeat(600 * 1024) } }),
      );
      expect(huge.statusCode).toBe(413);
      expect(huge.body).toBe(PD_INVALID(["Event is larger than 512 KB"]));
      expect((await alertsOf(pd.id)).map((a) => a.dedupKey)).toEqual(["big"]);
    });

    it("deduplicates repeats of an open key, per routing key", async () => {
      const pd = await pagerduty();
      const other = await pagerduty("Other");
      for (const summary of ["Disk 91% full", "Disk 93% full", "Disk 95% full"]) {
        t.clock.advance(1_000);
        expect((await enqueue(trigger(pd.key, "disk", { summary, severity: "error" }))).statusCode).toBe(202);
      }
      expect((await enqueue(trigger(other.key, "disk"))).statusCode).toBe(202);
      const [alert] = await alertsOf(pd.id);
      expect(await alertsOf(pd.id)).toHaveLength(1);
      expect(alert).toMatchObject({ eventCount: 3, summary: "Disk 95% full", severity: "error" });
      expect(Date.parse(alert!.lastSeenAt) - Date.parse(alert!.firstSeenAt)).toBe(2_000);
      expect(await alertsOf(other.id)).toHaveLength(1);
    });

    it("acknowledges and resolves; a trigger after resolve opens a new alert; unknown keys are ignored", async () => {
      const pd = await pagerduty();
      await enqueue(trigger(pd.key, "cpu"));
      t.clock.advance(1_000);
      const ack = await enqueue({ routing_key: pd.key, event_action: "acknowledge", dedup_key: "cpu" });
      expect(ack.body).toBe(PD_ACCEPTED("cpu"));
      expect((await alertsOf(pd.id))[0]).toMatchObject({
        status: "acknowledged",
        acknowledgedAt: t.clock.now().toISOString(),
      });
      // A repeat while acknowledged keeps it acknowledged.
      await enqueue(trigger(pd.key, "cpu"));
      expect((await alertsOf(pd.id))[0]).toMatchObject({ status: "acknowledged", eventCount: 2 });
      t.clock.advance(1_000);
      await enqueue({ routing_key: pd.key, event_action: "resolve", dedup_key: "cpu" });
      expect((await alertsOf(pd.id))[0]).toMatchObject({
        status: "resolved",
        resolvedAt: t.clock.now().toISOString(),
      });
      for (const action of ["acknowledge", "resolve"]) {
        const res = await enqueue({ routing_key: pd.key, event_action: action, dedup_key: "never-seen" });
        expect(res.body).toBe(PD_ACCEPTED("never-seen"));
      }
      t.clock.advance(1_000);
      await enqueue(trigger(pd.key, "cpu"));
      const alerts = await alertsOf(pd.id);
      expect(alerts.map((a) => [a.dedupKey, a.status])).toEqual([
        ["cpu", "triggered"],
        ["cpu", "resolved"],
      ]);
    });

    it("answers 429 when a key sends faster than its limit", async () => {
      const pd = await pagerduty("Noisy", { rateLimitPerMinute: 3 });
      for (let i = 0; i < 3; i++) expect((await enqueue(trigger(pd.key, `n${i}`))).statusCode).toBe(202);
      const refused = await enqueue(trigger(pd.key, "n3"));
      expect(refused.statusCode).toBe(429);
      expect(refused.headers["retry-after"]).toBe("20");
      expect(refused.json()).toMatchObject({ status: "throttle event" });
      expect(await alertsOf(pd.id)).toHaveLength(3);
      const generic = await createIntegration({
        name: "Noisy script",
        type: "generic",
        rateLimitPerMinute: 1,
      });
      const url = `/api/v1/integrations/${generic.key}/generic`;
      expect((await t.app.inject({ method: "POST", url, payload: { summary: "a" } })).statusCode).toBe(202);
      const second = await t.app.inject({ method: "POST", url, payload: { summary: "b" } });
      expect(second.statusCode).toBe(429);
      expect(second.json().code).toBe("rate_limited");
      t.clock.advance(60_000);
      expect((await enqueue(trigger(pd.key, "n4"))).statusCode).toBe(202);
    });

    it("never answers 5xx to random bodies, and writes nothing for refused ones", async () => {
      const pd = await pagerduty("Fuzzed");
      const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
      const nearlyValid = fc.record(
        {
          routing_key: fc.oneof(fc.constant(pd.key), fc.string({ maxLength: 40 }), anyValue),
          event_action: fc.oneof(fc.constantFrom("trigger", "acknowledge", "resolve", "TRIGGER"), anyValue),
          dedup_key: fc.oneof(fc.string({ maxLength: 300, unit: "binary-ascii" }), anyValue),
          payload: fc.oneof(
            fc.record(
              {
                // Control characters too: PostgreSQL text refuses NUL.
                summary: fc.oneof(fc.string({ maxLength: 50, unit: "binary-ascii" }), anyValue),
                source: fc.oneof(fc.string({ maxLength: 20, unit: "binary-ascii" }), anyValue),
                severity: fc.oneof(
                  fc.constantFrom("critical", "error", "warning", "info", "fatal"),
                  anyValue,
                ),
                timestamp: fc.oneof(
                  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
                  anyValue,
                ),
                custom_details: anyValue,
                component: anyValue,
              },
              { requiredKeys: [] },
            ),
            anyValue,
          ),
          links: anyValue,
          images: anyValue,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(nearlyValid, fc.jsonValue()), async (body) => {
          const before = await count("alerts");
          const res = await enqueue(body === undefined ? "null" : body);
          expect([202, 400], res.body).toContain(res.statusCode);
          if (res.statusCode === 400) {
            expect(res.json()).toMatchObject({ status: "invalid event", message: "Event object is invalid" });
            expect(res.json().errors.length).toBeGreaterThan(0);
            expect(await count("alerts")).toBe(before);
          } else {
            expect(res.json()).toMatchObject({ status: "success", message: "Event processed" });
          }
        }),
        { numRuns: 150 },
      );
    });
  });

  describe("Alertmanager, Grafana, generic", () => {
    const amAlert = (
      fingerprint: string,
      status: "firing" | "resolved",
      labels: Record<string, string> = {},
    ) => ({
      status,
      labels: { alertname: "HighErrorRate", severity: "critical", ...labels },
      annotations: { summary: `Errors on ${fingerprint}` },
      startsAt: "2026-11-27T02:59:00Z",
      endsAt: "0001-01-01T00:00:00Z",
      generatorURL: "http://prometheus/graph",
      fingerprint,
      futureField: { ignored: true },
    });
    const amBody = (alerts: unknown[]) => ({
      version: "4",
      groupKey: '{}:{alertname="HighErrorRate"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "runsheet",
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: "http://alertmanager:9093",
      notification_reason: "new",
      alerts,
    });

    it("Alertmanager: each alert by fingerprint, severity from the label, resolved ones resolve", async () => {
      const am = await createIntegration({ name: "Alertmanager", type: "alertmanager" });
      const url = `/api/v1/integrations/${am.key}/alertmanager`;
      const res = await t.app.inject({
        method: "POST",
        url,
        payload: amBody([amAlert("fp1", "firing"), amAlert("fp2", "firing", { severity: "page" })]),
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ status: "success", accepted: 2, dedupKeys: ["fp1", "fp2"] });
      const alerts = await alertsOf(am.id);
      expect(alerts.map((a) => [a.dedupKey, a.severity, a.summary, a.source]).sort()).toEqual([
        ["fp1", "critical", "Errors on fp1", "prometheus"],
        ["fp2", "warning", "Errors on fp2", "prometheus"],
      ]);
      await t.app.inject({ method: "POST", url, payload: amBody([amAlert("fp1", "resolved")]) });
      expect((await alertsOf(am.id, "&status=open")).map((a) => a.dedupKey)).toEqual(["fp2"]);
      expect((await alertsOf(am.id, "&status=resolved")).map((a) => a.dedupKey)).toEqual(["fp1"]);
    });

    it("ignore a sender's own Authorization header: the key in the URL or body is the credential", async () => {
      const am = await createIntegration({ name: "Alertmanager with basic auth", type: "alertmanager" });
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/integrations/${am.key}/alertmanager`,
        headers: { authorization: "Basic YWxlcnRtYW5hZ2VyOnNlY3JldA==" },
        payload: amBody([amAlert("fp-auth", "firing")]),
      });
      expect(res.statusCode, res.body).toBe(202);
      const pd = await pagerduty();
      const viaPd = await t.app.inject({
        method: "POST",
        url: "/v2/enqueue",
        headers: { "content-type": "application/json", authorization: "Token token=not-ours" },
        payload: JSON.stringify(trigger(pd.key, "auth-header")),
      });
      expect(viaPd.statusCode, viaPd.body).toBe(202);
      expect((await alertsOf(am.id)).map((a) => a.dedupKey)).toEqual(["fp-auth"]);
    });

    it("Alertmanager: 400 naming the field, 404 for a key that is not an Alertmanager one", async () => {
      const am = await createIntegration({ name: "Alertmanager 2", type: "alertmanager" });
      const pd = await pagerduty();
      const bad = await t.app.inject({
        method: "POST",
        url: `/api/v1/integrations/${am.key}/alertmanager`,
        payload: amBody([{ ...amAlert("x", "firing"), fingerprint: undefined }]),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(["body.alerts.0.fingerprint"]);
      for (const key of [pd.key, "ffffffffffffffffffffffffffffffff", "nope"]) {
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/integrations/${key}/alertmanager`,
          payload: amBody([amAlert("x", "firing")]),
        });
        expect(res.statusCode).toBe(404);
        expect(res.headers["content-type"]).toContain("application/problem+json");
      }
      expect(await alertsOf(am.id)).toHaveLength(0);
    });

    it("Grafana: the same alerts with title, state and message", async () => {
      const grafana = await createIntegration({ name: "Grafana", type: "grafana" });
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/integrations/${grafana.key}/grafana`,
        payload: {
          ...amBody([{ ...amAlert("g1", "firing"), values: { B: 44.2 }, dashboardURL: "", panelURL: "" }]),
          version: "1",
          orgId: 1,
          title: "[FIRING:1] HighErrorRate",
          state: "alerting",
          message: "Errors are high",
        },
      });
      expect(res.statusCode, res.body).toBe(202);
      const [alert] = await alertsOf(grafana.id);
      expect(alert).toMatchObject({ dedupKey: "g1", source: "grafana", severity: "critical" });
    });

    it("generic: one event or a list; 400 naming the field", async () => {
      const generic = await createIntegration({ name: "Scripts", type: "generic" });
      const url = `/api/v1/integrations/${generic.key}/generic`;
      const one = await t.app.inject({
        method: "POST",
        url,
        payload: {
          dedupKey: "backup",
          summary: "Nightly backup failed",
          severity: "error",
          labels: { host: "b1" },
        },
      });
      expect(one.statusCode, one.body).toBe(202);
      expect(one.json().dedupKeys).toEqual(["backup"]);
      const list = await t.app.inject({
        method: "POST",
        url,
        payload: [{ summary: "No key" }, { action: "resolve", dedupKey: "backup" }],
      });
      expect(list.statusCode).toBe(202);
      const alerts = await alertsOf(generic.id);
      expect(alerts.find((a) => a.dedupKey === "backup")).toMatchObject({
        status: "resolved",
        labels: { host: "b1" },
      });
      expect(alerts).toHaveLength(2);
      const cases: Array<[unknown, string]> = [
        [{ action: "resolve" }, "body.dedupKey"],
        [[{ summary: "ok" }, { severity: "critical" }], "body.1.summary"],
        [{ summary: "x", severity: "fatal" }, "body.severity"],
        [{ summary: "x", sevrity: "critical" }, "body"],
      ];
      for (const [payload, path] of cases) {
        const res = await t.app.inject({ method: "POST", url, payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      expect(await alertsOf(generic.id)).toHaveLength(2);
    });
  });

  describe("the alerts API", () => {
    it("acknowledges and resolves for responders, refuses viewers, 404s unknown ids", async () => {
      const pd = await pagerduty();
      await enqueue(trigger(pd.key, "manual"));
      const [alert] = await alertsOf(pd.id);
      const as = (user: TestUser, action: string, id = alert!.id) =>
        t.app.inject({ method: "POST", url: `/api/v1/alerts/${id}/${action}`, headers: user.auth });
      expect((await as(viewer, "acknowledge")).statusCode).toBe(403);
      const acked = await as(responder, "acknowledge");
      expect(acked.statusCode).toBe(200);
      expect(AlertDetail.parse(acked.json())).toMatchObject({ status: "acknowledged" });
      expect((await as(responder, "acknowledge")).json().status).toBe("acknowledged");
      const resolved = await as(responder, "resolve");
      expect(resolved.json()).toMatchObject({ status: "resolved", resolvedAt: t.clock.now().toISOString() });
      const late = await as(responder, "acknowledge");
      expect(late.statusCode).toBe(409);
      expect(late.json().code).toBe("conflict");
      expect((await as(responder, "resolve", "00000000-0000-7000-8000-000000000000")).statusCode).toBe(404);
      expect((await t.app.inject({ url: "/api/v1/alerts/nope", headers: viewer.auth })).statusCode).toBe(404);
      // The sender's next trigger opens a new alert.
      await enqueue(trigger(pd.key, "manual"));
      expect(await alertsOf(pd.id, "&status=open")).toHaveLength(1);
    });

    it("pages through alerts newest first", async () => {
      const pd = await pagerduty();
      for (let i = 0; i < 5; i++) {
        t.clock.advance(1_000);
        await enqueue(trigger(pd.key, `page-${i}`));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await t.app.inject({
          url: `/api/v1/alerts?integration=${pd.id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          headers: viewer.auth,
        });
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().items.map((a: Alert) => a.dedupKey));
        cursor = res.json().nextCursor;
      } while (cursor);
      expect(seen).toEqual(["page-4", "page-3", "page-2", "page-1", "page-0"]);
      const bad = await t.app.inject({ url: "/api/v1/alerts?cursor=garbage", headers: viewer.auth });
      expect(bad.statusCode).toBe(400);
      const anonymous = await t.app.inject({ url: "/api/v1/alerts" });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe("promotion", () => {
    const dbAlert = (key: string, dedup: string, extra: Record<string, unknown> = {}) =>
      trigger(key, dedup, {
        summary: `Primary database unreachable (${dedup})`,
        source: "db-monitor",
        severity: "error",
        component: "login",
        custom_details: { team: "db" },
        ...extra,
      });

    it("declares an incident for a declare criterion, and attaches the next alerts to it", async () => {
      const pd = await pagerduty("DB monitor");
      const res = await enqueue(dbAlert(pd.key, "db-1"));
      expect(res.statusCode).toBe(202);
      const [alert] = await alertsOf(pd.id);
      expect(alert).toMatchObject({ criterionId: "db-down", incidentId: expect.any(String), proposal: null });
      const declared = await incident(alert!.incidentId!);
      expect(declared).toMatchObject({
        title: "Primary database unreachable (db-1)",
        severity: "sev2",
        detectedBy: "monitoring",
        status: "investigating",
        criteria: ["db-down"],
        components: [{ id: "login", name: expect.any(String), impact: "partial_outage" }],
        declaredBy: null,
      });
      const notes = (await timeline(declared.id)).filter((e) => e.kind === "alerts_attached");
      expect(notes.map((n) => n.body)).toEqual([
        'Declared from the alert "Primary database unreachable (db-1)" (DB monitor).',
      ]);

      // A second alert of the same criterion joins it; so do repeats; no new incident.
      t.clock.advance(5_000);
      await enqueue(dbAlert(pd.key, "db-2"));
      for (let i = 0; i < 12; i++) await enqueue(dbAlert(pd.key, `db-more-${i}`, { severity: "critical" }));
      await enqueue(dbAlert(pd.key, "db-1"));
      const alerts = await alertsOf(pd.id);
      expect(alerts).toHaveLength(14);
      expect(new Set(alerts.map((a) => a.incidentId))).toEqual(new Set([declared.id]));
      // Each alert names its incident, so a list needs no request per incident.
      const named = { id: declared.id, reference: declared.reference, title: declared.title };
      expect(alerts.map((a) => a.incident)).toEqual(alerts.map(() => named));
      expect(await incidentsOf("db-down")).toHaveLength(1);
      // Not one timeline entry per alert: the note waits for the minute to be up.
      expect((await timeline(declared.id)).filter((e) => e.kind === "alerts_attached")).toHaveLength(1);
      t.clock.advance(60_000);
      expect(await worker.drain()).toBe(1);
      const later = (await timeline(declared.id)).filter((e) => e.kind === "alerts_attached");
      expect(later.map((n) => n.body)).toEqual([
        'Declared from the alert "Primary database unreachable (db-1)" (DB monitor).',
        expect.stringMatching(/^13 more alerts attached \(latest: Primary database unreachable/),
      ]);
      // More than a minute after the last note, the next one is written at once.
      t.clock.advance(61_000);
      await enqueue(dbAlert(pd.key, "db-late"));
      const last = (await timeline(declared.id)).filter((e) => e.kind === "alerts_attached").at(-1);
      expect(last?.body).toBe("1 more alert attached (latest: Primary database unreachable (db-late)).");
      expect(await worker.drain()).toBe(0);

      // Made private, the incident stays unnamed to those who may not see it; admins still see it.
      const hide = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/incidents/${declared.id}`,
        headers: { ...admin.auth, "if-match": `"${(await incident(declared.id)).version}"` },
        payload: { private: true },
      });
      expect(hide.statusCode, hide.body).toBe(200);
      const hidden = await alertsOf(pd.id);
      expect(hidden.map((a) => [a.incidentId, a.incident])).toEqual(hidden.map(() => [declared.id, null]));
      const one = await t.app.inject({ url: `/api/v1/alerts/${alert!.id}`, headers: viewer.auth });
      expect(AlertDetail.parse(one.json())).toMatchObject({ incidentId: declared.id, incident: null });
      const asAdmin = await t.app.inject({ url: `/api/v1/alerts?integration=${pd.id}`, headers: admin.auth });
      expect(asAdmin.json().items.map((a: Alert) => a.incident)).toEqual(hidden.map(() => named));
    });

    it("declares a new incident once the criterion's incident is resolved", async () => {
      const pd = await pagerduty("Cache monitor");
      const cold = (dedup: string) =>
        trigger(pd.key, dedup, { summary: `Cache cold ${dedup}`, custom_details: { cache: "cold" } });
      await enqueue(cold("c1"));
      const [first] = await incidentsOf("cache-cold");
      const declared = await incident(first!.id);
      // No severity on the criterion: the plan's least severe; warning: degraded performance.
      expect(declared.severity).toBe(t.plans.current().plan.severities.at(-1)!.id);
      expect(declared.components).toEqual([]);
      const resolve = await t.app.inject({
        method: "POST",
        url: `/api/v1/incidents/${declared.id}/status`,
        headers: admin.auth,
        payload: { status: "resolved", override: true, reason: "cache warmed" },
      });
      expect(resolve.statusCode, resolve.body).toBe(200);
      await enqueue(cold("c2"));
      const both = await incidentsOf("cache-cold");
      expect(both.map((i) => i.status)).toEqual(["resolved", "investigating"]);
      const alerts = await alertsOf(pd.id);
      expect(alerts.find((a) => a.dedupKey === "c2")?.incidentId).toBe(both[1]!.id);
      expect(alerts.find((a) => a.dedupKey === "c1")?.incidentId).toBe(both[0]!.id);
    });

    it("proposes for a propose criterion: dismiss, or accept to declare", async () => {
      const pd = await pagerduty("Queue monitor");
      const stuck = (dedup: string) =>
        trigger(pd.key, dedup, {
          summary: `Queue ${dedup} stuck`,
          severity: "critical",
          custom_details: { queue: "stuck" },
        });
      await enqueue(stuck("q1"));
      const [q1] = await alertsOf(pd.id);
      expect(q1).toMatchObject({ criterionId: "queue-stuck", proposal: "pending", incidentId: null });
      const act = (action: string, id: string, user = responder) =>
        t.app.inject({ method: "POST", url: `/api/v1/alerts/${id}/${action}`, headers: user.auth });
      expect((await act("dismiss", q1!.id, viewer)).statusCode).toBe(403);
      const dismissed = await act("dismiss", q1!.id);
      expect(dismissed.statusCode).toBe(200);
      expect(dismissed.json()).toMatchObject({ proposal: "dismissed", incidentId: null });
      expect((await act("dismiss", q1!.id)).statusCode).toBe(409);
      expect((await act("accept", q1!.id)).statusCode).toBe(409);
      expect(await incidentsOf("queue-stuck")).toHaveLength(0);

      await enqueue(stuck("q2"));
      const q2 = (await alertsOf(pd.id)).find((a) => a.dedupKey === "q2")!;
      expect(q2.proposal).toBe("pending");
      const accepted = await act("accept", q2.id);
      expect(accepted.statusCode, accepted.body).toBe(200);
      const body = accepted.json();
      expect(body.alert).toMatchObject({
        proposal: "accepted",
        incidentId: body.incident.id,
        incident: { id: body.incident.id, reference: body.incident.reference, title: "Queue q2 stuck" },
      });
      expect(Incident.parse(body.incident)).toMatchObject({
        title: "Queue q2 stuck",
        detectedBy: "monitoring",
        criteria: ["queue-stuck"],
        declaredBy: { id: responder.id },
      });
      expect((await act("accept", q2.id)).statusCode).toBe(409);
      // While that incident is open, the criterion's next alert joins it instead of asking again.
      await enqueue(stuck("q3"));
      const q3 = (await alertsOf(pd.id)).find((a) => a.dedupKey === "q3")!;
      expect(q3).toMatchObject({ proposal: null, incidentId: body.incident.id });
      expect(await incidentsOf("queue-stuck")).toHaveLength(1);
    });

    it("silences alerts of a service under maintenance and never promotes them", async () => {
      const pd = await pagerduty("Card checks", { service: "card-payments" });
      const scheduled = await t.app.inject({
        method: "POST",
        url: "/api/v1/maintenances",
        headers: admin.auth,
        payload: {
          title: "Card processor upgrade",
          body: "Card payments may fail for a few minutes.",
          components: ["card-payments"],
          scheduledFor: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
          scheduledUntil: new Date(t.clock.now().getTime() + 7_200_000).toISOString(),
          notify: false,
        },
      });
      expect(scheduled.statusCode, scheduled.body).toBe(201);
      const money = (dedup: string) =>
        trigger(pd.key, dedup, {
          summary: "Card payments failing",
          source: "prometheus",
          severity: "critical",
          custom_details: { tier: "money-flow" },
        });
      // Scheduled is not yet active: promoted as usual would be; check with a non-matching alert.
      await enqueue(trigger(pd.key, "before"));
      expect((await alertsOf(pd.id))[0]?.silenced).toBe(false);
      const started = await t.app.inject({
        method: "POST",
        url: `/api/v1/maintenances/${scheduled.json().id}/updates`,
        headers: admin.auth,
        payload: { status: "in_progress", body: "Started.", notify: false },
      });
      expect(started.statusCode, started.body).toBe(200);
      const incidentsBefore = await count("incidents");
      await enqueue(money("during"));
      await enqueue(money("during"));
      const during = (await alertsOf(pd.id)).find((a) => a.dedupKey === "during")!;
      expect(during).toMatchObject({ silenced: true, incidentId: null, criterionId: null, eventCount: 2 });
      expect(await count("incidents")).toBe(incidentsBefore);
    });

    it("a storm across 50 keys makes exactly 50 alerts and one incident", async () => {
      const keys = await Promise.all([pagerduty("Storm A"), pagerduty("Storm B")]);
      const events = Array.from({ length: 2_000 }, (_, i) => {
        const n = i % 50;
        return trigger(keys[n % 2]!.key, `storm-${n}`, {
          summary: `Node ${n} down`,
          severity: "critical",
          custom_details: { storm: "yes" },
        });
      });
      for (let i = 0; i < events.length; i += 500) {
        const answers = await Promise.all(events.slice(i, i + 500).map((e) => enqueue(e)));
        expect(answers.every((a) => a.statusCode === 202)).toBe(true);
      }
      const alerts = [...(await alertsOf(keys[0]!.id)), ...(await alertsOf(keys[1]!.id))];
      expect(alerts).toHaveLength(50);
      expect(alerts.reduce((sum, a) => sum + a.eventCount, 0)).toBe(2_000);
      const storm = await incidentsOf("storm");
      expect(storm).toHaveLength(1);
      expect(new Set(alerts.map((a) => a.incidentId))).toEqual(new Set([storm[0]!.id]));
      expect(
        (await timeline(storm[0]!.id)).filter((e) => e.kind === "alerts_attached").length,
      ).toBeLessThanOrEqual(2);
    });

    // SQLite runs in one process (a second writer in the same process would block its event loop).
    it.runIf(dialect === "postgres")("two processes promoting at once declare one incident", async () => {
      const pd = await pagerduty("Two processes");
      const other = await openStore({ databaseUrl: t.databaseUrl, pgSchema: t.pgSchema });
      try {
        const ref = integrationRef(pd);
        const event = (n: number) => ({
          integration: ref,
          event: {
            action: "trigger" as const,
            dedupKey: `twin-${n}`,
            summary: `Twin ${n}`,
            source: null,
            severity: "critical" as const,
            component: null,
            group: null,
            class: null,
            labels: { storm: "twins" },
            details: {},
          },
        });
        const plan = intakePlan();
        plan.definition.criteria.unshift({
          id: "twins",
          text: "Twins.",
          match: { labels: { storm: "twins" } },
          action: "declare",
        });
        const a = { ...ctx, plans: new PlanHolder({ plan, version: 1 }) };
        const b = { ...a, store: other };
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => processEvents(i % 2 ? a : b, [event(i), event(i + 100)])),
        );
        const rows = await t.store.db
          .selectFrom("alerts")
          .select(["incident_id"])
          .where("integration_id", "=", pd.id)
          .execute();
        expect(rows).toHaveLength(20);
        const declared = await incidentsOf("twins");
        expect(declared).toHaveLength(1);
        expect(new Set(rows.map((r) => r.incident_id))).toEqual(new Set([declared[0]!.id]));
      } finally {
        await other.close();
      }
    });
  });

  describe("batching", () => {
    it("applies concurrent requests in one transaction, and a failing one alone", async () => {
      const pd = await pagerduty("Batched");
      const ref = integrationRef(pd);
      const event = (dedupKey: string) => bareEvent("trigger", dedupKey);
      let transactions = 0;
      const counting: Store = {
        ...t.store,
        transaction: (fn) => {
          transactions += 1;
          return t.store.transaction(fn);
        },
      };
      const intake = new AlertIntake({ ...ctx, store: counting });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => intake.submit(ref, [event(`b${i}`), event(`b${i}`)])),
      );
      // Requests that arrive together share transactions (how many depends on timing; never one each).
      expect(transactions).toBeLessThan(10);
      expect((await alertsOf(pd.id)).map((a) => a.eventCount)).toEqual(Array(10).fill(2));

      // An integration that does not exist cannot hold alerts: its request fails, the others do not.
      transactions = 0;
      const ghost = { ...ref, id: "00000000-0000-7000-8000-00000000beef" };
      const results = await Promise.allSettled([
        intake.submit(ref, [event("c1")]),
        intake.submit(ghost, [event("c2")]),
        intake.submit(ref, [event("c3")]),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      // The batch fails and its requests are applied one by one, so only the bad one fails.
      expect(transactions).toBeGreaterThanOrEqual(2);
      expect((await alertsOf(pd.id)).map((a) => a.dedupKey).slice(0, 2)).toEqual(["c3", "c1"]);
      await intake.idle();
    });
  });

  describe("batches side by side", () => {
    it("keep each alert's events in the order they came", async () => {
      const pd = await pagerduty("Ordered");
      const ref = integrationRef(pd);
      const event = bareEvent;
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      // Each batch stays open a while after applying, so the next one starts before it commits.
      const slow: Store = {
        ...t.store,
        transaction: (fn) =>
          t.store.transaction(async (tx) => {
            const result = await fn(tx);
            await pause(20);
            return result;
          }),
      };
      const intake = new AlertIntake({ ...ctx, store: slow }, { concurrency: 3, lingerMs: 0 });
      await Promise.all(
        Array.from({ length: 10 }, async (_, round) => {
          const key = `order-${round}`;
          // Each arrives while the one before may still be in a running batch.
          const first = intake.submit(ref, [event("trigger", key)]);
          await pause(5);
          const second = intake.submit(ref, [event("resolve", key)]);
          await pause(5);
          await Promise.all([first, second, intake.submit(ref, [event("trigger", key)])]);
        }),
      );
      await intake.idle();
      const alerts = await alertsOf(pd.id);
      for (let round = 0; round < 10; round++) {
        const mine = alerts.filter((a) => a.dedupKey === `order-${round}`);
        expect(mine.map((a) => [a.status, a.eventCount]).sort()).toEqual([
          ["resolved", 1],
          ["triggered", 1],
        ]);
      }
    });
  });

  describe("heartbeats", () => {
    it("raises 'Heartbeat missed' when none came in time, and the next one resolves it", async () => {
      const hb = await createIntegration({ name: "Nightly export", type: "heartbeat", heartbeatSeconds: 60 });
      expect(hb.url).toBe(`http://runsheet.test/api/v1/integrations/${hb.key}/heartbeat`);
      const beat = () => t.app.inject({ method: "POST", url: `/api/v1/integrations/${hb.key}/heartbeat` });
      t.clock.advance(30_000);
      const first = await beat();
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({ status: "ok", receivedAt: t.clock.now().toISOString() });
      t.clock.advance(31_000); // the first check is due (60 s after creation), but a beat came at 30 s
      await worker.drain();
      expect(await alertsOf(hb.id)).toHaveLength(0);
      t.clock.advance(30_000); // 61 s after the last beat
      await worker.drain();
      const [missed] = await alertsOf(hb.id);
      expect(missed).toMatchObject({
        dedupKey: `heartbeat:${hb.id}`,
        summary: "Heartbeat missed: Nightly export",
        status: "triggered",
      });
      t.clock.advance(120_000);
      await worker.drain();
      expect(await alertsOf(hb.id)).toHaveLength(1);
      expect((await alertsOf(hb.id))[0]?.eventCount).toBe(1);
      expect((await beat()).statusCode).toBe(200);
      expect((await alertsOf(hb.id))[0]).toMatchObject({ status: "resolved" });
      const row = await t.store.db
        .selectFrom("integrations")
        .select("last_heartbeat_at")
        .where("id", "=", hb.id)
        .executeTakeFirstOrThrow();
      expect(row.last_heartbeat_at).toBe(t.clock.now().toISOString());
      // Disabled: no more checks, and the URL is gone.
      await t.app.inject({ method: "DELETE", url: `/api/v1/integrations/${hb.id}`, headers: admin.auth });
      t.clock.advance(600_000);
      await worker.drain();
      expect(await alertsOf(hb.id)).toHaveLength(1);
      expect((await beat()).statusCode).toBe(404);
      const queued = await t.store.db
        .selectFrom("jobs")
        .select("id")
        .where("kind", "=", "checkHeartbeat")
        .where("state", "=", "queued")
        .execute();
      expect(queued).toHaveLength(0);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FirstRunSetup } from "../src/auth/setup.ts";
import { buildApp } from "../src/http/app.ts";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

/**
 * A history seeded through the API at known times, then every figure of
 * GET /api/v1/values checked against the same figures worked out here from the
 * seed itself (nearest-rank percentiles, shares), without computeValues.
 */

interface SeedIncident {
  key: string;
  title: string;
  severity: "sev1" | "sev2" | "sev3";
  detectedBy: "monitoring" | "customer" | "employee";
  components: string[];
  drill?: boolean;
  impact?: string;
  declared: string;
  ack?: string;
  updates?: string[];
  monitoring?: string;
  resolved?: string;
  reviewHeld?: string;
  postmortemPublished?: string;
}

interface SeedItem {
  key: string;
  incident: string;
  created: string;
  dueAt: string;
  closed?: string;
}

const FROM = "2026-10-01T00:00:00.000Z";
const TO = "2026-11-01T00:00:00.000Z";
const NOW = "2026-10-25T00:00:00.000Z";
const UPDATE_EVERY: Record<string, number> = { sev1: 20 * 60, sev2: 30 * 60, sev3: 60 * 60 };

const INCIDENTS: SeedIncident[] = [
  // Before the range: only its action item, due inside the range, counts.
  {
    key: "O",
    title: "Dashboard slow to load",
    severity: "sev3",
    detectedBy: "employee",
    components: ["web-app"],
    declared: "2026-09-20T10:00:00.000Z",
  },
  {
    key: "I1",
    title: "Card payments failing",
    severity: "sev1",
    detectedBy: "monitoring",
    components: ["card-payments"],
    impact: "2026-10-05T08:48:00.000Z",
    declared: "2026-10-05T09:00:00.000Z",
    ack: "2026-10-05T09:03:00.000Z",
    updates: ["2026-10-05T09:10:00.000Z", "2026-10-05T09:28:00.000Z", "2026-10-05T09:55:00.000Z"],
    monitoring: "2026-10-05T10:00:00.000Z",
    resolved: "2026-10-05T10:30:00.000Z",
    reviewHeld: "2026-10-07T13:00:00.000Z",
    postmortemPublished: "2026-10-08T16:00:00.000Z",
  },
  {
    key: "I2",
    title: "Sign-in codes not arriving",
    severity: "sev2",
    detectedBy: "customer",
    components: ["login"],
    impact: "2026-10-07T14:00:00.000Z",
    declared: "2026-10-07T14:30:00.000Z",
    ack: "2026-10-07T14:40:00.000Z",
    updates: ["2026-10-07T14:50:00.000Z", "2026-10-07T15:15:00.000Z"],
    resolved: "2026-10-07T16:30:00.000Z",
  },
  // A drill: excluded from every figure, its action item too.
  {
    key: "D",
    title: "Drill: payouts stuck",
    severity: "sev1",
    detectedBy: "monitoring",
    components: ["bank-payouts"],
    drill: true,
    impact: "2026-10-08T10:00:00.000Z",
    declared: "2026-10-08T10:30:00.000Z",
    ack: "2026-10-08T10:31:00.000Z",
    resolved: "2026-10-08T11:00:00.000Z",
  },
  // The same as I1 while I1's action item is open: a repeat. Still open.
  {
    key: "I3",
    title: "Card payments failing",
    severity: "sev3",
    detectedBy: "employee",
    components: ["card-payments"],
    declared: "2026-10-12T10:00:00.000Z",
  },
];

const ITEMS: SeedItem[] = [
  {
    key: "O1",
    incident: "O",
    created: "2026-09-21T09:00:00.000Z",
    dueAt: "2026-10-10T12:00:00.000Z",
    closed: "2026-10-09T08:00:00.000Z",
  },
  { key: "I1a", incident: "I1", created: "2026-10-05T10:40:00.000Z", dueAt: "2026-10-20T12:00:00.000Z" },
  {
    key: "I1b",
    incident: "I1",
    created: "2026-10-05T10:41:00.000Z",
    dueAt: "2026-10-16T12:00:00.000Z",
    closed: "2026-10-17T09:00:00.000Z",
  },
  { key: "I2a", incident: "I2", created: "2026-10-07T17:00:00.000Z", dueAt: "2026-10-30T12:00:00.000Z" },
  { key: "I2b", incident: "I2", created: "2026-10-07T17:01:00.000Z", dueAt: "2026-11-15T12:00:00.000Z" },
  { key: "Da", incident: "D", created: "2026-10-08T11:30:00.000Z", dueAt: "2026-10-15T12:00:00.000Z" },
];

// ---- the expected figures, worked out from the seed ----

const t = (iso: string) => Date.parse(iso);
const secs = (from: string, to: string) => Math.max(0, (t(to) - t(from)) / 1000);

function rank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}
const dist = (values: number[]) => ({ count: values.length, p50: rank(values, 50), p90: rank(values, 90) });
const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

function expected(reviewDue: Map<string, string>) {
  const counted = INCIDENTS.filter((i) => !i.drill && t(i.declared) >= t(FROM) && t(i.declared) < t(TO));
  const by = (source: string) => counted.filter((i) => i.detectedBy === source).length;
  const paged = counted; // every counted incident was declared in working hours with Marta on the plan: all paged
  const acked = counted.filter((i) => i.ack);
  const withUpdates = counted.filter((i) => i.updates?.length);
  const cadence = withUpdates.flatMap((i) =>
    i.updates!.slice(1).map((at, n) => ({ at, due: t(i.updates![n]!) + UPDATE_EVERY[i.severity]! * 1000 })),
  );
  const mitigated = counted.filter((i) => i.monitoring || i.resolved);
  const resolved = counted.filter((i) => i.resolved);
  const required = counted.filter((i) => reviewDue.has(i.key));
  const reviewOutcome = (i: SeedIncident) => {
    const due = reviewDue.get(i.key)!;
    if (i.reviewHeld) return t(i.reviewHeld) <= t(due) ? "onTime" : "late";
    return t(due) < t(NOW) ? "late" : "pending";
  };
  const onTimeReviews = required.filter((i) => reviewOutcome(i) === "onTime").length;
  const lateReviews = required.filter((i) => reviewOutcome(i) === "late").length;
  const drills = new Set(INCIDENTS.filter((i) => i.drill).map((i) => i.key));
  const due = ITEMS.filter(
    (a) =>
      !drills.has(a.incident) &&
      t(a.dueAt) >= t(FROM) &&
      t(a.dueAt) < t(TO) &&
      (a.closed !== undefined || t(a.dueAt) < t(NOW)),
  );
  const itemsOnTime = due.filter((a) => a.closed && t(a.closed) <= t(a.dueAt)).length;
  const repeats = counted.filter((i) => i.key === "I3").length;
  return {
    incidents: counted.length,
    detect: {
      monitoring: by("monitoring"),
      customer: by("customer"),
      employee: by("employee"),
      monitoringShare: ratio(by("monitoring"), counted.length),
      customerShare: ratio(by("customer"), counted.length),
      timeToDetect: dist(counted.map((i) => secs(i.impact ?? i.declared, i.declared))),
    },
    respond: {
      paged: paged.length,
      acknowledged: acked.length,
      timeToAck: dist(acked.map((i) => secs(i.declared, i.ack!))),
      timeToFirstUpdate: dist(withUpdates.map((i) => secs(i.declared, i.updates![0]!))),
      cadence: {
        updates: cadence.length,
        onCadence: cadence.filter((u) => t(u.at) <= u.due).length,
        share: ratio(cadence.filter((u) => t(u.at) <= u.due).length, cadence.length),
      },
    },
    recover: {
      timeToMitigate: dist(
        mitigated.map((i) => secs(i.declared, [i.monitoring, i.resolved].filter(Boolean).sort()[0]!)),
      ),
      timeToResolve: dist(resolved.map((i) => secs(i.declared, i.resolved!))),
      unresolved: counted.length - resolved.length,
    },
    learn: {
      reviews: {
        required: required.length,
        onTime: onTimeReviews,
        late: lateReviews,
        pending: required.length - onTimeReviews - lateReviews,
        onTimeShare: ratio(onTimeReviews, onTimeReviews + lateReviews),
      },
      postmortems: {
        published: counted.filter((i) => i.postmortemPublished).length,
        share: ratio(required.filter((i) => i.postmortemPublished).length, required.length),
      },
    },
    improve: {
      actions: {
        due: due.length,
        onTime: itemsOnTime,
        late: due.length - itemsOnTime,
        openPastDue: due.filter((a) => !a.closed).length,
        onTimeShare: ratio(itemsOnTime, due.length),
      },
      repeats: { count: repeats, share: ratio(repeats, counted.length) },
    },
  };
}

// ---- seeding through the API ----

type Step = { at: string; order: number; run: () => Promise<void> };

describe.each(dialects())("the values on %s", (dialect) => {
  let app: TestApp;
  let admin: TestUser;
  let viewer: TestUser;
  let marta: TestUser;
  const ids = new Map<string, { id: string; reference: string }>();
  const itemIds = new Map<string, { id: string; version: number }>();
  const reviewDue = new Map<string, string>();

  async function call(method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: unknown, as = admin) {
    const res = await app.app.inject({
      method,
      url,
      headers: as.auth,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }

  beforeAll(async () => {
    app = await buildTestApp(dialect, { start: "2026-09-01T00:00:00.000Z" });
    admin = await app.user("admin", "ana.admin@example.com", "Ana Admin");
    viewer = await app.user("viewer");
    // The example plan's incident manager: every declaration pages her.
    marta = await app.user("responder", "marta.silva@example.com", "Marta Silva");

    const steps: Step[] = [];
    const at = (when: string, order: number, run: () => Promise<void>) =>
      steps.push({ at: when, order, run });
    for (const i of INCIDENTS) {
      at(i.declared, 0, async () => {
        const incident = await call("POST", "/api/v1/incidents", {
          title: i.title,
          severity: i.severity,
          criteria: ["customer-reports"],
          components: i.components.map((id) => ({ id, impact: "major_outage" })),
          detectedBy: i.detectedBy,
          ...(i.impact ? { impactStartedAt: i.impact } : {}),
          ...(i.drill ? { drill: true } : {}),
        });
        ids.set(i.key, { id: incident.id, reference: incident.reference });
      });
      if (i.ack) {
        at(i.ack, 1, async () => {
          const pages = (await call("GET", "/api/v1/pages?all=true&status=all")).items as Array<{
            id: string;
            incident: { id: string };
            createdAt: string;
          }>;
          const page = pages.find((p) => p.incident.id === ids.get(i.key)!.id)!;
          expect(page.createdAt).toBe(i.declared);
          await call("POST", `/api/v1/pages/${page.id}/ack`, undefined, marta);
        });
      }
      for (const update of i.updates ?? []) {
        at(update, 2, async () => {
          await call("POST", `/api/v1/incidents/${ids.get(i.key)!.id}/updates`, {
            phase: "identified",
            channels: ["status-page"],
          });
        });
      }
      if (i.monitoring) {
        at(i.monitoring, 3, async () => {
          await call("POST", `/api/v1/incidents/${ids.get(i.key)!.id}/status`, { status: "monitoring" });
        });
      }
      if (i.resolved) {
        at(i.resolved, 4, async () => {
          const incident = await call("POST", `/api/v1/incidents/${ids.get(i.key)!.id}/status`, {
            status: "resolved",
            override: true,
            reason: "fixed by the provider",
          });
          if (incident.review) reviewDue.set(i.key, incident.review.dueAt);
        });
      }
      if (i.reviewHeld) {
        at(i.reviewHeld, 5, async () => {
          await call("PATCH", `/api/v1/incidents/${ids.get(i.key)!.id}/review`, { status: "held" });
        });
      }
      if (i.postmortemPublished) {
        at(i.postmortemPublished, 6, async () => {
          const id = ids.get(i.key)!.id;
          await call("POST", `/api/v1/incidents/${id}/postmortem`);
          await call("POST", `/api/v1/incidents/${id}/postmortem/status`, { status: "in_review" });
          await call("POST", `/api/v1/incidents/${id}/postmortem/status`, { status: "published" });
        });
      }
    }
    for (const item of ITEMS) {
      at(item.created, 7, async () => {
        const created = await call("POST", `/api/v1/incidents/${ids.get(item.incident)!.id}/action-items`, {
          title: `Follow-up ${item.key}`,
          ownerId: marta.id,
          team: "payments",
          dueAt: item.dueAt,
        });
        itemIds.set(item.key, { id: created.id, version: created.version });
      });
      if (item.closed) {
        at(item.closed, 8, async () => {
          await call("PATCH", `/api/v1/action-items/${itemIds.get(item.key)!.id}`, { status: "done" });
        });
      }
    }
    steps.sort((a, b) => t(a.at) - t(b.at) || a.order - b.order);
    for (const step of steps) {
      app.clock.set(step.at);
      await step.run();
    }
    app.clock.set(NOW);
  });
  afterAll(async () => app?.close());

  it("flags the repeat the seed makes", async () => {
    const i3 = await call("GET", `/api/v1/incidents/${ids.get("I3")!.id}`);
    expect(i3.repeatOf).toEqual(ids.get("I1"));
    // Resolving the SEV1 and SEV2 opened their reviews (the drill's too, which the values leave out).
    expect([...reviewDue.keys()].sort()).toEqual(["D", "I1", "I2"]);
  });

  it("answers every figure as worked out from the seed", async () => {
    const report = await call("GET", `/api/v1/values?from=${FROM}&to=${TO}`, undefined, viewer);
    const want = expected(reviewDue);
    expect({
      incidents: report.incidents,
      detect: report.detect,
      respond: report.respond,
      recover: report.recover,
      learn: report.learn,
      improve: report.improve,
    }).toEqual(want);
    // And a few by hand, so a slip in the expectations above cannot hide one here.
    expect(report.incidents).toBe(3);
    expect(report.detect.timeToDetect).toEqual({ count: 3, p50: 720, p90: 1800 });
    expect(report.respond.timeToAck).toEqual({ count: 2, p50: 180, p90: 600 });
    expect(report.respond.cadence).toEqual({ updates: 3, onCadence: 2, share: 2 / 3 });
    expect(report.recover.timeToMitigate).toEqual({ count: 2, p50: 3600, p90: 7200 });
    expect(report.learn.reviews).toMatchObject({ required: 2, onTime: 1, late: 1 });
    expect(report.improve.actions).toMatchObject({ due: 3, onTime: 1, late: 2, openPastDue: 1 });
    expect(report.improve.repeats).toEqual({ count: 1, share: 1 / 3 });
    expect(report.now).toBe(NOW);
  });

  it("draws the weekly trend, Monday to Monday", async () => {
    const report = await call("GET", `/api/v1/values?from=${FROM}&to=${TO}`);
    expect(report.weekly.map((w: { weekStart: string }) => w.weekStart.slice(0, 10))).toEqual([
      "2026-09-28",
      "2026-10-05",
      "2026-10-12",
      "2026-10-19",
      "2026-10-26",
    ]);
    const [, first, second, third] = report.weekly;
    expect(first).toMatchObject({
      incidents: 2,
      detect: { monitoringShare: 0.5 },
      respond: { ackP50: 180 },
      recover: { resolveP50: 5400 },
      learn: { reviewOnTimeShare: 0.5 },
      improve: { actionsOnTimeShare: 1, repeats: 0 },
    });
    expect(second).toMatchObject({ incidents: 1, improve: { actionsOnTimeShare: 0, repeats: 1 } });
    expect(third).toMatchObject({ incidents: 0, improve: { actionsOnTimeShare: 0 } });
  });

  it("filters by severity and service, and defaults to the last 90 days", async () => {
    const sev1 = await call("GET", `/api/v1/values?from=${FROM}&to=${TO}&severity=sev1`);
    expect(sev1.incidents).toBe(1);
    expect(sev1.filters.severity).toEqual(["sev1"]);
    // I1's two items, due in the range; O's is a sev3's.
    expect(sev1.improve.actions).toMatchObject({ due: 2, onTime: 0, late: 2 });
    const login = await call("GET", `/api/v1/values?from=${FROM}&to=${TO}&service=login`);
    expect(login.incidents).toBe(1);
    expect(login.detect.customer).toBe(1);
    const team = await call("GET", `/api/v1/values?from=${FROM}&to=${TO}&team=payments`);
    expect(team.incidents).toBe(0);
    expect(team.improve.actions.due).toBe(3);

    const byDefault = await call("GET", "/api/v1/values");
    expect(byDefault.to).toBe(NOW);
    expect(byDefault.from).toBe(new Date(t(NOW) - 90 * 86_400_000).toISOString());
    expect(byDefault.incidents).toBe(4); // O, declared on 20 September, is within 90 days too

    const bad = await app.app.inject({ url: "/api/v1/values?from=yesterday", headers: viewer.auth });
    expect(bad.statusCode).toBe(400);
    const empty = await app.app.inject({ url: `/api/v1/values?from=${TO}&to=${FROM}`, headers: viewer.auth });
    expect(empty.statusCode).toBe(422);
  });

  it("exports the same figures as CSV", async () => {
    const res = await app.app.inject({
      url: `/api/v1/values.csv?from=${FROM}&to=${TO}`,
      headers: viewer.auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    expect(res.headers["content-disposition"]).toContain("runsheet-values-2026-10-01-2026-11-01.csv");
    const rows = res.body
      .trimEnd()
      .split("\r\n")
      .map((line) => line.split(","));
    const [header, ...body] = rows;
    expect(header).toEqual([
      "value",
      "figure",
      "number",
      "unit",
      "week_start",
      "from",
      "to",
      "severity",
      "service",
      "team",
    ]);
    expect(body.every((r) => r.length === header!.length)).toBe(true);
    const figure = (name: string) => body.find((r) => r[1] === name && r[4] === "")?.[2];
    expect(figure("incidents")).toBe("3");
    expect(figure("time_to_ack_p90")).toBe("600");
    expect(figure("cadence_share")).toBe(String(2 / 3));
    // 5 weeks of trend rows after the range's own figures.
    expect(new Set(body.filter((r) => r[4] !== "").map((r) => r[4])).size).toBe(5);
  });

  it("exposes the values of the last 30 days and its own HTTP metrics at /metrics, for a token", async () => {
    const anonymous = await app.app.inject({ url: "/metrics" });
    expect(anonymous.statusCode).toBe(401);
    const first = await app.app.inject({ url: "/metrics", headers: viewer.auth });
    expect(first.statusCode).toBe(200);
    expect(first.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(first.body).toContain("# TYPE runsheet_incidents gauge");
    expect(first.body).toContain('runsheet_incidents{range="30d"} 3');
    expect(first.body).toContain('runsheet_respond_ack_seconds{range="30d",quantile="0.9"} 600');
    expect(first.body).toContain("# TYPE http_requests_total counter");
    expect(first.body).toContain("# TYPE http_request_duration_seconds histogram");
    expect(first.body).toMatch(/^process_resident_memory_bytes \d+$/m);

    const served = (body: string) =>
      Number(
        /^http_requests_total\{method="GET",route="\/metrics",status="200"\} (\d+)$/m.exec(body)?.[1] ?? 0,
      );
    const second = await app.app.inject({ url: "/metrics", headers: viewer.auth });
    expect(served(second.body)).toBe(served(first.body) + 1);
    expect(second.body).toMatch(
      /^http_requests_total\{method="GET",route="\/api\/v1\/incidents\/:id",status="200"\} \d+$/m,
    );
    expect(second.body).not.toContain(ids.get("I1")!.id);
  });

  it("serves /metrics without a token when RUNSHEET_METRICS_PUBLIC is set", async () => {
    const open = await buildApp({
      store: app.store,
      plans: app.plans,
      clock: app.clock,
      publicUrl: "http://runsheet.test",
      setup: new FirstRunSetup(),
      metricsPublic: true,
    });
    try {
      const res = await open.inject({ url: "/metrics" });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('runsheet_incidents{range="30d"} 3');
      expect(open.routeTable.find((r) => r.url === "/metrics")?.access).toBe("public");
    } finally {
      await open.close();
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { V2_BODY_SCHEMAS } from "../src/statuspage/render/v2-schema.ts";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

const V2_PATHS = Object.keys(V2_BODY_SCHEMAS) as Array<keyof typeof V2_BODY_SCHEMAS>;

/** Every public format of the page, as one string, to check what never appears in any. */
async function everything(t: TestApp, extra: string[] = []): Promise<string> {
  const paths = [
    "/",
    "/history",
    "/history.rss",
    "/history.atom",
    "/badge.svg",
    ...V2_PATHS.map((p) => `/${p}`),
    ...extra,
  ];
  const bodies = await Promise.all(paths.map((url) => t.app.inject({ url })));
  return bodies.map((r) => r.body).join("\n");
}

describe.each(dialects())("the public status page on %s", (dialect) => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.user("admin");
  });
  afterAll(async () => t?.close());

  const settle = () => t.app.statusPage.site.settled();

  async function declare(overrides: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: admin.auth,
      payload: {
        title: "Card payments failing",
        severity: "sev1",
        criteria: ["money-flow-down"],
        components: [{ id: "card-payments", impact: "partial_outage" }],
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference: string };
  }

  async function publish(incidentId: string, phase: string, body: string) {
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incidentId}/updates`,
      headers: admin.auth,
      payload: { phase, body, channels: ["status-page"] },
    });
    expect(res.statusCode, res.body).toBe(201);
    await settle();
  }

  async function summary() {
    const res = await t.app.inject({ url: "/api/v2/summary.json" });
    return V2_BODY_SCHEMAS["api/v2/summary.json"].parse(res.json());
  }

  it("serves the page, the v2 API, feeds and badge from memory with the documented headers", async () => {
    const page = await t.app.inject({ url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("public, max-age=10, stale-while-revalidate=60");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.body).toContain("All Systems Operational");
    expect(page.body).not.toContain("<script");

    for (const path of V2_PATHS) {
      const res = await t.app.inject({ url: `/${path}` });
      expect(res.statusCode, path).toBe(200);
      expect(res.headers["access-control-allow-origin"], path).toBe("*");
      V2_BODY_SCHEMAS[path].parse(res.json());
    }
    const body = await summary();
    expect(body.status).toEqual({ indicator: "none", description: "All Systems Operational" });
    expect(body.components.filter((c) => !c.group).map((c) => c.id)).toEqual(
      t.plans.current().plan.components.map((c) => c.id),
    );
    expect(body.components.filter((c) => c.group).map((c) => c.name)).toEqual([
      "Apps",
      "Payments",
      "Platform",
    ]);
  });

  it("answers HEAD without a body, 304 on a matching ETag, and gzip or brotli when asked", async () => {
    const plain = await t.app.inject({ url: "/api/v2/status.json" });
    const head = await t.app.inject({ method: "HEAD", url: "/api/v2/status.json" });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers.etag).toBe(plain.headers.etag);
    const again = await t.app.inject({
      url: "/api/v2/status.json",
      headers: { "if-none-match": String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");

    const gz = await t.app.inject({ url: "/", headers: { "accept-encoding": "gzip" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const br = await t.app.inject({ url: "/", headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(br.headers["content-encoding"]).toBe("br");
    const identity = await t.app.inject({ url: "/" });
    expect(gunzipSync(gz.rawPayload).toString()).toBe(identity.body);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(identity.body);
    expect(br.headers.etag).not.toBe(identity.headers.etag);
  });

  it("answers unknown pages with a real 404, and leaves the API's 404 alone", async () => {
    const missing = await t.app.inject({ url: "/no-such-page" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("text/html");
    expect((await t.app.inject({ url: "/incidents/0194f000-0000-7000-8000-000000000001" })).statusCode).toBe(
      404,
    );
    const api = await t.app.inject({ url: "/api/v1/nothing-here", headers: admin.auth });
    expect(api.statusCode).toBe(404);
    expect(api.headers["content-type"]).toContain("application/problem+json");
  });

  it("shows an incident once an update is published to the status page, with its component impacts", async () => {
    const incident = await declare();
    await settle();
    expect(await everything(t)).not.toContain("Card payments failing");

    t.clock.advance(5 * 60_000);
    await publish(incident.id, "investigating", "Some card payments fail. We are looking into it.");
    const body = await summary();
    expect(body.status.indicator).toBe("major");
    expect(body.components.find((c) => c.id === "card-payments")?.status).toBe("partial_outage");
    expect(body.components.find((c) => c.name === "Payments")?.status).toBe("partial_outage");
    expect(body.incidents).toHaveLength(1);
    const shown = body.incidents[0];
    expect(shown?.name).toBe("Card payments failing");
    expect(shown?.impact).toBe("major");
    expect(shown?.incident_updates[0]?.body).toBe("Some card payments fail. We are looking into it.");
    expect(shown?.incident_updates[0]?.affected_components).toEqual([
      {
        code: "card-payments",
        name: "Card payments",
        old_status: "operational",
        new_status: "partial_outage",
      },
    ]);
    const page = await t.app.inject({ url: "/" });
    expect(page.body).toContain("Some card payments fail. We are looking into it.");
    const own = await t.app.inject({ url: `/incidents/${incident.id}` });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain("Card payments failing");

    // Resolve it an hour later: the component is operational again, the hour is in today's uptime.
    t.clock.advance(60 * 60_000);
    const resolved = await t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/status`,
      headers: admin.auth,
      payload: { status: "resolved", override: true, reason: "payments flow again" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await publish(incident.id, "resolved", "Card payments work again.");
    const after = await summary();
    expect(after.status.indicator).toBe("none");
    expect(after.incidents).toEqual([]);
    const all = V2_BODY_SCHEMAS["api/v2/incidents.json"].parse(
      (await t.app.inject({ url: "/api/v2/incidents.json" })).json(),
    );
    expect(all.incidents[0]?.status).toBe("resolved");
    expect(all.incidents[0]?.incident_updates.map((u) => u.status)).toEqual(["resolved", "investigating"]);
    const today = t.app.statusPage.site
      .snapshot()
      ?.components.find((c) => c.id === "card-payments")
      ?.uptime.at(-1);
    expect(today?.seconds.partial_outage).toBe(3600);
    expect(today?.incidents.map((i) => i.id)).toEqual([incident.id]);
  });

  it("never shows private incidents or drills, in any format", async () => {
    const secret = await declare({ title: "Secret breach investigation", private: true });
    const drill = await declare({ title: "Quarterly drill outage", drill: true });
    for (const id of [secret.id, drill.id]) {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/incidents/${id}/updates`,
        headers: admin.auth,
        payload: { phase: "investigating", body: "Hidden words", channels: ["status-page"] },
      });
      // The status page channel does not take drills; a private incident may still publish.
      expect([201, 422], res.body).toContain(res.statusCode);
    }
    await settle();
    const text = await everything(t, [`/incidents/${secret.id}`, `/incidents/${drill.id}`]);
    expect(text).not.toContain("Secret breach");
    expect(text).not.toContain("Quarterly drill");
    expect(text).not.toContain("Hidden words");
    expect((await t.app.inject({ url: `/incidents/${secret.id}` })).statusCode).toBe(404);
  });

  it("takes page settings and components through the admin API, into the plan", async () => {
    const viewer = await t.user("viewer");
    const refused = await t.app.inject({
      method: "PUT",
      url: "/api/v1/statuspage/settings",
      headers: viewer.auth,
      payload: { name: "Nope" },
    });
    expect(refused.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: "PUT",
      url: "/api/v1/statuspage/settings",
      headers: admin.auth,
      payload: { brandColor: "blue" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("body.brandColor");

    const versionBefore = t.plans.current().version;
    const ok = await t.app.inject({
      method: "PUT",
      url: "/api/v1/statuspage/settings",
      headers: admin.auth,
      payload: { name: "Quillmark Service Status", brandColor: "#0a7d38" },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(t.plans.current().version).toBeGreaterThan(versionBefore);
    await settle();
    expect((await t.app.inject({ url: "/" })).body).toContain("Quillmark Service Status");
    expect((await summary()).page.name).toBe("Quillmark Service Status");

    const components = t.plans.current().plan.components.map((c) => ({
      id: c.id,
      name: c.name,
      group: c.group ?? null,
    }));
    const added = await t.app.inject({
      method: "PUT",
      url: "/api/v1/statuspage/components",
      headers: admin.auth,
      payload: { components: [...components, { id: "reports", name: "Reports", group: "Insights" }] },
    });
    expect(added.statusCode, added.body).toBe(200);
    await settle();
    const body = await summary();
    expect(body.components.find((c) => c.id === "reports")?.status).toBe("operational");
    expect(body.components.find((c) => c.name === "Insights" && c.group)?.components).toEqual(["reports"]);
    // The YAML keeps its comments.
    const yaml = (await t.app.inject({ url: "/api/v1/plan", headers: admin.auth })).json().yaml as string;
    expect(yaml).toContain("# THE PUBLIC STATUS PAGE");

    const duplicate = await t.app.inject({
      method: "PUT",
      url: "/api/v1/statuspage/components",
      headers: admin.auth,
      payload: { components: [components[0], components[0]] },
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().errors[0].path).toBe("body.components.1.id");

    const info = await t.app.inject({ url: "/api/v1/statuspage", headers: viewer.auth });
    expect(info.statusCode).toBe(200);
    expect(info.json().widgetSnippet).toContain("http://runsheet.test/widget.js");
  });

  it("keeps serving the last rendering when the store cannot be read, and says so", async () => {
    const stale = await buildTestApp(dialect);
    try {
      const before = await stale.app.inject({ url: "/" });
      expect(before.body).not.toContain("Live updates are paused");
      await stale.store.close();
      await stale.app.statusPage.site.refresh();
      const after = await stale.app.inject({ url: "/" });
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain("Live updates are paused");
      expect((await stale.app.inject({ url: "/api/v2/status.json" })).statusCode).toBe(200);
    } finally {
      await stale.app.close();
      await stale.cleanup().catch(() => {});
    }
  });
});

describe("a status page under a base path", () => {
  it("serves the page under /status and leaves the root alone", async () => {
    const t = await buildTestApp("sqlite", { statusPage: { basePath: "/status" } });
    try {
      expect((await t.app.inject({ url: "/status" })).statusCode).toBe(200);
      expect((await t.app.inject({ url: "/status/" })).statusCode).toBe(200);
      const summaryRes = await t.app.inject({ url: "/status/api/v2/summary.json" });
      expect(summaryRes.json().page.url).toBe("http://runsheet.test/status");
      expect((await t.app.inject({ url: "/" })).statusCode).toBe(404);
      const page = (await t.app.inject({ url: "/status/" })).body;
      expect(page).toContain('href="/status/history"');
    } finally {
      await t.close();
    }
  });
});

describe.each(dialects())("scheduled maintenance on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin");
  });
  afterAll(async () => w?.stop());

  it("starts and completes on time, marks its components, and tells subscribers at each step", async () => {
    const sub = await w.app.inject({
      method: "POST",
      url: "/api/v1/subscribers",
      headers: admin.auth,
      payload: { email: "ops@customer.example", components: ["public-api"] },
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const other = await w.app.inject({
      method: "POST",
      url: "/api/v1/subscribers",
      headers: admin.auth,
      payload: { email: "payments-only@customer.example", components: ["card-payments"] },
    });
    expect(other.statusCode).toBe(201);

    const start = new Date(w.clock.now().getTime() + 2 * 3_600_000);
    const end = new Date(start.getTime() + 3_600_000);
    const bad = await w.app.inject({
      method: "POST",
      url: "/api/v1/maintenances",
      headers: admin.auth,
      payload: {
        title: "Database upgrade",
        body: "x",
        components: ["public-api"],
        scheduledFor: end.toISOString(),
        scheduledUntil: start.toISOString(),
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain("scheduledUntil");

    const created = await w.app.inject({
      method: "POST",
      url: "/api/v1/maintenances",
      headers: admin.auth,
      payload: {
        title: "Database upgrade",
        body: "The API may answer slowly for a few minutes.",
        components: ["public-api"],
        scheduledFor: start.toISOString(),
        scheduledUntil: end.toISOString(),
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await w.worker.drain();
    await w.app.statusPage.site.settled();
    const upcoming = (await w.app.inject({ url: "/api/v2/scheduled-maintenances/upcoming.json" })).json();
    expect(upcoming.scheduled_maintenances.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(w.smtp.messages.flatMap((m) => m.to)).toEqual(["ops@customer.example"]);
    expect(w.smtp.messages[0]?.subject).toContain("Database upgrade");

    // Nothing happens before its time.
    w.clock.advance(3_600_000);
    await w.worker.drain();
    expect(
      (await w.app.inject({ url: `/api/v1/maintenances/${id}`, headers: admin.auth })).json().status,
    ).toBe("scheduled");

    w.clock.set(new Date(start.getTime() + 1_000));
    await w.worker.drain();
    await w.app.statusPage.site.settled();
    const active = (await w.app.inject({ url: "/api/v2/scheduled-maintenances/active.json" })).json();
    expect(active.scheduled_maintenances[0]?.status).toBe("in_progress");
    const during = V2_BODY_SCHEMAS["api/v2/summary.json"].parse(
      (await w.app.inject({ url: "/api/v2/summary.json" })).json(),
    );
    expect(during.components.find((c) => c.id === "public-api")?.status).toBe("under_maintenance");
    expect(during.status.description).toBe("Service Under Maintenance");

    w.clock.set(new Date(end.getTime() + 1_000));
    await w.worker.drain();
    await w.app.statusPage.site.settled();
    const done = (await w.app.inject({ url: `/api/v1/maintenances/${id}`, headers: admin.auth })).json();
    expect(done.status).toBe("completed");
    expect(done.updates.map((u: { status: string }) => u.status)).toEqual([
      "completed",
      "in_progress",
      "scheduled",
    ]);
    const after = (await w.app.inject({ url: "/api/v2/summary.json" })).json();
    expect(after.components.find((c: { id: string }) => c.id === "public-api")?.status).toBe("operational");
    expect(w.smtp.messages.filter((m) => m.to.includes("ops@customer.example"))).toHaveLength(3);
    expect(w.smtp.messages.some((m) => m.to.includes("payments-only@customer.example"))).toBe(false);

    // A completed maintenance is closed.
    const closed = await w.app.inject({
      method: "POST",
      url: `/api/v1/maintenances/${id}/updates`,
      headers: admin.auth,
      payload: { status: "in_progress", body: "again" },
    });
    expect(closed.statusCode).toBe(422);
    expect(closed.json().errors[0].path).toBe("status");
  });
});

describe("the subscribe form without JavaScript, and the export on change", () => {
  it("answers form posts with pages a person can read, mistakes included", async () => {
    const t = await buildTestApp("sqlite");
    try {
      const form = { "content-type": "application/x-www-form-urlencoded" };
      const bad = await t.app.inject({
        method: "POST",
        url: "/subscribe",
        headers: form,
        payload: "email=not-an-address",
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers["content-type"]).toContain("text/html");
      expect(bad.body).toContain("<strong>email</strong>");
      const hook = await t.app.inject({
        method: "POST",
        url: "/subscribe",
        headers: { ...form, "x-forwarded-for": "203.0.113.9" },
        payload: "webhookUrl=https%3A%2F%2Fhooks.example.net%2Fstatus&components=card-payments",
      });
      expect(hook.statusCode, hook.body).toBe(202);
      expect(hook.body).toMatch(/whsec_[A-Za-z0-9+/=]+/);
    } finally {
      await t.close();
    }
  });

  it("re-exports the static page after every change when asked to", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "runsheet-export-"));
    const t = await buildTestApp("sqlite", { statusPage: { exportDir: dir } });
    try {
      const admin = await t.user("admin");
      const incident = await t.app.inject({
        method: "POST",
        url: "/api/v1/incidents",
        headers: admin.auth,
        payload: {
          title: "Invoice emails delayed",
          severity: "sev2",
          criteria: ["money-flow-down"],
          components: [{ id: "invoice-emails", impact: "degraded_performance" }],
        },
      });
      await t.app.inject({
        method: "POST",
        url: `/api/v1/incidents/${incident.json().id}/updates`,
        headers: admin.auth,
        payload: { phase: "investigating", body: "Invoice emails go out late.", channels: ["status-page"] },
      });
      const index = path.join(dir, "index.html");
      const summary = path.join(dir, "api/v2/summary.json");
      // Each change rewrites every file, the page first and the widget last.
      const shown = async () =>
        existsSync(index) &&
        readFileSync(index, "utf8").includes("Invoice emails go out late.") &&
        existsSync(path.join(dir, "widget.js")) &&
        readFileSync(summary, "utf8").includes("Invoice emails delayed");
      for (let i = 0; i < 100 && !(await shown()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await shown()).toBe(true);
      expect(JSON.parse(readFileSync(summary, "utf8")).incidents[0].name).toBe("Invoice emails delayed");
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

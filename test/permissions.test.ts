import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRole } from "../src/auth/model.ts";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";

/**
 * Every route declares who may call it (the app refuses to start otherwise);
 * this proves each one refuses callers below that: anonymous callers get 401,
 * signed-in users of a lower role 403. It walks the app's own route table, so
 * a new route is covered the day it is added.
 */
const LOWER: Record<OrgRole, OrgRole[]> = {
  viewer: [],
  responder: ["viewer"],
  admin: ["viewer", "responder"],
};

const fill = (url: string) =>
  url.replace(/:(\w+)/g, (_m, name: string) =>
    name === "version" ? "1" : `00000000-0000-7000-8000-00000000dead`,
  );

describe("route permissions", () => {
  let t: TestApp;
  const users = {} as Record<OrgRole, TestUser>;

  beforeAll(async () => {
    t = await buildTestApp("sqlite");
    for (const role of ["viewer", "responder", "admin"] as const) users[role] = await t.user(role);
  });
  afterAll(async () => t?.close());

  it("has a declared access for every route, and the expected public ones", () => {
    expect(t.app.routeTable.length).toBeGreaterThan(20);
    const open = t.app.routeTable.filter((r) => r.access === "public" && !r.url.startsWith("/api/docs"));
    expect(open.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      [
        "GET /api/v1/openapi.json",
        "GET /api/v1/setup",
        "GET /app",
        "GET /app/*",
        "GET /app/assets/*",
        "GET /*",
        "GET /healthz",
        "POST /v2/enqueue",
        "POST /api/v1/integrations/:key/alertmanager",
        "POST /api/v1/integrations/:key/grafana",
        "POST /api/v1/integrations/:key/generic",
        "POST /api/v1/integrations/:key/heartbeat",
        "GET /ack/:pageId",
        "POST /ack/:pageId",
        "GET /api/v1/schedules/:id.ics",
        "GET /api/v1/users/:userId.ics",
        "GET /subscribe/confirm",
        "GET /unsubscribe",
        "POST /api/v1/auth/login",
        "POST /api/v1/auth/logout",
        "POST /api/v1/setup",
        "POST /subscribe",
        "POST /unsubscribe",
      ].sort(),
    );
  });

  it("refuses anonymous callers and lower roles on every protected route", async () => {
    const checked: string[] = [];
    for (const route of t.app.routeTable) {
      if (route.access === "public") continue;
      const url = fill(route.url);
      const method = route.method as "GET";
      const payload = ["POST", "PUT", "PATCH"].includes(method) ? {} : undefined;
      const anonymous = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(anonymous.statusCode, `${method} ${route.url} anonymous`).toBe(401);
      for (const lower of LOWER[route.access]) {
        const res = await t.app.inject({
          method,
          url,
          headers: users[lower].auth,
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, `${method} ${route.url} as ${lower}`).toBe(403);
      }
      checked.push(`${method} ${route.url}`);
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it("lets the right role through (not 401/403) on a sample of routes", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/incidents", headers: users.viewer.auth });
    expect(res.statusCode).toBe(200);
    const plan = await t.app.inject({
      method: "PUT",
      url: "/api/v1/plan",
      headers: users.admin.auth,
      payload: { yaml: "nope: [" },
    });
    expect(plan.statusCode).toBe(422);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, EXAMPLE_YAML, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

describe.each(dialects())("plan API on %s", (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.user("admin");
    viewer = await t.user("viewer");
  });
  afterAll(async () => t?.close());

  it("reads the current plan", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/plan", headers: viewer.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 1, yaml: EXAMPLE_YAML });
    expect(res.json().plan.roles.length).toBeGreaterThanOrEqual(4);
  });

  it("refuses an invalid plan with the line and column, and keeps the old one", async () => {
    const broken = EXAMPLE_YAML.replace("id: sev2", "id: sev1");
    const res = await t.app.inject({
      method: "PUT",
      url: "/api/v1/plan",
      headers: { ...admin.auth, "content-type": "application/yaml" },
      payload: broken,
    });
    expect(res.statusCode).toBe(422);
    // The duplicate is the second line that reads "id: sev1".
    const lines = broken.split("\n");
    const first = lines.findIndex((l) => /- id: sev1$/.test(l));
    const line = lines.findIndex((l, i) => i > first && /- id: sev1$/.test(l)) + 1;
    expect(res.json().errors[0].message).toContain(`line ${line}`);
    expect(t.plans.current().version).toBe(1);
    const versions = await t.app.inject({
      method: "GET",
      url: "/api/v1/plan/versions",
      headers: viewer.auth,
    });
    expect(versions.json().items).toHaveLength(1);
  });

  it("validates without saving", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/plan/validate",
      headers: viewer.auth,
      payload: { yaml: "organization: [" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(false);
    expect(res.json().errors[0]).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
  });

  it("saves a new version, keeps every version, and uses the new one for new incidents", async () => {
    const changed = EXAMPLE_YAML.replace(/(\n\s+- id: sev3\n\s+name: )[^\n]+/, "$1SEV3 (minor)");
    expect(changed).not.toBe(EXAMPLE_YAML);
    const res = await t.app.inject({
      method: "PUT",
      url: "/api/v1/plan",
      headers: admin.auth,
      payload: { yaml: changed },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(2);
    expect(t.plans.current().version).toBe(2);
    const versions = await t.app.inject({
      method: "GET",
      url: "/api/v1/plan/versions",
      headers: viewer.auth,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await t.app.inject({ method: "GET", url: "/api/v1/plan/versions/1", headers: viewer.auth });
    expect(v1.json().yaml).toBe(EXAMPLE_YAML);
    const responder = await t.user("responder");
    const incident = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: { title: "x", severity: "sev3", criteria: ["customer-reports"] },
    });
    expect(incident.json().planVersion).toBe(2);
  });

  it("exports the filled-in sheet as HTML and Markdown", async () => {
    const html = await t.app.inject({
      method: "GET",
      url: "/api/v1/plan/export?format=html",
      headers: viewer.auth,
    });
    expect(html.headers["content-type"]).toMatch(/text\/html/);
    expect(html.body).toMatch(/DEFINING AN INCIDENT/i);
    expect(html.headers["content-security-policy"]).toContain("default-src 'none'");
    const md = await t.app.inject({
      method: "GET",
      url: "/api/v1/plan/export?format=md&version=1",
      headers: viewer.auth,
    });
    expect(md.body).toMatch(/INCIDENT VALUES/i);
  });

  it("refuses plan bodies over the limit with 413", async () => {
    const res = await t.app.inject({
      method: "PUT",
      url: "/api/v1/plan",
      headers: { ...admin.auth, "content-type": "application/yaml" },
      payload: `# ${"x".repeat(1024 * 1024 + 10)}`,
    });
    expect(res.statusCode).toBe(413);
    const incident = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: admin.auth,
      payload: { title: "x".repeat(300 * 1024), severity: "sev3", criteria: ["customer-reports"] },
    });
    expect(incident.statusCode).toBe(413);
  });
});

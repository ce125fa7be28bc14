import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Incident, TimelineEntry } from "../src/incidents/model.ts";
import { buildTestApp, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

const declareBody = (overrides: Record<string, unknown> = {}) => ({
  title: "Card payments failing",
  severity: "sev1",
  criteria: ["money-flow-down"],
  components: [{ id: "card-payments", impact: "major_outage" }],
  detectedBy: "monitoring",
  ...overrides,
});

describe.each(dialects())("incidents API on %s", (dialect) => {
  let t: TestApp;
  let admin: TestUser;
  let lead: TestUser; // the example plan's incident manager (primary contact)
  let responder: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await t.user("admin");
    lead = await t.user("responder", "marta.silva@example.com", "Marta Silva");
    responder = await t.user("responder");
    viewer = await t.user("viewer");
  });
  afterAll(async () => t?.close());

  async function declare(as: TestUser = responder, overrides: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: as.auth,
      payload: declareBody(overrides),
    });
    expect(res.statusCode, res.body).toBe(201);
    return Incident.parse(res.json());
  }

  async function countRows(table: "incidents" | "timeline_entries") {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it("declares an incident with roles filled from the plan and checklists from responsibilities", async () => {
    const incident = await declare();
    expect(incident.reference).toMatch(/^INC-\d+$/);
    expect(incident.status).toBe("investigating");
    expect(incident.detectedBy).toBe("monitoring");
    expect(incident.components).toEqual([
      { id: "card-payments", name: expect.any(String), impact: "major_outage" },
    ]);
    const im = incident.roles.find((r) => r.roleId === "incident-manager");
    expect(im).toMatchObject({ lead: true, holder: { id: lead.id, email: "marta.silva@example.com" } });
    // Roles whose contacts have no account stay unfilled rather than guessed.
    expect(incident.roles.find((r) => r.roleId === "social-lead")?.holder).toBeNull();
    const plan = t.plans.current().plan;
    const expected = plan.roles.flatMap((r) => r.responsibilities.map((text) => ({ roleId: r.id, text })));
    expect(incident.checklist.map((c) => ({ roleId: c.roleId, text: c.text }))).toEqual(expected);
    expect(incident.checklist.every((c) => !c.done)).toBe(true);

    const again = await t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.reference.toLowerCase()}`,
      headers: viewer.auth,
    });
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).toBe(`"${incident.version}"`);
    expect(Incident.parse(again.json())).toEqual(incident);
  });

  it("numbers incidents one after the other, also when declared at once", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => declare()));
    const numbers = results.map((i) => Number(i.reference.slice(4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers[7]! - numbers[0]!).toBe(7);
  });

  it.each([
    [{ criteria: [] }, "criteria", 422],
    [{ criteria: ["no-such-criterion"] }, "criteria.0", 422],
    [{ severity: "sev9" }, "severity", 422],
    [{ components: [{ id: "nope", impact: "major_outage" }] }, "components.0.id", 422],
    [{ components: [{ id: "card-payments", impact: "on_fire" }] }, "body.components.0.impact", 400],
    [{ title: "" }, "body.title", 400],
    [{ colour: "red" }, "body", 400],
    [{ impactStartedAt: "yesterday" }, "body.impactStartedAt", 400],
    [{ impactStartedAt: "2099-01-01T00:00:00Z" }, "impactStartedAt", 422],
  ])("refuses %j naming %s, and writes nothing", async (overrides, path, status) => {
    const before = await countRows("incidents");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: declareBody(overrides),
    });
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem.status).toBe(status);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await countRows("incidents")).toBe(before);
  });

  it("names the plan's criteria when none is ticked", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: responder.auth,
      payload: declareBody({ criteria: [] }),
    });
    const hint = res.json().errors[0].hint as string;
    for (const c of t.plans.current().plan.definition.criteria) expect(hint).toContain(c.id);
  });

  it("runs an incident to resolution: handover, checklist, decision, final fix, resolve, reopen", async () => {
    const incident = await declare();
    const url = `/api/v1/incidents/${incident.id}`;

    // Hand the comms role over by email; the history keeps both holders.
    const handed = await t.app.inject({
      method: "PUT",
      url: `${url}/roles/comms-manager`,
      headers: responder.auth,
      payload: { email: admin.email },
    });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(Incident.parse(handed.json()).roles.find((r) => r.roleId === "comms-manager")?.holder?.id).toBe(
      admin.id,
    );
    const handedBack = await t.app.inject({
      method: "PUT",
      url: `${url}/roles/comms-manager`,
      headers: responder.auth,
      payload: { userId: responder.id },
    });
    expect(handedBack.statusCode).toBe(200);
    const history = await t.app.inject({ method: "GET", url: `${url}/roles/history`, headers: viewer.auth });
    const stints = history.json().items.filter((s: { roleId: string }) => s.roleId === "comms-manager");
    expect(stints.map((s: { userId: string }) => s.userId)).toEqual([admin.id, responder.id]);
    expect(stints[0].endedAt).toBe(stints[1].startedAt);

    // Tick a checklist item; ticking it again changes nothing.
    const item = incident.checklist[0]!;
    const ticked = await t.app.inject({
      method: "PUT",
      url: `${url}/checklist/${item.id}`,
      headers: responder.auth,
      payload: { done: true },
    });
    expect(ticked.statusCode).toBe(200);
    expect(ticked.json()).toMatchObject({ id: item.id, done: true, doneBy: { id: responder.id } });
    await t.app.inject({
      method: "PUT",
      url: `${url}/checklist/${item.id}`,
      headers: responder.auth,
      payload: { done: true },
    });

    const decision = await t.app.inject({
      method: "POST",
      url: `${url}/timeline`,
      headers: responder.auth,
      payload: { kind: "decision", body: "Fail over to the secondary acquirer" },
    });
    expect(decision.statusCode).toBe(201);
    expect(TimelineEntry.parse(decision.json())).toMatchObject({
      kind: "decision",
      final: false,
      author: { id: responder.id },
    });

    // A final fix by someone else is not confirmed, so resolving is refused.
    const fix = await t.app.inject({
      method: "POST",
      url: `${url}/timeline`,
      headers: responder.auth,
      payload: { kind: "fix", body: "Rolled back the gateway config", final: true },
    });
    expect(fix.json()).toMatchObject({ final: true, confirmedBy: null });
    const early = await t.app.inject({
      method: "POST",
      url: `${url}/status`,
      headers: responder.auth,
      payload: { status: "resolved" },
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0].hint).toMatch(/final/);

    // Only the incident manager confirms it.
    const notLead = await t.app.inject({
      method: "POST",
      url: `${url}/timeline/${fix.json().id}/confirm`,
      headers: responder.auth,
    });
    expect(notLead.statusCode).toBe(403);
    const confirmed = await t.app.inject({
      method: "POST",
      url: `${url}/timeline/${fix.json().id}/confirm`,
      headers: lead.auth,
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().confirmedBy.id).toBe(lead.id);

    const monitoring = await t.app.inject({
      method: "POST",
      url: `${url}/status`,
      headers: responder.auth,
      payload: { status: "monitoring" },
    });
    expect(Incident.parse(monitoring.json())).toMatchObject({ status: "monitoring" });
    expect(monitoring.json().identifiedAt).not.toBeNull();
    const resolved = await t.app.inject({
      method: "POST",
      url: `${url}/status`,
      headers: responder.auth,
      payload: { status: "resolved" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: "resolved",
      finalFix: { entryId: fix.json().id, confirmed: true },
    });
    expect(resolved.json().resolvedAt).not.toBeNull();

    const reopened = await t.app.inject({
      method: "POST",
      url: `${url}/status`,
      headers: responder.auth,
      payload: { status: "investigating", reason: "Errors are back" },
    });
    expect(reopened.json()).toMatchObject({ status: "investigating", resolvedAt: null });

    const timeline = await t.app.inject({ method: "GET", url: `${url}/timeline`, headers: viewer.auth });
    const kinds = timeline.json().items.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe("declared");
    const order = [
      "checklist",
      "decision",
      "fix",
      "fix_confirmed",
      "status_changed",
      "status_changed",
      "reopened",
    ];
    expect(kinds.filter((k: string) => order.includes(k))).toEqual(order);
    expect(kinds.filter((k: string) => k === "checklist")).toHaveLength(1);
    for (const entry of timeline.json().items) TimelineEntry.parse(entry);
  });

  it("lets the incident manager's own final fix count at once", async () => {
    const incident = await declare(lead);
    const fix = await t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/timeline`,
      headers: lead.auth,
      payload: { kind: "fix", body: "Restarted the pool", final: true },
    });
    expect(fix.json().confirmedBy.id).toBe(lead.id);
    const res = await t.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/status`,
      headers: lead.auth,
      payload: { status: "resolved" },
    });
    expect(res.statusCode).toBe(200);
  });

  it("allows resolving without a final fix only as an override with a reason, by the lead or an admin", async () => {
    const incident = await declare();
    const url = `/api/v1/incidents/${incident.id}/status`;
    const byResponder = await t.app.inject({
      method: "POST",
      url,
      headers: responder.auth,
      payload: { status: "resolved", override: true, reason: "Went away" },
    });
    expect(byResponder.statusCode).toBe(403);
    const noReason = await t.app.inject({
      method: "POST",
      url,
      headers: admin.auth,
      payload: { status: "resolved", override: true },
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].path).toBe("reason");
    const ok = await t.app.inject({
      method: "POST",
      url,
      headers: admin.auth,
      payload: { status: "resolved", override: true, reason: "Upstream outage ended by itself" },
    });
    expect(ok.statusCode).toBe(200);
    const timeline = await t.app.inject({
      method: "GET",
      url: `/api/v1/incidents/${incident.id}/timeline`,
      headers: viewer.auth,
    });
    const entry = timeline.json().items.at(-1);
    expect(entry).toMatchObject({
      kind: "status_changed",
      data: { to: "resolved", override: true, reason: "Upstream outage ended by itself" },
    });
  });

  it("refuses a stale write with 409 and lets exactly one of many concurrent writers win", async () => {
    const incident = await declare();
    const url = `/api/v1/incidents/${incident.id}`;
    const first = await t.app.inject({
      method: "PATCH",
      url,
      headers: { ...responder.auth, "if-match": `"${incident.version}"` },
      payload: { severity: "sev2" },
    });
    expect(first.statusCode).toBe(200);
    const stale = await t.app.inject({
      method: "PATCH",
      url,
      headers: { ...responder.auth, "if-match": `"${incident.version}"` },
      payload: { title: "Old view" },
    });
    expect(stale.statusCode).toBe(409);

    const current = first.json().version as number;
    const racers = await Promise.all(
      ["identified", "monitoring", "identified", "monitoring", "identified"].map((status) =>
        t.app.inject({
          method: "POST",
          url: `${url}/status`,
          headers: { ...responder.auth, "if-match": String(current) },
          payload: { status },
        }),
      ),
    );
    expect(racers.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(racers.filter((r) => r.statusCode === 409)).toHaveLength(4);
    const statusEntries = (
      await t.app.inject({ method: "GET", url: `${url}/timeline`, headers: viewer.auth })
    )
      .json()
      .items.filter((e: { kind: string }) => e.kind === "status_changed");
    expect(statusEntries).toHaveLength(1);
  });

  it("keeps every concurrent timeline append", async () => {
    const incident = await declare();
    const url = `/api/v1/incidents/${incident.id}/timeline`;
    const before = (await t.app.inject({ method: "GET", url, headers: viewer.auth })).json().items.length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: "POST",
          url,
          headers: responder.auth,
          payload: { kind: "note", body: `note ${i}` },
        }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const after = (await t.app.inject({ method: "GET", url, headers: viewer.auth })).json().items;
    expect(after.length - before).toBe(20);
  });

  it("pages through a long timeline with a cursor, in order", async () => {
    const incident = await declare();
    const url = `/api/v1/incidents/${incident.id}/timeline`;
    for (let i = 0; i < 12; i++) {
      t.clock.advance(1000);
      await t.app.inject({
        method: "POST",
        url,
        headers: responder.auth,
        payload: { kind: "note", body: `n${i}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.app.inject({
        method: "GET",
        url: `${url}?limit=5${cursor ? `&cursor=${cursor}` : ""}`,
        headers: viewer.auth,
      });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((e: { body: string; kind: string }) => e.body));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen.filter((b) => /^n\d+$/.test(b))).toEqual(Array.from({ length: 12 }, (_, i) => `n${i}`));
    // Newest first pages backwards through the same entries.
    const newest: string[] = [];
    let back: string | undefined;
    do {
      const page = await t.app.inject({
        method: "GET",
        url: `${url}?order=desc&limit=4${back ? `&cursor=${back}` : ""}`,
        headers: viewer.auth,
      });
      newest.push(...page.json().items.map((e: { body: string }) => e.body));
      back = page.json().nextCursor;
    } while (back);
    expect(newest.filter((b) => /^n\d+$/.test(b))).toEqual(
      Array.from({ length: 12 }, (_, i) => `n${11 - i}`),
    );
    const bad = await t.app.inject({ method: "GET", url: `${url}?cursor=garbage`, headers: viewer.auth });
    expect(bad.statusCode).toBe(400);
  });

  it("hides private incidents from everyone but participants and admins", async () => {
    const secret = await declare(responder, { private: true, title: "Leaked credentials" });
    const other = await t.user("responder");
    const url = `/api/v1/incidents/${secret.id}`;
    expect((await t.app.inject({ method: "GET", url, headers: other.auth })).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: `${url}/timeline`,
          headers: other.auth,
          payload: { kind: "note", body: "x" },
        })
      ).statusCode,
    ).toBe(404);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?limit=200",
      headers: other.auth,
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).not.toContain(secret.id);
    expect((await t.app.inject({ method: "GET", url, headers: responder.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url, headers: lead.auth })).statusCode).toBe(200); // holds a role
    expect((await t.app.inject({ method: "GET", url, headers: admin.auth })).statusCode).toBe(200);
    // Handing them a role makes them a participant.
    await t.app.inject({
      method: "PUT",
      url: `${url}/roles/scribe`,
      headers: responder.auth,
      payload: { userId: other.id },
    });
    expect((await t.app.inject({ method: "GET", url, headers: other.auth })).statusCode).toBe(200);
  });

  it("filters the list by status, severity, drills and mine", async () => {
    const drill = await declare(admin, { drill: true, severity: "sev3", title: "Quarterly drill" });
    const drills = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?drill=true&limit=200",
      headers: viewer.auth,
    });
    expect(drills.json().items.map((i: { id: string }) => i.id)).toEqual([drill.id]);
    const sev3 = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?severity=sev3&limit=200",
      headers: viewer.auth,
    });
    expect(sev3.json().items.every((i: { severity: string }) => i.severity === "sev3")).toBe(true);
    const mine = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?mine=true&limit=200",
      headers: admin.auth,
    });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(drill.id);
    const resolved = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?status=resolved&limit=200",
      headers: viewer.auth,
    });
    expect(resolved.json().items.every((i: { status: string }) => i.status === "resolved")).toBe(true);
    const page1 = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents?limit=2",
      headers: viewer.auth,
    });
    const page2 = await t.app.inject({
      method: "GET",
      url: `/api/v1/incidents?limit=2&cursor=${page1.json().nextCursor}`,
      headers: viewer.auth,
    });
    const ids = [...page1.json().items, ...page2.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(4);
  });

  it("lets viewers read but not change, and refuses anonymous callers", async () => {
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/v1/incidents",
          headers: viewer.auth,
          payload: declareBody(),
        })
      ).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/incidents" })).statusCode).toBe(401);
    const badToken = await t.app.inject({
      method: "GET",
      url: "/api/v1/incidents",
      headers: { authorization: "Bearer rs_nope" },
    });
    expect(badToken.statusCode).toBe(401);
  });

  it("logs an event that meets none of the criteria, instead of declaring it", async () => {
    const before = await countRows("incidents");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/event-log",
      headers: responder.auth,
      payload: {
        title: "Slow dashboard for one customer",
        components: [{ id: "nope", impact: "degraded_performance" }],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe("components.0.id");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/event-log",
      headers: responder.auth,
      payload: {
        title: "Slow dashboard for one customer",
        detectedBy: "customer",
        components: [{ id: "web-app", impact: "degraded_performance" }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      title: "Slow dashboard for one customer",
      detectedBy: "customer",
      loggedBy: { id: responder.id },
    });
    expect(await countRows("incidents")).toBe(before);
    const listed = await t.app.inject({ method: "GET", url: "/api/v1/event-log", headers: viewer.auth });
    expect(listed.json().items[0]).toMatchObject({
      id: res.json().id,
      components: [{ id: "web-app", impact: "degraded_performance" }],
    });
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/v1/event-log",
          headers: viewer.auth,
          payload: { title: "x" },
        })
      ).statusCode,
    ).toBe(403);
  });
});

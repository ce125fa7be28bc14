import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkActionItems } from "../src/review/actions/index.ts";
import type { TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

const DAY = 86_400_000;
const WEEK = 7 * DAY;

interface Item {
  id: string;
  incident: { id: string; reference: string };
  title: string;
  owner: { id: string; email: string } | null;
  team: string | null;
  priority: string;
  dueAt: string | null;
  status: string;
  overdue: boolean;
  closedAt: string | null;
  version: number;
}

describe.each(dialects())("action items on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;
  let responder: TestUser;
  let viewer: TestUser;
  let olga: TestUser;
  let omar: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin", "ana.admin@example.com", "Ana Admin");
    responder = await w.user("responder", "rui.responder@example.com", "Rui Responder");
    viewer = await w.user("viewer", "vera.viewer@example.com", "Vera Viewer");
    olga = await w.user("responder", "olga.owner@example.com", "Olga Owner");
    omar = await w.user("responder", "omar.owner@example.com", "Omar Owner");
  });
  afterAll(async () => w?.stop());

  async function declare(overrides: Record<string, unknown> = {}, as: TestUser = admin) {
    const res = await w.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: as.auth,
      payload: {
        title: "Invoice emails delayed",
        severity: "sev3",
        criteria: ["customer-reports"],
        components: [{ id: "invoice-emails", impact: "degraded_performance" }],
        ...overrides,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      id: string;
      reference: string;
      repeatOf: { id: string; reference: string } | null;
    };
  }

  async function add(incident: string, payload: Record<string, unknown>, as: TestUser = responder) {
    const res = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident}/action-items`,
      headers: as.auth,
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Item;
  }

  async function patch(id: string, payload: Record<string, unknown>, version?: number) {
    return w.app.inject({
      method: "PATCH",
      url: `/api/v1/action-items/${id}`,
      headers: { ...responder.auth, ...(version !== undefined ? { "if-match": `"${version}"` } : {}) },
      payload,
    });
  }

  async function list(query: string, as: TestUser = admin) {
    const res = await w.app.inject({ url: `/api/v1/action-items?${query}`, headers: as.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Item[];
  }

  async function timeline(incident: string) {
    const res = await w.app.inject({ url: `/api/v1/incidents/${incident}/timeline`, headers: admin.auth });
    return res.json().items as Array<{ kind: string; body: string }>;
  }

  it("defaults the due date from the plan's priority, and keeps an explicit one or none", async () => {
    const incident = await declare();
    const now = w.clock.now().getTime();
    const priority = await add(incident.id, { title: "Alert on queue age", priority: "priority" });
    expect(priority.dueAt).toBe(new Date(now + 4 * WEEK).toISOString());
    const improvement = await add(incident.id, { title: "Split the mail queue", priority: "improvement" });
    expect(improvement.dueAt).toBe(new Date(now + 8 * WEEK).toISOString());
    const backlog = await add(incident.id, { title: "Try another provider", priority: "backlog" });
    expect(backlog.dueAt).toBeNull();
    const first = await add(incident.id, { title: "Runbook for the mail queue" });
    expect(first.priority).toBe("priority");
    expect(first.dueAt).toBe(new Date(now + 4 * WEEK).toISOString());
    const none = await add(incident.id, { title: "No date", priority: "priority", dueAt: null });
    expect(none.dueAt).toBeNull();
    const given = await add(incident.id, { title: "Given date", dueAt: "2027-01-15T10:00:00+01:00" });
    expect(given.dueAt).toBe("2027-01-15T09:00:00.000Z");
    expect(given.status).toBe("open");
    expect(given.incident.reference).toBe(incident.reference);

    const items = await w.app.inject({
      url: `/api/v1/incidents/${incident.reference}/action-items`,
      headers: viewer.auth,
    });
    expect(items.statusCode).toBe(200);
    expect(items.json().items.map((i: Item) => i.title)).toEqual([
      "Alert on queue age",
      "Split the mail queue",
      "Try another provider",
      "Runbook for the mail queue",
      "No date",
      "Given date",
    ]);
    const added = (await timeline(incident.id)).filter((e) => e.kind === "action_item_added");
    expect(added).toHaveLength(6);
    expect(added[0]?.body).toContain("Alert on queue age");
  });

  it("refuses an unknown priority naming the field and the plan's priorities", async () => {
    const incident = await declare();
    const res = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/action-items`,
      headers: responder.auth,
      payload: { title: "Something", priority: "urgent" },
    });
    // An id the plan does not have is a broken rule (422), as for an unknown severity at declaration.
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0].path).toBe("priority");
    expect(problem.errors[0].message).toContain('"urgent"');
    expect(problem.errors[0].hint).toContain("priority (Priority action, due in 4w)");
    expect(problem.errors[0].hint).toContain("improvement (Improvement, due in 8w)");
    expect(problem.errors[0].hint).toContain("backlog (Backlog, no due date)");

    const badPatch = await patch((await add(incident.id, { title: "Fine" })).id, { priority: "nope" });
    expect(badPatch.statusCode).toBe(422);
    expect(badPatch.json().errors[0].path).toBe("priority");
  });

  it("takes only http(s) links, owners who have an account, and responders as writers", async () => {
    const incident = await declare();
    const script = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/action-items`,
      headers: responder.auth,
      payload: { title: "Bad link", url: "javascript:alert(1)" },
    });
    expect(script.statusCode).toBe(400);
    expect(script.json().errors[0].path).toBe("body.url");

    const byEmail = await add(incident.id, {
      title: "Owned by email",
      ownerEmail: "Olga.Owner@example.com",
      url: "https://tracker.example.com/OPS-12",
    });
    expect(byEmail.owner?.id).toBe(olga.id);

    const stranger = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/action-items`,
      headers: responder.auth,
      payload: { title: "Nobody", ownerEmail: "nobody@example.com" },
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors[0].path).toBe("ownerEmail");

    const asViewer = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/action-items`,
      headers: viewer.auth,
      payload: { title: "Viewers read only" },
    });
    expect(asViewer.statusCode).toBe(403);
    const patchAsViewer = await w.app.inject({
      method: "PATCH",
      url: `/api/v1/action-items/${byEmail.id}`,
      headers: viewer.auth,
      payload: { status: "done" },
    });
    expect(patchAsViewer.statusCode).toBe(403);
    // Tidy up: a later test counts reminders.
    expect((await patch(byEmail.id, { status: "done" })).statusCode).toBe(200);
  });

  it("closes and reopens with closedAt and timeline entries, and refuses a stale version", async () => {
    const incident = await declare();
    const item = await add(incident.id, { title: "Add a retry", ownerId: olga.id });
    w.clock.advance(60_000);
    const done = await patch(item.id, { status: "done" }, item.version);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.headers.etag).toBe('"2"');
    expect(done.json()).toMatchObject({ status: "done", closedAt: w.clock.now().toISOString(), version: 2 });

    const stale = await patch(item.id, { title: "Someone else's edit" }, item.version);
    expect(stale.statusCode).toBe(409);

    const reopened = await patch(item.id, { status: "in_progress" }, 2);
    expect(reopened.json()).toMatchObject({ status: "in_progress", closedAt: null, version: 3 });
    const wont = await patch(item.id, { status: "wont_do" });
    expect(wont.json().closedAt).not.toBeNull();

    const kinds = (await timeline(incident.id)).map((e) => e.kind).filter((k) => k.startsWith("action_item"));
    expect(kinds).toEqual([
      "action_item_added",
      "action_item_closed",
      "action_item_reopened",
      "action_item_closed",
    ]);

    const removed = await w.app.inject({
      method: "DELETE",
      url: `/api/v1/action-items/${item.id}`,
      headers: responder.auth,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await w.app.inject({ url: `/api/v1/action-items/${item.id}`, headers: admin.auth });
    expect(gone.statusCode).toBe(404);
  });

  it("moves a default due date with the priority, but keeps one set by hand", async () => {
    const incident = await declare();
    const created = w.clock.now().getTime();
    const item = await add(incident.id, { title: "Default date", priority: "improvement" });
    w.clock.advance(DAY);
    const moved = (await patch(item.id, { priority: "priority" })).json() as Item;
    expect(moved.dueAt).toBe(new Date(created + 4 * WEEK).toISOString());
    const fixed = await add(incident.id, {
      title: "Date by hand",
      priority: "improvement",
      dueAt: "2027-03-01T00:00:00Z",
    });
    const kept = (await patch(fixed.id, { priority: "priority" })).json() as Item;
    expect(kept.dueAt).toBe("2027-03-01T00:00:00.000Z");
  });

  it("hides the items of a private incident from those who cannot see it", async () => {
    const secret = await declare({ private: true, title: "Leaked token" }, responder);
    const item = await add(secret.id, {
      title: "Rotate tokens",
      ownerId: olga.id,
      dueAt: "2026-01-01T00:00:00Z",
    });
    const forViewer = await w.app.inject({
      url: `/api/v1/incidents/${secret.id}/action-items`,
      headers: viewer.auth,
    });
    expect(forViewer.statusCode).toBe(404);
    const one = await w.app.inject({ url: `/api/v1/action-items/${item.id}`, headers: viewer.auth });
    expect(one.statusCode).toBe(404);
    expect((await list("status=all", viewer)).some((i) => i.id === item.id)).toBe(false);
    expect((await list("status=all", admin)).some((i) => i.id === item.id)).toBe(true);
    expect((await list("status=all", responder)).some((i) => i.id === item.id)).toBe(true);
    await patch(item.id, { status: "done" });
  });

  it("lists overdue items per owner and per team, soonest due first", async () => {
    const incident = await declare({ title: "Payout file rejected" });
    const now = w.clock.now().getTime();
    const ago = (days: number) => new Date(now - days * DAY).toISOString();
    const a = await add(incident.id, { title: "A", ownerId: omar.id, team: "payments", dueAt: ago(2) });
    const b = await add(incident.id, { title: "B", ownerId: omar.id, team: "platform", dueAt: ago(10) });
    const c = await add(incident.id, { title: "C", ownerId: omar.id, team: "payments", dueAt: ago(5) });
    const closed = await add(incident.id, { title: "D", ownerId: omar.id, team: "payments", dueAt: ago(7) });
    await patch(closed.id, { status: "done" });
    const future = await add(incident.id, { title: "E", ownerId: omar.id, team: "payments" });
    const otherOwner = await add(incident.id, {
      title: "F",
      ownerId: olga.id,
      team: "payments",
      dueAt: ago(1),
    });

    const mine = await w.app.inject({
      url: "/api/v1/action-items?owner=me&overdue=true",
      headers: omar.auth,
    });
    expect(mine.json().items.map((i: Item) => i.title)).toEqual(["B", "C", "A"]);
    expect(mine.json().items.every((i: Item) => i.overdue)).toBe(true);
    expect((await list(`owner=${omar.id}&overdue=true`)).map((i) => i.id)).toEqual([b.id, c.id, a.id]);
    expect((await list("team=payments&overdue=true")).map((i) => i.title)).toEqual(["C", "A", "F"]);
    expect((await list("team=payments")).map((i) => i.title)).toEqual(["C", "A", "F", "E"]);
    expect((await list("team=payments&status=closed")).map((i) => i.title)).toEqual(["D"]);
    expect((await list(`owner=${olga.id}&overdue=true`)).map((i) => i.id)).toContain(otherOwner.id);
    expect((await list("owner=me&overdue=true", omar)).some((i) => i.id === future.id)).toBe(false);
    // Tidy up: later tests count reminders.
    for (const item of [a, b, c, future, otherOwner]) await patch(item.id, { status: "done" });
  });

  it("reminds the owner before the due date and weekly when overdue, each reminder once", async () => {
    const incident = await declare({ title: "Receipts sent twice" });
    const item = await add(incident.id, { title: "Make receipts idempotent", ownerId: olga.id });
    const due = Date.parse(item.dueAt!);
    const check = async () => {
      const queued = await checkActionItems({ store: w.store, plans: w.plans, clock: w.clock });
      await w.worker.drain();
      return queued;
    };
    const reminders = () =>
      w.smtp.messages.filter(
        (m) => m.to.includes(olga.email) && m.subject.includes("Make receipts idempotent"),
      );

    // remind_before is 3 days in the example plan.
    w.clock.set(new Date(due - 3 * DAY - 60_000));
    expect(await check()).toBe(0);
    expect(reminders()).toHaveLength(0);

    w.clock.set(new Date(due - 3 * DAY + 60_000));
    expect(await check()).toBe(1);
    expect(await check()).toBe(0);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]?.subject).toMatch(/^Action item due in 2 days/);
    expect(reminders()[0]?.text).toContain(incident.reference);

    w.clock.set(new Date(due + 60_000));
    expect(await check()).toBe(1);
    w.clock.advance(DAY);
    expect(await check()).toBe(0);
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]?.subject).toBe("Action item overdue: Make receipts idempotent");

    w.clock.set(new Date(due + WEEK + 60_000));
    expect(await check()).toBe(1);
    expect(await check()).toBe(0);
    expect(reminders()).toHaveLength(3);

    // Closed: no more reminders.
    expect((await patch(item.id, { status: "done" })).statusCode).toBe(200);
    w.clock.set(new Date(due + 2 * WEEK + 60_000));
    expect(await check()).toBe(0);
    expect(reminders()).toHaveLength(3);
  });

  it("flags a repeat of an incident whose action items are still open, and lists it as similar", async () => {
    const title = "Bank payouts stuck in pending";
    const components = [{ id: "bank-payouts", impact: "partial_outage" }];
    const first = await declare({ title, components });
    expect(first.repeatOf).toBeNull();
    const item = await add(first.id, { title: "Alert on payout age", ownerId: olga.id });

    const again = await declare({ title: "Bank payouts stuck pending", components });
    expect(again.repeatOf).toEqual({ id: first.id, reference: first.reference });
    const read = await w.app.inject({ url: `/api/v1/incidents/${again.reference}`, headers: viewer.auth });
    expect(read.json().repeatOf).toEqual({ id: first.id, reference: first.reference });
    const note = (await timeline(again.id)).find((e) => e.kind === "repeat");
    expect(note?.body).toBe(`Repeat of ${first.reference}: 1 action item still open.`);

    const similar = await w.app.inject({
      url: `/api/v1/incidents/${again.id}/similar`,
      headers: viewer.auth,
    });
    expect(similar.statusCode, similar.body).toBe(200);
    const body = similar.json();
    expect(body.repeatOf).toEqual({ id: first.id, reference: first.reference });
    expect(body.items[0]).toMatchObject({
      id: first.id,
      reference: first.reference,
      title,
      severity: "sev3",
    });
    expect(body.items[0].score).toBeGreaterThanOrEqual(0.6);
    expect(body.items[0].reasons.map((r: { kind: string }) => r.kind).sort()).toEqual([
      "components",
      "title",
    ]);
    expect(body.items[0].openActionItems.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect(body.items[0].postmortem).toBeNull();

    // A drill lists similar incidents but is never a repeat, nor a candidate later.
    const drill = await declare({ title, components, drill: true });
    expect(drill.repeatOf).toBeNull();

    // With the action item closed, the same incident again is not a repeat, though still similar.
    await patch(item.id, { status: "done" });
    const third = await declare({ title, components });
    expect(third.repeatOf).toBeNull();
    const listed = (
      await w.app.inject({ url: `/api/v1/incidents/${third.id}/similar`, headers: admin.auth })
    ).json();
    expect(listed.repeatOf).toBeNull();
    const ids = listed.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(first.id);
    expect(ids).toContain(again.id);
    expect(ids).not.toContain(drill.id);
    expect(ids).not.toContain(third.id);
    expect((await timeline(third.id)).some((e) => e.kind === "repeat")).toBe(false);
  });

  it("flags a repeat declared by an alert with the same dedup key, whatever its title", async () => {
    const integration = await w.app.inject({
      method: "POST",
      url: "/api/v1/integrations",
      headers: admin.auth,
      payload: { name: "Prometheus", type: "pagerduty" },
    });
    expect(integration.statusCode, integration.body).toBe(201);
    const key = integration.json().key as string;
    const alert = async (action: "trigger" | "resolve", summary: string) => {
      const res = await w.app.inject({
        method: "POST",
        url: "/v2/enqueue",
        payload: {
          routing_key: key,
          event_action: action,
          dedup_key: "payouts-queue-age",
          payload: {
            summary,
            source: "prometheus",
            severity: "critical",
            custom_details: { tier: "money-flow" },
          },
        },
      });
      expect(res.statusCode, res.body).toBe(202);
    };
    const declaredBy = async () => {
      const alerts = (await w.app.inject({ url: "/api/v1/alerts?limit=200", headers: admin.auth })).json()
        .items as Array<{ dedupKey: string; incidentId: string | null; status: string }>;
      return alerts
        .filter((a) => a.dedupKey === "payouts-queue-age" && a.incidentId)
        .map((a) => a.incidentId!);
    };

    await alert("trigger", "Payout queue older than 30 minutes");
    const [firstId] = await declaredBy();
    expect(firstId).toBeDefined();
    const first = (await w.app.inject({ url: `/api/v1/incidents/${firstId}`, headers: admin.auth })).json();
    await add(first.id, { title: "Scale the payout workers", ownerId: omar.id });
    await alert("resolve", "Payout queue older than 30 minutes");
    const resolved = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${first.id}/status`,
      headers: admin.auth,
      payload: { status: "resolved", override: true, reason: "queue drained" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);

    await alert("trigger", "Workers stalled on the settlement job");
    const second = (await declaredBy()).find((id) => id !== first.id);
    expect(second).toBeDefined();
    const incident = (await w.app.inject({ url: `/api/v1/incidents/${second}`, headers: admin.auth })).json();
    expect(incident.repeatOf).toEqual({ id: first.id, reference: first.reference });
    const similar = (
      await w.app.inject({ url: `/api/v1/incidents/${second}/similar`, headers: admin.auth })
    ).json();
    expect(similar.items[0].id).toBe(first.id);
    expect(similar.items[0].reasons[0]).toEqual({
      kind: "alert",
      similarity: 1,
      shared: ["payouts-queue-age"],
    });
  });
});

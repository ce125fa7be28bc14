import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWebhookSecret, verifyWebhook } from "../src/comms/standard-webhooks.ts";
import { Postmortem } from "../src/review/postmortems/model.ts";
import { newId } from "../src/shared/ids.ts";
import { V2_BODY_SCHEMAS } from "../src/statuspage/render/v2-schema.ts";
import { writeJson } from "../src/store/values.ts";
import type { TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

const MINUTE = 60_000;
const V2_PATHS = Object.keys(V2_BODY_SCHEMAS) as Array<keyof typeof V2_BODY_SCHEMAS>;
const XSS = [
  "## What happened",
  "",
  "<script>alert('xss')</script>",
  "[click me](javascript:alert(1)) and [again](JaVaScRiPt&#58;alert(2))",
  '<img src="x" onerror="alert(3)"> <svg onload="alert(4)"></svg>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">data</a>',
  "A **certificate** expired at the [edge](https://status.example.com/edge).",
].join("\n");

describe.each(dialects())("postmortems on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;
  let marta: TestUser;
  let responder: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin", "ana.admin@example.com", "Ana Admin");
    // The example plan's incident manager and communication manager.
    marta = await w.user("responder", "marta.silva@example.com", "Marta Silva");
    await w.user("responder", "priya.nair@example.com", "Priya Nair");
    responder = await w.user("responder");
    viewer = await w.user("viewer");
  });
  afterAll(async () => w?.stop());

  const call = (
    as: TestUser,
    method: "GET" | "POST" | "PUT",
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    w.app.inject({
      method,
      url,
      headers: { ...as.auth, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  async function declare(overrides: Record<string, unknown> = {}, as: TestUser = admin) {
    const res = await call(as, "POST", "/api/v1/incidents", {
      title: "Card payments failing",
      severity: "sev1",
      criteria: ["money-flow-down"],
      components: [{ id: "card-payments", impact: "partial_outage" }],
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference: string };
  }

  async function ok(res: Awaited<ReturnType<typeof call>>, status = 200) {
    expect(res.statusCode, res.body).toBe(status);
    return res;
  }

  const log = (id: string, as: TestUser, kind: string, body: string, final?: boolean) =>
    call(as, "POST", `/api/v1/incidents/${id}/timeline`, { kind, body, ...(final ? { final } : {}) }).then(
      (r) => ok(r, 201),
    );
  const status = (id: string, to: string) =>
    call(admin, "POST", `/api/v1/incidents/${id}/status`, { status: to }).then((r) => ok(r));

  /** A resolved incident with a confirmed final fix (the incident manager's own). */
  async function resolvedIncident(overrides: Record<string, unknown> = {}) {
    const incident = await declare(overrides);
    await log(incident.id, marta, "fix", "Rolled back the gateway.", true);
    await status(incident.id, "resolved");
    return incident;
  }

  async function draft(id: string, as: TestUser = responder) {
    const res = await call(as, "POST", `/api/v1/incidents/${id}/postmortem`);
    expect(res.statusCode, res.body).toBe(201);
    return Postmortem.parse(res.json());
  }

  async function timelineKinds(id: string) {
    const res = await call(admin, "GET", `/api/v1/incidents/${id}/timeline`);
    return (res.json().items as Array<{ kind: string; body: string }>).map((e) => e.kind);
  }

  /** The review's public-postmortem decision, written as the review module keeps it. */
  async function decide(incidentId: string, publicPostmortem: boolean, reason: string) {
    const db = w.store.db;
    const now = w.clock.now().toISOString();
    const existing = await db
      .selectFrom("reviews")
      .select("id")
      .where("incident_id", "=", incidentId)
      .executeTakeFirst();
    if (existing) {
      await db
        .updateTable("reviews")
        .set({ public_postmortem: publicPostmortem, decision_reason: reason, decided_at: now })
        .where("id", "=", existing.id)
        .execute();
      return;
    }
    await db
      .insertInto("reviews")
      .values({
        id: newId(),
        incident_id: incidentId,
        status: "scheduled",
        required: true,
        due_at: now,
        meeting_at: now,
        meeting_minutes: 60,
        meeting_url: null,
        attendees: writeJson([]),
        checklist: writeJson([]),
        notes: null,
        sequence: 0,
        held_at: null,
        public_postmortem: publicPostmortem,
        decision_reason: reason,
        decided_by: null,
        decided_at: now,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
  }

  it("drafts from the incident: durations, detection, roles, the timeline with the final fix, communications", async () => {
    w.clock.set("2026-11-27T03:00:00.000Z");
    const incident = await declare({
      impactStartedAt: "2026-11-27T02:50:00.000Z",
      summary: "Card payments were declined for some customers.",
      detectedBy: "customer",
    });
    await w.worker.drain();

    // Marta acknowledges her page three minutes in.
    w.clock.advance(3 * MINUTE);
    const pages = (await call(admin, "GET", "/api/v1/pages?all=true&status=all")).json().items as Array<{
      id: string;
      incident: { id: string };
      user: { email: string };
    }>;
    const page = pages.find((p) => p.incident.id === incident.id && p.user.email === marta.email);
    expect(page).toBeDefined();
    await ok(await call(marta, "POST", `/api/v1/pages/${page?.id}/ack`));

    w.clock.set("2026-11-27T03:05:00.000Z");
    await log(incident.id, responder, "change", "Gateway v42 had been deployed at 02:45.");
    w.clock.set("2026-11-27T03:08:00.000Z");
    await ok(
      await call(admin, "POST", `/api/v1/incidents/${incident.id}/updates`, {
        phase: "investigating",
        body: "Some card payments fail. We are looking into it.",
        channels: ["status-page"],
      }),
      201,
    );
    w.clock.set("2026-11-27T03:10:00.000Z");
    await log(incident.id, responder, "decision", "Roll back the gateway rather than patch forward.");
    w.clock.set("2026-11-27T03:12:00.000Z");
    await log(incident.id, responder, "fix", "Restarted the authorisation workers.");
    w.clock.set("2026-11-27T03:20:00.000Z");
    await log(incident.id, marta, "fix", "Rolled back the gateway to v41.", true);
    w.clock.set("2026-11-27T03:25:00.000Z");
    await status(incident.id, "monitoring");
    w.clock.set("2026-11-27T03:40:00.000Z");
    await status(incident.id, "resolved");
    w.clock.set("2026-11-28T09:00:00.000Z");

    const postmortem = await draft(incident.id);
    expect(postmortem).toMatchObject({
      incidentId: incident.id,
      reference: incident.reference,
      status: "draft",
      version: 1,
      public: { status: "none", title: null, body: null, html: null, url: null },
    });
    const body = postmortem.body;
    const sections = [...body.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(w.plans.current().plan.postmortem.sections.map((s) => s.title));
    // Prompts are there to write by, never in the rendering.
    expect(body).toContain("<!-- What happened, in two or three sentences? -->");
    expect(postmortem.html).not.toContain("two or three sentences");

    expect(body).toContain("**Card payments failing** (");
    expect(body).toContain("Card payments were declined for some customers.");
    expect(body).toContain("- Card payments: partial outage");
    // Impact started 02:50; declared 03:00; acknowledged 03:03; monitoring 03:25; resolved 03:40 (Lisbon is UTC+0 in November).
    expect(body).toContain("| Impact started | 27 Nov 2026, 02:50 WET | — |");
    expect(body).toContain("| Detected (declared) | 27 Nov 2026, 03:00 WET | 10 minutes |");
    expect(body).toContain("| First page acknowledged | 27 Nov 2026, 03:03 WET | 13 minutes |");
    expect(body).toContain("| Mitigated (monitoring) | 27 Nov 2026, 03:25 WET | 35 minutes |");
    expect(body).toContain("| Resolved | 27 Nov 2026, 03:40 WET | 50 minutes |");
    expect(body).toContain("Reported by a customer, 10 minutes after impact started");
    expect(body).toMatch(
      /- Major Incident Manager \(MIM\) \(lead\): Marta Silva \(from 27 Nov 2026, 03:00 WET\)/,
    );
    expect(body).toMatch(/Communication Managers \(internal & external\): Priya Nair/);
    expect(body).toContain(
      "The first page went out 27 Nov 2026, 03:00 WET and was acknowledged 27 Nov 2026, 03:03 WET, 3 minutes later.",
    );
    expect(body).toContain(
      "First external update 8 minutes after detection, 18 minutes after impact started.",
    );
    expect(body).toContain(
      "- **27 Nov 2026, 03:08 WET** · External investigating update to Public status page (1 delivered); on time",
    );

    const timeline = body.slice(body.indexOf("## Timeline"), body.indexOf("## Contributing factors"));
    const items = timeline.split("\n").filter((line) => line.startsWith("- "));
    expect(items[0]).toMatch(/^- \*\*27 Nov 2026, 03:00 WET\*\* · Declared: /);
    expect(items.slice(1)).toEqual([
      "- **27 Nov 2026, 03:05 WET** · Change: Gateway v42 had been deployed at 02:45.",
      "- **27 Nov 2026, 03:10 WET** · Decision: Roll back the gateway rather than patch forward.",
      "- **27 Nov 2026, 03:12 WET** · Fix: Restarted the authorisation workers.",
      "- **27 Nov 2026, 03:20 WET** · **Fix — the final fix, confirmed**: Rolled back the gateway to v41.",
      "- **27 Nov 2026, 03:25 WET** · Status: Status changed from investigating to monitoring.",
      "- **27 Nov 2026, 03:40 WET** · Status: Status changed from monitoring to resolved.",
    ]);
    expect(body).toContain("Final fix (confirmed), 27 Nov 2026, 03:20 WET: Rolled back the gateway to v41.");
    // Blameless: nobody's name beside what was logged.
    expect(timeline).not.toMatch(/Marta|Priya|Responder/);
    expect(postmortem.html).toContain("<h2>Timeline</h2>");
    expect(postmortem.html).toContain("<strong>Fix — the final fix, confirmed</strong>");

    expect(await timelineKinds(incident.id)).toContain("postmortem_drafted");

    // One per incident: a second draft would overwrite someone's work.
    const again = await call(responder, "POST", `/api/v1/incidents/${incident.id}/postmortem`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain("already has a postmortem");
  });

  it("names the alert an incident was declared from", async () => {
    const created = await ok(
      await call(admin, "POST", "/api/v1/integrations", { name: "Prometheus", type: "pagerduty" }),
      201,
    );
    const res = await w.app.inject({
      method: "POST",
      url: "/v2/enqueue",
      payload: {
        routing_key: created.json().key,
        event_action: "trigger",
        dedup_key: "card-payments-5xx",
        payload: {
          summary: "Card payments: 5xx above 20% for 5 minutes",
          source: "prometheus",
          severity: "critical",
          component: "card-payments",
          custom_details: { tier: "money-flow" },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    await w.worker.drain();
    const alert = await w.store.db
      .selectFrom("alerts")
      .selectAll()
      .where("dedup_key", "=", "card-payments-5xx")
      .executeTakeFirstOrThrow();
    expect(alert.incident_id, JSON.stringify(alert)).toBeTruthy();
    const postmortem = await draft(alert.incident_id!);
    expect(postmortem.body).toContain("Detected by monitoring");
    expect(postmortem.body).toContain(
      'Alert: "Card payments: 5xx above 20% for 5 minutes" from Prometheus, prometheus, first seen',
    );
  });

  it("lists the incident's action items", async () => {
    const incident = await resolvedIncident();
    const now = w.clock.now().toISOString();
    await w.store.db
      .insertInto("action_items")
      .values({
        id: newId(),
        incident_id: incident.id,
        title: "Canary gateway deploys",
        owner_id: marta.id,
        team: null,
        priority: "priority",
        due_at: "2026-12-25T10:00:00.000Z",
        status: "open",
        url: "https://tracker.example.com/OPS-12",
        created_at: now,
        created_by: admin.id,
        updated_at: now,
        closed_at: null,
        version: 1,
      })
      .execute();
    const postmortem = await draft(incident.id);
    expect(postmortem.body).toContain(
      "- [ ] [Canary gateway deploys](<https://tracker.example.com/OPS-12>) — Priority action, owner Marta Silva, due 25 Dec 2026, open",
    );
  });

  it("is read by viewers, written by responders, and private incidents stay private", async () => {
    const incident = await resolvedIncident();
    expect((await call(viewer, "POST", `/api/v1/incidents/${incident.id}/postmortem`)).statusCode).toBe(403);
    expect((await call(viewer, "GET", `/api/v1/incidents/${incident.id}/postmortem`)).statusCode).toBe(404);
    const postmortem = await draft(incident.id);
    const read = await ok(await call(viewer, "GET", `/api/v1/incidents/${incident.reference}/postmortem`));
    expect(read.headers.etag).toBe('"1"');
    expect(Postmortem.parse(read.json()).id).toBe(postmortem.id);
    expect(
      (await call(viewer, "PUT", `/api/v1/incidents/${incident.id}/postmortem`, { body: "x", version: 1 }))
        .statusCode,
    ).toBe(403);

    const secret = await declare({ private: true, title: "Leaked credentials" }, marta);
    await draft(secret.id, marta);
    for (const outsider of [viewer, responder]) {
      const res = await call(outsider, "GET", `/api/v1/incidents/${secret.id}/postmortem`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain("Leaked");
      expect((await call(outsider, "GET", `/api/v1/incidents/${secret.id}/postmortem.md`)).statusCode).toBe(
        404,
      );
    }
    await ok(await call(marta, "GET", `/api/v1/incidents/${secret.id}/postmortem`));
    await ok(await call(admin, "GET", `/api/v1/incidents/${secret.id}/postmortem`));
  });

  it("saves edits against the version read, and refuses a stale one", async () => {
    const incident = await resolvedIncident();
    const first = await draft(incident.id);
    const url = `/api/v1/incidents/${incident.id}/postmortem`;

    const saved = Postmortem.parse(
      (
        await ok(await call(responder, "PUT", url, { body: "# Edited\n\nOne.", version: first.version }))
      ).json(),
    );
    expect(saved).toMatchObject({
      body: "# Edited\n\nOne.",
      html: "<h1>Edited</h1>\n<p>One.</p>\n",
      version: 2,
    });
    expect(saved.updatedBy?.id).toBe(responder.id);

    // Someone else still has version 1 open.
    const stale = await call(marta, "PUT", url, { body: "# Mine", version: first.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toContain("you had version 1, it is now 2");
    expect(Postmortem.parse((await call(viewer, "GET", url)).json()).body).toBe("# Edited\n\nOne.");

    // Up to 200,000 characters, however they are escaped in JSON.
    const long = `${"Line with “quotes” and \\ slashes.\n".repeat(5_500)}`.slice(0, 200_000);
    const big = await call(responder, "PUT", url, { body: long, version: 2 });
    expect(big.statusCode, big.body.slice(0, 300)).toBe(200);
    expect(Postmortem.parse(big.json()).body).toBe(long);
    const tooLong = await call(responder, "PUT", url, { body: "x".repeat(200_001), version: 3 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].path).toBe("body.body");
    const unknown = await call(responder, "PUT", url, { body: "x", version: 3, status: "published" });
    expect(unknown.statusCode).toBe(400);
  });

  it("moves draft → in review → published, back to draft from in review, and records each step", async () => {
    const incident = await resolvedIncident();
    await draft(incident.id);
    const url = `/api/v1/incidents/${incident.id}/postmortem/status`;
    const move = (to: string, headers: Record<string, string> = {}) =>
      call(responder, "POST", url, { status: to }, headers);

    const skip = await move("published");
    expect(skip.statusCode).toBe(422);
    expect(skip.json().errors[0]).toMatchObject({
      path: "status",
      hint: "from draft it can go to: in_review",
    });
    expect((await move("draft")).json().detail).toContain("already draft");

    expect(Postmortem.parse((await ok(await move("in_review"))).json()).status).toBe("in_review");
    expect(Postmortem.parse((await ok(await move("draft"))).json()).status).toBe("draft");
    await ok(await move("in_review"));
    expect((await move("published", { "if-match": '"1"' })).statusCode).toBe(409);
    const published = Postmortem.parse((await ok(await move("published", { "if-match": '"4"' }))).json());
    expect(published).toMatchObject({ status: "published", publishedAt: w.clock.now().toISOString() });

    // Published is the record: no more edits, no way back.
    expect((await move("in_review")).statusCode).toBe(422);
    const edit = await call(responder, "PUT", `/api/v1/incidents/${incident.id}/postmortem`, {
      body: "rewrite",
      version: published.version,
    });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().detail).toContain("is published");

    const res = await call(admin, "GET", `/api/v1/incidents/${incident.id}/timeline`);
    const steps = (res.json().items as Array<{ kind: string; body: string }>).filter(
      (e) => e.kind === "postmortem_status",
    );
    expect(steps.map((s) => s.body)).toEqual([
      "Postmortem moved from draft to in review.",
      "Postmortem moved from in review to draft.",
      "Postmortem moved from draft to in review.",
      "Postmortem published.",
    ]);
  });

  it("stores Markdown as written but only ever serves it sanitized", async () => {
    const incident = await resolvedIncident();
    const first = await draft(incident.id);
    const saved = Postmortem.parse(
      (
        await ok(
          await call(responder, "PUT", `/api/v1/incidents/${incident.id}/postmortem`, {
            body: XSS,
            version: first.version,
          }),
        )
      ).json(),
    );
    expect(saved.body).toBe(XSS);
    for (const html of [
      saved.html,
      Postmortem.parse((await call(viewer, "GET", `/api/v1/incidents/${incident.id}/postmortem`)).json())
        .html,
    ]) {
      expect(html).not.toMatch(/<script|<svg|javascript:|onerror|onload|data:text/i);
      expect(html).toContain(
        `<a href="https://status.example.com/edge" rel="noopener noreferrer nofollow">edge</a>`,
      );
    }
    const preview = await ok(await call(responder, "POST", "/api/v1/markdown/preview", { markdown: XSS }));
    expect(preview.json().html).toBe(saved.html);
    expect((await call(viewer, "POST", "/api/v1/markdown/preview", { markdown: XSS })).statusCode).toBe(403);
  });

  it("publishes the public version on the status page, sends it to the incident's subscribers once, and leaves the v2 JSON valid", async () => {
    // Subscribers: every component; card payments; only the public API (not told); a webhook on card payments.
    for (const payload of [
      { email: "everything@customer.example" },
      { email: "payments@customer.example", components: ["card-payments"] },
      { email: "api-only@customer.example", components: ["public-api"] },
    ]) {
      await ok(await call(admin, "POST", "/api/v1/subscribers", payload), 201);
    }
    const hookSecret = newWebhookSecret();
    const now = w.clock.now().toISOString();
    await w.store.db
      .insertInto("subscribers")
      .values({
        id: newId(),
        kind: "webhook",
        address: `${w.chat.url}/webhook/postmortems`,
        components: writeJson(["card-payments"]),
        state: "confirmed",
        confirm_token_hash: null,
        unsubscribe_token: newId(),
        webhook_secret: hookSecret,
        created_at: now,
        confirmed_at: now,
        unsubscribed_at: null,
      })
      .execute();
    w.chat.behave("/webhook/postmortems", [{ status: 200 }, { status: 200 }]);

    const incident = await declare({ title: "Checkout errors" });
    await ok(
      await call(admin, "POST", `/api/v1/incidents/${incident.id}/updates`, {
        phase: "investigating",
        body: "Checkout fails for some.",
        channels: ["status-page"],
      }),
      201,
    );
    await log(incident.id, marta, "fix", "Renewed the certificate.", true);
    await status(incident.id, "resolved");
    await w.worker.drain();
    const mailsBefore = w.smtp.messages.length;

    const postmortem = await draft(incident.id);
    const base = `/api/v1/incidents/${incident.id}/postmortem`;
    const publish = () => call(responder, "POST", `${base}/public/publish`);

    const nothing = await publish();
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json().detail).toContain("Write the public version");

    const publicVersion = await ok(
      await call(responder, "PUT", `${base}/public`, {
        title: "Checkout errors on 27 November",
        body: XSS,
        version: postmortem.version,
      }),
    );
    expect(Postmortem.parse(publicVersion.json()).public).toMatchObject({
      status: "draft",
      title: "Checkout errors on 27 November",
      body: XSS,
      publishedAt: null,
      url: null,
    });

    const early = await publish();
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0].path).toBe("status");
    await ok(await call(responder, "POST", `${base}/status`, { status: "in_review" }));

    // The review decided against it: refused, saying so.
    await decide(incident.id, false, "Only one customer was affected.");
    const refused = await publish();
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain("decided against a public postmortem");
    expect(refused.json().detail).toContain("Only one customer was affected.");
    expect(refused.json().errors[0].path).toBe("decision");
    expect(Postmortem.parse((await call(viewer, "GET", base)).json()).decision).toEqual({
      publicPostmortem: false,
      reason: "Only one customer was affected.",
    });

    await decide(incident.id, true, "Many customers noticed.");
    w.clock.advance(5 * MINUTE);
    const published = Postmortem.parse((await ok(await publish())).json());
    expect(published.public).toMatchObject({
      status: "published",
      publishedAt: w.clock.now().toISOString(),
      url: `${w.app.statusPage.pageUrl}/incidents/${incident.id}#postmortem`,
    });
    expect((await publish()).statusCode).toBe(409);
    expect(await timelineKinds(incident.id)).toContain("postmortem_public_published");

    // On the status page, under the incident, sanitized, with its date; no script anywhere.
    await w.app.statusPage.site.settled();
    const page = await w.app.inject({ url: `/incidents/${incident.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.body).toContain(`<h2 id="postmortem">Postmortem: Checkout errors on 27 November</h2>`);
    expect(page.body).toContain(`<time datetime="${w.clock.now().toISOString()}">`);
    expect(page.body).toContain("A <strong>certificate</strong> expired at the");
    expect(page.body).not.toMatch(/<script|javascript:|onerror|onload|data:text/i);

    // The v2 JSON keeps its strict shape; Statuspage's status for a resolved incident with a postmortem.
    for (const path of V2_PATHS) {
      const res = await w.app.inject({ url: `/${path}` });
      V2_BODY_SCHEMAS[path].parse(res.json());
    }
    const incidents = (await w.app.inject({ url: "/api/v2/incidents.json" })).json().incidents as Array<{
      id: string;
      status: string;
    }>;
    expect(incidents.find((i) => i.id === incident.id)?.status).toBe("postmortem");
    const atom = (await w.app.inject({ url: "/history.atom" })).body;
    expect(atom).toContain("Postmortem published");

    // Each subscriber of the incident's components, once; not the one who follows only the API.
    await w.worker.drain();
    w.clock.advance(10 * MINUTE);
    await w.worker.drain();
    const mails = w.smtp.messages.slice(mailsBefore).filter((m) => m.subject.startsWith("[Postmortem]"));
    expect(mails.flatMap((m) => m.to).sort()).toEqual([
      "everything@customer.example",
      "payments@customer.example",
    ]);
    expect(mails[0]?.subject).toBe("[Postmortem] Checkout errors on 27 November");
    expect(mails[0]?.text).toContain("A **certificate** expired");
    expect(mails[0]?.raw.replace(/=\r?\n/g, "")).toContain(`/incidents/${incident.id}#postmortem`);
    // The text part is the Markdown as written (plain text); the HTML part is sanitized.
    const raw = (mails[0]?.raw ?? "")
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    const htmlPart = raw.slice(raw.indexOf("Content-Type: text/html"));
    expect(htmlPart).toContain("A <strong>certificate</strong> expired");
    expect(htmlPart).not.toMatch(/<script|onerror|onload|javascript:|data:text/i);
    const hooks = w.chat.requests.filter((r) => r.path === "/webhook/postmortems");
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(
      verifyWebhook({
        id: String(hook.headers["webhook-id"]),
        timestamp: String(hook.headers["webhook-timestamp"]),
        body: hook.body,
        signature: String(hook.headers["webhook-signature"]),
        secrets: [hookSecret],
        now: new Date(Number(hook.headers["webhook-timestamp"]) * 1000),
      }),
    ).toBe(true);
    expect(hook.json).toMatchObject({
      type: "incident.postmortem",
      data: {
        incident: { id: incident.id, title: "Checkout errors" },
        postmortem: { title: "Checkout errors on 27 November", body: XSS },
      },
    });

    // A correction goes live at once and is recorded, but is not sent again.
    const corrected = await ok(
      await call(responder, "PUT", `${base}/public`, {
        title: "Checkout errors on 27 November",
        body: "The certificate was renewed at 03:20.",
        version: published.version,
      }),
    );
    expect(Postmortem.parse(corrected.json()).public.status).toBe("published");
    await w.app.statusPage.site.settled();
    expect((await w.app.inject({ url: `/incidents/${incident.id}` })).body).toContain(
      "The certificate was renewed at 03:20.",
    );
    await w.worker.drain();
    expect(
      w.smtp.messages.slice(mailsBefore).filter((m) => m.subject.startsWith("[Postmortem]")),
    ).toHaveLength(2);
    expect(w.chat.requests.filter((r) => r.path === "/webhook/postmortems")).toHaveLength(1);
    expect(await timelineKinds(incident.id)).toContain("postmortem_public_edited");
  });

  it("never publishes publicly for incidents that are open, private or drills", async () => {
    const open = await declare();
    const prepare = async (id: string, as: TestUser = responder) => {
      const postmortem = await draft(id, as);
      const base = `/api/v1/incidents/${id}/postmortem`;
      await ok(
        await call(as, "PUT", `${base}/public`, { title: "T", body: "B", version: postmortem.version }),
      );
      await ok(await call(as, "POST", `${base}/status`, { status: "in_review" }));
      return call(as, "POST", `${base}/public/publish`);
    };
    const notResolved = await prepare(open.id);
    expect(notResolved.statusCode).toBe(422);
    expect(notResolved.json().errors[0].path).toBe("incident.status");

    const drill = await resolvedIncident({ drill: true, title: "Practice run" });
    const drillRes = await prepare(drill.id);
    expect(drillRes.statusCode).toBe(422);
    expect(drillRes.json().errors[0].path).toBe("incident.drill");

    const secret = await declare({ private: true, title: "Leaked credentials" }, marta);
    await log(secret.id, marta, "fix", "Rotated the keys.", true);
    await ok(await call(marta, "POST", `/api/v1/incidents/${secret.id}/status`, { status: "resolved" }));
    const secretRes = await prepare(secret.id, marta);
    expect(secretRes.statusCode).toBe(422);
    expect(secretRes.json().errors[0].path).toBe("incident.private");
    await w.app.statusPage.site.settled();
    expect((await w.app.inject({ url: `/incidents/${secret.id}` })).statusCode).toBe(404);
  });

  it("exports Markdown and a standalone sanitized HTML document, internal and public", async () => {
    const incident = await resolvedIncident({ title: "Slow search" });
    const first = await draft(incident.id);
    const base = `/api/v1/incidents/${incident.id}`;
    await ok(await call(responder, "PUT", `${base}/postmortem`, { body: XSS, version: first.version }));

    const md = await ok(await call(viewer, "GET", `${base}/postmortem.md`));
    expect(md.headers["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(md.headers["content-disposition"]).toBe(
      `attachment; filename="${incident.reference.toLowerCase()}-postmortem.md"`,
    );
    expect(md.body).toBe(XSS);

    const html = await ok(await call(viewer, "GET", `${base}/postmortem.html`));
    expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html.headers["content-disposition"]).toContain(".html");
    expect(html.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    expect(html.headers["content-security-policy"]).toContain("sandbox");
    expect(html.body.startsWith("<!doctype html>")).toBe(true);
    expect(html.body).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/,
    );
    expect(html.body).toContain("<title>Postmortem: Slow search (");
    expect(html.body).toContain("<strong>certificate</strong>");
    expect(html.body).not.toMatch(/<script|javascript:|onerror|onload|data:text/i);
    // The inline stylesheet is the one the policy allows.
    const css = /<style>([\s\S]*?)<\/style>/.exec(html.body)?.[1] ?? "";
    const { createHash } = await import("node:crypto");
    expect(html.headers["content-security-policy"]).toContain(
      `'sha256-${createHash("sha256").update(css).digest("base64")}'`,
    );

    expect((await call(viewer, "GET", `${base}/postmortem.md?version=public`)).statusCode).toBe(404);
    await ok(
      await call(responder, "PUT", `${base}/postmortem/public`, {
        title: "Search was slow",
        body: "Searches took **seconds**.",
        version: first.version + 1,
      }),
    );
    const publicMd = await ok(await call(viewer, "GET", `${base}/postmortem.md?version=public`));
    expect(publicMd.body).toBe("# Search was slow\n\nSearches took **seconds**.\n");
    expect(publicMd.headers["content-disposition"]).toContain("-postmortem-public.md");
    const publicHtml = await ok(await call(viewer, "GET", `${base}/postmortem.html?version=public`));
    expect(publicHtml.body).toContain("<h1>Search was slow</h1>");
    expect(publicHtml.body).toContain("not published yet");
    expect(publicHtml.body).toContain("<strong>seconds</strong>");
    expect((await call(viewer, "GET", `${base}/postmortem.md?version=other`)).statusCode).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

/**
 * The on-call issue's promise, end to end: an alert posted to /v2/enqueue
 * that meets a plan criterion declares an incident and pages the role's
 * primary through a real SMTP server; nobody acknowledges within ack_within,
 * so the backup is paged; the backup acknowledges and nobody else is paged,
 * however long we wait; the monitor's resolve event closes the alert.
 */
describe.each(dialects())("from an alert to an acknowledged page on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;
  let marta: TestUser;
  let jonas: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin", "ana.admin@example.com", "Ana Admin");
    // The example plan's incident manager: Marta first, Jonas as the backup, acknowledge within 5 minutes.
    marta = await w.user("responder", "marta.silva@example.com", "Marta Silva");
    jonas = await w.user("responder", "jonas.weber@example.com", "Jonas Weber");
  });
  afterAll(async () => w?.stop());

  const pagesFor = (email: string) =>
    w.smtp.messages.filter((m) => m.to.includes(email) && /^Page: /.test(m.subject));

  /** The incident manager's pages, by whom they went to (Jonas is also another role's primary). */
  async function managerPages() {
    const res = await w.app.inject({ url: "/api/v1/pages?all=true&status=all", headers: admin.auth });
    expect(res.statusCode, res.body).toBe(200);
    return (
      res.json().items as Array<{ id: string; roleId: string; user: { email: string }; status: string }>
    )
      .filter((p) => p.roleId === "incident-manager")
      .map((p) => ({ id: p.id, to: p.user.email, status: p.status }));
  }

  async function enqueue(body: Record<string, unknown>) {
    const res = await w.app.inject({ method: "POST", url: "/v2/enqueue", payload: body });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: "success", message: "Event processed" });
    return res.json() as { dedup_key: string };
  }

  async function openAlerts() {
    const res = await w.app.inject({ url: "/api/v1/alerts?status=open", headers: admin.auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Array<{
      id: string;
      dedupKey: string;
      status: string;
      incidentId: string | null;
    }>;
  }

  it("declares, pages the primary, escalates to the backup, stops on acknowledgement, closes on resolve", async () => {
    const created = await w.app.inject({
      method: "POST",
      url: "/api/v1/integrations",
      headers: admin.auth,
      payload: { name: "Prometheus", type: "pagerduty" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const key = created.json().key as string;

    const trigger = {
      routing_key: key,
      event_action: "trigger",
      dedup_key: "card-payments-5xx",
      payload: {
        summary: "Card payments: 5xx above 20% for 5 minutes",
        source: "prometheus",
        severity: "critical",
        component: "card-payments",
        custom_details: { tier: "money-flow" },
      },
    };
    await enqueue(trigger);
    await enqueue(trigger); // the same open key: the same alert
    await w.worker.drain();

    const [alert, ...others] = await openAlerts();
    expect(others).toEqual([]);
    expect(alert?.dedupKey).toBe("card-payments-5xx");
    expect(alert?.incidentId).toBeTruthy();
    const incident = (
      await w.app.inject({ url: `/api/v1/incidents/${alert?.incidentId}`, headers: admin.auth })
    ).json();
    expect(incident.severity).toBe("sev1");
    expect(incident.detectedBy).toBe("monitoring");
    expect(incident.criteria).toEqual(["money-flow-down"]);

    // The primary is paged at once, by email through the SMTP server, with a one-click acknowledgement link.
    await w.worker.drain();
    expect(pagesFor(marta.email)).toHaveLength(1);
    expect(pagesFor(marta.email)[0]?.text).toMatch(/\/ack\/[0-9a-f-]+\?exp=\d+&sig=/);
    expect((await managerPages()).map((p) => p.to)).toEqual([marta.email]);
    const jonasBefore = pagesFor(jonas.email).length; // his own role's page

    // Nobody acknowledges within the role's ack_within (5 minutes): the backup is paged.
    w.clock.advance(4 * 60_000);
    await w.worker.drain();
    expect((await managerPages()).map((p) => p.to)).toEqual([marta.email]);
    w.clock.advance(60_000 + 1_000);
    await w.worker.drain();
    expect((await managerPages()).map((p) => p.to).sort()).toEqual([jonas.email, marta.email].sort());
    expect(pagesFor(jonas.email)).toHaveLength(jonasBefore + 1);

    // Jonas acknowledges from the API; escalation stops for good.
    const mine = (await w.app.inject({ url: "/api/v1/pages", headers: jonas.auth })).json().items as Array<{
      id: string;
      roleId: string;
    }>;
    const managerPage = mine.find((p) => p.roleId === "incident-manager");
    expect(managerPage).toBeDefined();
    const ack = await w.app.inject({
      method: "POST",
      url: `/api/v1/pages/${managerPage?.id}/ack`,
      headers: jonas.auth,
    });
    expect(ack.statusCode, ack.body).toBe(200);
    for (let i = 0; i < 6; i++) {
      w.clock.advance(30 * 60_000);
      await w.worker.drain();
    }
    const pagesAfter = await managerPages();
    expect(pagesAfter).toHaveLength(2);
    expect(pagesAfter.find((p) => p.to === jonas.email)?.status).toBe("acknowledged");
    const escalations = (
      await w.app.inject({ url: `/api/v1/incidents/${incident.id}/escalations`, headers: admin.auth })
    ).json();
    const managers = (escalations.items as Array<{ roleId: string; status: string }>).find(
      (e) => e.roleId === "incident-manager",
    );
    expect(managers?.status).toBe("acknowledged");

    // The timeline tells the story.
    const timeline = (
      await w.app.inject({ url: `/api/v1/incidents/${incident.id}/timeline?limit=500`, headers: admin.auth })
    ).json().items as Array<{ kind: string }>;
    const kinds = timeline.map((e) => e.kind);
    for (const kind of ["paged", "escalated", "page_acknowledged"]) expect(kinds).toContain(kind);

    // The monitor says it is over: the alert closes.
    await enqueue({ routing_key: key, event_action: "resolve", dedup_key: "card-payments-5xx" });
    await w.worker.drain();
    expect(await openAlerts()).toEqual([]);
    const resolved = (
      await w.app.inject({ url: "/api/v1/alerts?status=resolved", headers: admin.auth })
    ).json();
    expect(resolved.items.map((a: { dedupKey: string }) => a.dedupKey)).toEqual(["card-payments-5xx"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Incident } from "../src/incidents/model.ts";
import { checkReviews, Review } from "../src/review/reviews/index.ts";
import {
  icsValues,
  type MimePart,
  mimeParts,
  parseIcs,
  unescapeIcsText,
} from "../src/review/reviews/test-fixtures.ts";
import type { SmtpMessage } from "./fakes/smtp-sink.ts";
import type { TestUser } from "./support/app.ts";
import { type CommsWorld, startCommsWorld } from "./support/comms-world.ts";
import { dialects } from "./support/stores.ts";

/**
 * Post-incident reviews through the API, with a real SMTP server: resolving
 * a SEV1 opens a review with its invite; the meeting moves; reminders go out
 * before it is due and while it is late; the public-postmortem decision is the
 * incident manager's, and closing waits for it.
 */
describe.each(dialects())("post-incident reviews on %s", (dialect) => {
  let w: CommsWorld;
  let admin: TestUser;
  let marta: TestUser; // the example plan's incident manager (the lead role)
  let priya: TestUser; // communications manager
  let jonas: TestUser; // technical lead
  let outsider: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    w = await startCommsWorld(dialect);
    admin = await w.user("admin", "ana.admin@example.com", "Ana Admin");
    marta = await w.user("responder", "marta.silva@example.com", "Marta Silva");
    priya = await w.user("responder", "priya.nair@example.com", "Priya Nair");
    jonas = await w.user("responder", "jonas.weber@example.com", "Jonas Weber");
    outsider = await w.user("responder", "sam.outsider@example.com", "Sam Outsider");
    viewer = await w.user("viewer");
  });
  afterAll(async () => w?.stop());

  async function declare(severity: string, title = "Card payments failing") {
    const res = await w.app.inject({
      method: "POST",
      url: "/api/v1/incidents",
      headers: admin.auth,
      payload: {
        title,
        severity,
        criteria: ["money-flow-down"],
        components: [{ id: "card-payments", impact: "major_outage" }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; reference: string };
  }

  async function resolve(incident: { id: string }) {
    const fix = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/timeline`,
      headers: marta.auth,
      payload: { kind: "fix", body: "Rolled back the gateway config", final: true },
    });
    expect(fix.statusCode, fix.body).toBe(201);
    return setStatus(incident, "resolved");
  }

  async function setStatus(incident: { id: string }, status: string) {
    const res = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/status`,
      headers: marta.auth,
      payload: { status },
    });
    expect(res.statusCode, res.body).toBe(200);
    return Incident.parse(res.json());
  }

  async function review(incident: { id: string }, as: TestUser = viewer) {
    const res = await w.app.inject({ url: `/api/v1/incidents/${incident.id}/review`, headers: as.auth });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
    return Review.parse(res.json());
  }

  async function timelineKinds(incident: { id: string }) {
    const res = await w.app.inject({
      url: `/api/v1/incidents/${incident.id}/timeline?limit=500`,
      headers: admin.auth,
    });
    return (res.json().items as Array<{ kind: string; body: string }>).filter(
      (e) => e.kind.startsWith("review") || e.kind === "closed",
    );
  }

  const mailsFor = (reference: string, subject: RegExp) =>
    w.smtp.messages.filter((m) => subject.test(m.subject) && m.subject.includes(` ${reference} `));

  function calendarOf(message: SmtpMessage): { alternative: MimePart; attachment: MimePart } {
    const parts = mimeParts(message.raw);
    const alternative = parts.find((p) => /^text\/calendar/i.test(p.contentType));
    const attachment = parts.find((p) => /^application\/ics/i.test(p.contentType));
    expect(alternative, "a text/calendar alternative").toBeDefined();
    expect(attachment, "an .ics attachment").toBeDefined();
    return { alternative: alternative!, attachment: attachment! };
  }

  const attendeeEmails = () => [admin, jonas, marta, priya, outsider].map((u) => u.email);
  let sev1: { id: string; reference: string };
  let sev2: { id: string; reference: string };
  let uid: string;

  it("opens a review when a SEV1 is resolved, due five business days on, past the weekend", async () => {
    // Friday 03:00 in Lisbon (the plan's zone, UTC+0 in winter).
    w.clock.set("2026-11-27T03:00:00.000Z");
    sev1 = await declare("sev1");
    // Sam holds no role but took part by writing on the timeline.
    const note = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${sev1.id}/timeline`,
      headers: outsider.auth,
      payload: { kind: "note", body: "Support sees double charges" },
    });
    expect(note.statusCode, note.body).toBe(201);
    const resolved = await resolve(sev1);
    expect(resolved.review).toEqual({
      status: "scheduled",
      dueAt: "2026-12-04T23:59:59.999Z",
      meetingAt: "2026-12-04T14:00:00.000Z",
      publicPostmortem: null,
    });
    expect(resolved.closedAt).toBeNull();

    const r = await review(sev1);
    expect(r).toMatchObject({
      status: "scheduled",
      required: true,
      dueAt: "2026-12-04T23:59:59.999Z",
      late: false,
      meetingAt: "2026-12-04T14:00:00.000Z",
      meetingMinutes: 60,
      meetingUrl: "https://meet.example.com/incident-review",
      sequence: 0,
      heldAt: null,
      decision: null,
      decisionRequired: true,
      incident: { reference: sev1.reference, status: "resolved", lead: { email: marta.email } },
    });
    // Everyone who took part: the declarer, the role holders (the plan's primaries who have accounts), Sam.
    expect(r.attendees.map((a) => a.email)).toEqual(attendeeEmails());
    expect(r.checklist).toEqual([
      { text: "Walk through the timeline and confirm the final fix", done: false },
      { text: "Agree the contributing factors, without blame", done: false },
      { text: "Decide whether a public postmortem is needed", done: false },
      { text: "Agree action items with owners and due dates", done: false },
    ]);
    const entries = await timelineKinds(sev1);
    expect(entries.map((e) => e.kind)).toEqual(["review_opened"]);
    expect(entries[0]!.body).toMatch(
      /^Review opened, due by the end of Friday 4 December 2026 \(Europe\/Lisbon\)/,
    );
  });

  it("emails each attendee an iCalendar REQUEST through the SMTP server", async () => {
    await w.worker.drain();
    const invites = mailsFor(sev1.reference, /^Invitation: post-incident review/);
    expect(invites.flatMap((m) => m.to).sort()).toEqual(attendeeEmails().sort());
    const uids = new Set<string>();
    for (const message of invites) {
      expect(message.from).toBe("status@example.com");
      const { alternative, attachment } = calendarOf(message);
      expect(alternative.contentType.toLowerCase().replace(/\s/g, "")).toContain("method=request");
      expect(alternative.contentType.toLowerCase()).toContain("charset=utf-8");
      expect(attachment.headers.get("content-disposition")).toMatch(/attachment/);
      expect(attachment.contentType).toMatch(/review\.ics/);
      expect(attachment.body).toBe(alternative.body);
      const ics = parseIcs(alternative.body);
      expect(icsValues(ics, "METHOD")).toEqual(["REQUEST"]);
      expect(icsValues(ics, "DTSTART")).toEqual(["20261204T140000Z"]);
      expect(icsValues(ics, "DTEND")).toEqual(["20261204T150000Z"]);
      expect(icsValues(ics, "SEQUENCE")).toEqual(["0"]);
      expect(icsValues(ics, "LOCATION")).toEqual(["https://meet.example.com/incident-review"]);
      expect(icsValues(ics, "ORGANIZER")).toEqual(["mailto:status@example.com"]);
      expect(icsValues(ics, "ATTENDEE").sort()).toEqual(
        attendeeEmails()
          .map((e) => `mailto:${e}`)
          .sort(),
      );
      for (const attendee of ics.filter((p) => p.name === "ATTENDEE")) {
        expect(attendee.params).toEqual(
          expect.arrayContaining(["ROLE=REQ-PARTICIPANT", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"]),
        );
      }
      const description = unescapeIcsText(icsValues(ics, "DESCRIPTION")[0]!);
      expect(description).toContain(`http://runsheet.test/app/incidents/${sev1.reference}`);
      expect(description).toContain("Card payments failing");
      uids.add(icsValues(ics, "UID")[0]!);
      // The plain text body says the same for a mail client without calendars.
      expect(message.text).toContain(`You are invited to the post-incident review of ${sev1.reference}`);
      expect(message.text).toContain("When: Friday 4 December 2026, 14:00 to 15:00 (Europe/Lisbon)");
    }
    expect(uids.size).toBe(1);
    uid = [...uids][0]!;
  });

  it("moves the meeting, sending the invite again with SEQUENCE 1, and refuses a stale version", async () => {
    const before = await review(sev1);
    const url = `/api/v1/incidents/${sev1.id}/review`;
    const move = (headers: Record<string, string>) =>
      w.app.inject({
        method: "PATCH",
        url,
        headers: { ...priya.auth, ...headers },
        payload: { meetingAt: "2026-12-03T10:30:00+00:00" },
      });
    const moved = await move({ "if-match": `"${before.version}"` });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ meetingAt: "2026-12-03T10:30:00.000Z", sequence: 1 });
    const stale = await move({ "if-match": `"${before.version}"` });
    expect(stale.statusCode).toBe(409);

    await w.worker.drain();
    const again = mailsFor(sev1.reference, /^Moved: post-incident review/);
    expect(again.flatMap((m) => m.to).sort()).toEqual(attendeeEmails().sort());
    for (const message of again) {
      const ics = parseIcs(calendarOf(message).alternative.body);
      expect(icsValues(ics, "UID")).toEqual([uid]);
      expect(icsValues(ics, "SEQUENCE")).toEqual(["1"]);
      expect(icsValues(ics, "METHOD")).toEqual(["REQUEST"]);
      expect(icsValues(ics, "DTSTART")).toEqual(["20261203T103000Z"]);
    }
    expect((await timelineKinds(sev1)).map((e) => e.kind)).toContain("review_moved");
  });

  it("ticks the checklist and keeps notes; a viewer reads but may not write", async () => {
    const url = `/api/v1/incidents/${sev1.id}/review`;
    const denied = await w.app.inject({
      method: "PATCH",
      url,
      headers: viewer.auth,
      payload: { notes: "x" },
    });
    expect(denied.statusCode).toBe(403);
    const bad = await w.app.inject({
      method: "PATCH",
      url,
      headers: jonas.auth,
      payload: { checklist: [{ index: 9, done: true }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ path: "checklist.0.index" });
    const res = await w.app.inject({
      method: "PATCH",
      url,
      headers: jonas.auth,
      payload: { checklist: [{ index: 0, done: true }], notes: "Gateway config rolled back at 03:40." },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = Review.parse(res.json());
    expect(r.checklist.map((c) => c.done)).toEqual([true, false, false, false]);
    expect(r.notes).toBe("Gateway config rolled back at 03:40.");
  });

  it("reminds everyone invited before the review is due, and the incident manager each day it is late, once each", async () => {
    const stages = async () =>
      (
        await w.store.db
          .selectFrom("reminders_sent")
          .select("stage")
          .where("incident_id", "=", sev1.id)
          .orderBy("sent_at")
          .execute()
      ).map((r) => r.stage);
    const reminders = (kind: RegExp) => mailsFor(sev1.reference, kind);

    // Due at the end of Friday 4 December; the plan reminds a day before.
    w.clock.set("2026-12-03T23:00:00.000Z");
    await checkReviews(w);
    expect(await stages()).toEqual([]);
    w.clock.set("2026-12-04T00:30:00.000Z");
    await checkReviews(w);
    await checkReviews(w); // however often it looks: once
    expect(await stages()).toEqual(["review-soon"]);
    await w.worker.drain();
    const soon = reminders(/^Review due soon: /);
    expect(soon.flatMap((m) => m.to).sort()).toEqual(attendeeEmails().sort());
    expect(soon[0]!.text).toMatch(/is due by the end of Friday 4 December 2026/);

    w.clock.set("2026-12-04T20:00:00.000Z");
    await checkReviews(w);
    expect(await stages()).toEqual(["review-soon"]);

    // Late: the incident manager hears of it once a day.
    w.clock.set("2026-12-05T01:00:00.000Z");
    await checkReviews(w);
    await checkReviews(w);
    w.clock.set("2026-12-05T22:00:00.000Z");
    await checkReviews(w);
    expect(await stages()).toEqual(["review-soon", "review-late-1"]);
    await w.worker.drain();
    expect(reminders(/^Review late: /).map((m) => m.to)).toEqual([[marta.email]]);
    expect(await review(sev1)).toMatchObject({ late: true });

    w.clock.set("2026-12-06T02:00:00.000Z");
    await checkReviews(w);
    await w.worker.drain();
    expect(await stages()).toEqual(["review-soon", "review-late-1", "review-late-2"]);
    expect(reminders(/^Review late: /)).toHaveLength(2);
    expect((await timelineKinds(sev1)).filter((e) => e.kind === "review_reminder")).toHaveLength(3);

    // Held: no more chasing.
    const held = await w.app.inject({
      method: "PATCH",
      url: `/api/v1/incidents/${sev1.id}/review`,
      headers: marta.auth,
      payload: { status: "held" },
    });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toMatchObject({ status: "held", heldAt: "2026-12-06T02:00:00.000Z", late: false });
    w.clock.set("2026-12-07T02:00:00.000Z");
    await checkReviews(w);
    await w.worker.drain();
    expect(await stages()).toEqual(["review-soon", "review-late-1", "review-late-2"]);
    expect(reminders(/^Review late: /)).toHaveLength(2);
    expect((await timelineKinds(sev1)).map((e) => e.kind)).toContain("review_held");
  });

  it("refuses to close without the public-postmortem decision, which only the incident manager or an admin records", async () => {
    const close = (as: TestUser) =>
      w.app.inject({ method: "POST", url: `/api/v1/incidents/${sev1.id}/close`, headers: as.auth });
    const early = await close(marta);
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toMatch(/public postmortem decision/);
    expect(early.json().errors[0]).toMatchObject({
      path: "review.decision",
      hint: expect.stringContaining(
        `record the public postmortem decision first: POST /api/v1/incidents/${sev1.reference}/review/decision`,
      ),
    });

    const decide = (as: TestUser, payload: Record<string, unknown>) =>
      w.app.inject({
        method: "POST",
        url: `/api/v1/incidents/${sev1.id}/review/decision`,
        headers: as.auth,
        payload,
      });
    const reason = "Customers were charged twice: they deserve the whole story";
    expect((await decide(priya, { publicPostmortem: true, reason })).statusCode).toBe(403);
    expect((await decide(outsider, { publicPostmortem: true, reason })).statusCode).toBe(403);
    expect((await decide(viewer, { publicPostmortem: true, reason })).statusCode).toBe(403);
    const short = await decide(marta, { publicPostmortem: true, reason: "ok" });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toMatch(/reason/);

    const decided = await decide(marta, { publicPostmortem: true, reason });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(Review.parse(decided.json()).decision).toMatchObject({
      publicPostmortem: true,
      reason,
      decidedBy: { email: marta.email },
    });
    const entries = await timelineKinds(sev1);
    expect(entries.find((e) => e.kind === "review_decision")?.body).toBe(
      `Public postmortem: yes — ${reason}`,
    );

    const closed = await close(marta);
    expect(closed.statusCode, closed.body).toBe(200);
    const incident = Incident.parse(closed.json());
    expect(incident.closedAt).toBe(w.clock.now().toISOString());
    expect(incident.review).toMatchObject({ status: "held", publicPostmortem: true });
    expect((await timelineKinds(sev1)).at(-1)?.kind).toBe("closed");

    // Closed means done: no reopening, no second close, the decision stands.
    const reopen = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${sev1.id}/status`,
      headers: marta.auth,
      payload: { status: "investigating" },
    });
    expect(reopen.statusCode).toBe(422);
    expect(reopen.json().detail).toMatch(/closed and cannot be reopened/);
    expect((await close(admin)).statusCode).toBe(422);
    expect((await decide(admin, { publicPostmortem: false, reason: "Changed my mind" })).statusCode).toBe(
      422,
    );
  });

  it("lets an admin decide, and refuses to close an incident that is not resolved", async () => {
    w.clock.set("2026-12-08T10:00:00.000Z");
    const incident = await declare("sev2", "Invoice emails delayed");
    sev2 = incident;
    const open = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/close`,
      headers: admin.auth,
    });
    expect(open.statusCode).toBe(422);
    expect(open.json().errors[0]).toMatchObject({ path: "status" });
    await resolve(incident);
    // Reopened and resolved again: still one review.
    await setStatus(incident, "monitoring");
    await setStatus(incident, "resolved");
    const rows = await w.store.db
      .selectFrom("reviews")
      .select("id")
      .where("incident_id", "=", incident.id)
      .execute();
    expect(rows).toHaveLength(1);
    const decided = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/review/decision`,
      headers: admin.auth,
      payload: { publicPostmortem: false, reason: "Internal only: no customer saw it" },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const closed = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/close`,
      headers: jonas.auth,
    });
    expect(closed.statusCode, closed.body).toBe(200);
  });

  it("opens no review for a SEV3, closes it without a decision, and opens one by hand on request", async () => {
    w.clock.set("2026-12-09T10:00:00.000Z");
    const incident = await declare("sev3", "Slow dashboard");
    const resolved = await resolve(incident);
    expect(resolved.review).toBeNull();
    const none = await w.app.inject({ url: `/api/v1/incidents/${incident.id}/review`, headers: admin.auth });
    expect(none.statusCode).toBe(404);

    const opened = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.reference}/review`,
      headers: jonas.auth,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    // Resolved on Wednesday 9 December: due on Wednesday 16 December.
    expect(opened.json()).toMatchObject({
      required: false,
      decisionRequired: false,
      dueAt: "2026-12-16T23:59:59.999Z",
    });
    const twice = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.reference}/review`,
      headers: jonas.auth,
    });
    expect(twice.statusCode).toBe(409);
    await w.worker.drain();
    // The declarer, the role holders and Jonas, who opened it.
    expect(mailsFor(incident.reference, /^Invitation: /)).toHaveLength(4);

    // Cancelled: the calendars hear of it.
    const cancelled = await w.app.inject({
      method: "PATCH",
      url: `/api/v1/incidents/${incident.id}/review`,
      headers: jonas.auth,
      payload: { status: "cancelled" },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await w.worker.drain();
    const cancels = mailsFor(incident.reference, /^Cancelled: /);
    expect(cancels).toHaveLength(4);
    const ics = parseIcs(calendarOf(cancels[0]!).alternative.body);
    expect(icsValues(ics, "METHOD")).toEqual(["CANCEL"]);
    expect(icsValues(ics, "SEQUENCE")).toEqual(["1"]);
    expect(icsValues(ics, "STATUS")).toEqual(["CANCELLED"]);

    // A SEV3 needs no decision to close.
    const closed = await w.app.inject({
      method: "POST",
      url: `/api/v1/incidents/${incident.id}/close`,
      headers: jonas.auth,
    });
    expect(closed.statusCode, closed.body).toBe(200);
  });

  it("lists reviews across incidents, soonest due first, by status and due date", async () => {
    w.clock.set("2026-12-10T10:00:00.000Z");
    const a = await declare("sev1", "Logins failing");
    await resolve(a); // Thursday 10th: due Thursday 17th
    const list = async (query: string, as: TestUser = viewer) => {
      const res = await w.app.inject({ url: `/api/v1/reviews${query}`, headers: as.auth });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as unknown[]).map((r) => Review.parse(r));
    };
    const all = await list("");
    expect(all.map((r) => r.dueAt)).toEqual([...all.map((r) => r.dueAt)].sort());
    expect(all.length).toBeGreaterThanOrEqual(4);
    const thisWeek = await list("?status=scheduled&due_before=2026-12-19T00:00:00Z");
    // Tuesday 8th's SEV2 (due the 15th, not held) and Thursday's SEV1; not the cancelled one, not the held one.
    expect(thisWeek.map((r) => r.incident.reference)).toEqual([sev2.reference, a.reference]);
    expect(thisWeek.map((r) => r.incident.lead?.email)).toEqual([marta.email, marta.email]);
    expect(
      (await list("?status=scheduled&due_before=2026-12-16T00:00:00Z")).map((r) => r.incident.reference),
    ).toEqual([sev2.reference]);
    expect((await list("?status=held")).map((r) => r.incident.reference)).toContain(sev1.reference);
    const bad = await w.app.inject({ url: "/api/v1/reviews?status=done", headers: viewer.auth });
    expect(bad.statusCode).toBe(400);
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createToken } from "../src/auth/credentials.ts";
import { createUser } from "../src/auth/users.ts";
import { serveConfig } from "../src/config.ts";
import { OverrideView } from "../src/oncall/schedule-overrides.ts";
import { CoverageView, OnCallAtAnswer, OnCallRangeAnswer, ScheduleView } from "../src/oncall/schedules.ts";
import { EXAMPLE_PLAN_PATH, type Plan, type PlanSchedule } from "../src/plan/index.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { systemClock } from "../src/shared/clock.ts";
import { buildTestApp, examplePlan, type TestApp, type TestUser } from "./support/app.ts";
import { dialects } from "./support/stores.ts";

/**
 * On-call schedules through the API: a plan schedule of two people in
 * Europe/Berlin handing off daily at 09:00 local (shift 0, Ana's, starts on
 * 2026-03-01; Ben holds the odd days), answered across both 2026 DST changes;
 * overrides, calendar feeds, and `runsheet oncall` against a real server.
 */

const BERLIN: PlanSchedule = {
  id: "payments-primary",
  name: "Payments primary",
  timezone: "Europe/Berlin",
  layers: [
    {
      id: "daily",
      name: "Daily",
      members: ["ana@example.com", "ben@example.com"],
      rotation: "daily",
      handoff: { start_date: "2026-03-01", time: "09:00" },
    },
  ],
};

function planWithSchedule(): Plan {
  const plan = examplePlan();
  return { ...plan, schedules: [...plan.schedules, BERLIN] };
}

const HOUR = 3_600_000;
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/Berlin" }).toFormat("yyyy-MM-dd HH:mm");
const z = (iso: string) => iso.replace(":00.000Z", "Z");

/** The VEVENTs of a feed, each as its properties. */
function events(ics: string): Array<Record<string, string>> {
  return ics
    .split("BEGIN:VEVENT\r\n")
    .slice(1)
    .map((block) =>
      Object.fromEntries(
        block
          .split("END:VEVENT")[0]!
          .replace(/\r\n /g, "")
          .split("\r\n")
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]),
      ),
    );
}

describe.each(dialects())("schedules API on %s", (dialect) => {
  let t: TestApp;
  let ana: TestUser;
  let ben: TestUser;
  let carol: TestUser;
  let viewer: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { plan: planWithSchedule() });
    ana = await t.user("responder", "ana@example.com", "Ana Berg");
    ben = await t.user("viewer", "ben@example.com", "Ben Ortiz");
    carol = await t.user("responder", "carol@example.com", "Carol Diaz");
    viewer = await t.user("viewer");
    admin = await t.user("admin");
  });
  afterAll(async () => t?.close());
  beforeEach(() => t.clock.set("2026-11-27T03:00:00.000Z"));

  async function get(url: string, as: TestUser = viewer) {
    return t.app.inject({ method: "GET", url, headers: as.auth });
  }

  async function onCallAt(at: string, schedule = BERLIN.id) {
    const res = await get(`/api/v1/oncall?schedule=${schedule}&at=${at}`);
    expect(res.statusCode, res.body).toBe(200);
    return OnCallAtAnswer.parse(res.json());
  }

  async function addOverride(body: Record<string, unknown>, as: TestUser = ana, schedule = BERLIN.id) {
    return t.app.inject({
      method: "POST",
      url: `/api/v1/schedules/${schedule}/overrides`,
      headers: as.auth,
      payload: body,
    });
  }

  async function overrideCount() {
    const row = await t.store.db
      .selectFrom("schedule_overrides")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it("lists the plan's schedules with their members' accounts and who is on call now", async () => {
    const res = await get("/api/v1/schedules");
    expect(res.statusCode, res.body).toBe(200);
    const { items } = { items: res.json().items.map((i: unknown) => ScheduleView.parse(i)) };
    expect(items.map((s: ScheduleView) => s.id)).toEqual(["mim-rota", "payments-primary"]);
    const payments = items[1]!;
    expect(payments).toEqual({
      id: "payments-primary",
      name: "Payments primary",
      timeZone: "Europe/Berlin",
      layers: [
        {
          id: "daily",
          name: "Daily",
          members: [
            { email: "ana@example.com", userId: ana.id, name: "Ana Berg" },
            { email: "ben@example.com", userId: ben.id, name: "Ben Ortiz" },
          ],
          rotation: { type: "daily" },
          handoff: { startDate: "2026-03-01", time: "09:00" },
          restrictions: [],
          endsAt: null,
        },
      ],
      // 04:00 in Berlin on 2026-11-27, day 271 of the rotation: Ana's until 09:00 local.
      onCallNow: {
        email: "ana@example.com",
        userId: ana.id,
        name: "Ana Berg",
        until: "2026-11-27T08:00:00.000Z",
      },
    });
    // The example plan's rota: Lisbon time, weekly from 2026-11-02, members without accounts.
    expect(items[0]).toMatchObject({
      timeZone: "Europe/Lisbon",
      layers: [{ rotation: { type: "weekly" }, members: [{ userId: null, name: null }, { userId: null }] }],
      onCallNow: {
        email: "jonas.weber@example.com",
        userId: null,
        name: null,
        until: "2026-11-30T09:00:00.000Z",
      },
    });
  });

  describe("a schedule with two people across a DST change answers correctly", () => {
    it.each([
      // Spring forward: 2026-03-29 02:00 CET becomes 03:00 CEST (01:00Z).
      ["2026-03-28T07:59:59Z", "ana", "2026-03-27T08:00Z", "2026-03-28T08:00Z"],
      ["2026-03-28T08:00:00Z", "ben", "2026-03-28T08:00Z", "2026-03-29T07:00Z"], // 09:00 CET handoff
      ["2026-03-29T00:59:59Z", "ben", "2026-03-28T08:00Z", "2026-03-29T07:00Z"], // just before the change
      ["2026-03-29T01:00:00Z", "ben", "2026-03-28T08:00Z", "2026-03-29T07:00Z"], // just after
      ["2026-03-29T06:59:59Z", "ben", "2026-03-28T08:00Z", "2026-03-29T07:00Z"],
      ["2026-03-29T07:00:00Z", "ana", "2026-03-29T07:00Z", "2026-03-30T07:00Z"], // 09:00 CEST handoff
      ["2026-03-29T08:00:00Z", "ana", "2026-03-29T07:00Z", "2026-03-30T07:00Z"], // 10:00 CEST, no handoff
      // Fall back: 2026-10-25 03:00 CEST becomes 02:00 CET (01:00Z).
      ["2026-10-24T06:59:59Z", "ana", "2026-10-23T07:00Z", "2026-10-24T07:00Z"],
      ["2026-10-24T07:00:00Z", "ben", "2026-10-24T07:00Z", "2026-10-25T08:00Z"], // 09:00 CEST handoff
      ["2026-10-25T00:59:59Z", "ben", "2026-10-24T07:00Z", "2026-10-25T08:00Z"], // just before the change
      ["2026-10-25T01:00:00Z", "ben", "2026-10-24T07:00Z", "2026-10-25T08:00Z"], // just after
      ["2026-10-25T07:00:00Z", "ben", "2026-10-24T07:00Z", "2026-10-25T08:00Z"], // 08:00 CET, no handoff
      ["2026-10-25T08:00:00Z", "ana", "2026-10-25T08:00Z", "2026-10-26T08:00Z"], // 09:00 CET handoff
    ])("at %s it is %s's shift, %s to %s", async (at, who, start, end) => {
      const answer = await onCallAt(at);
      const person = who === "ana" ? ana : ben;
      expect(answer.at).toBe(new Date(at).toISOString());
      expect(answer.items).toHaveLength(1);
      const [item] = answer.items;
      expect(item).toMatchObject({
        scheduleId: "payments-primary",
        scheduleName: "Payments primary",
        email: person.email,
        userId: person.id,
        name: person.name,
        source: { kind: "layer", layerId: "daily" },
      });
      expect([z(item!.shiftStart), z(item!.shiftEnd)]).toEqual([start, end]);
      expect(berlin(item!.shiftStart).endsWith("09:00")).toBe(true);
      expect(berlin(item!.shiftEnd).endsWith("09:00")).toBe(true);
    });

    it("makes the shift over spring-forward 23 hours long and the one over fall-back 25", async () => {
      const spring = (await onCallAt("2026-03-29T01:00:00Z")).items[0]!;
      const autumn = (await onCallAt("2026-10-25T01:00:00Z")).items[0]!;
      expect((Date.parse(spring.shiftEnd) - Date.parse(spring.shiftStart)) / HOUR).toBe(23);
      expect((Date.parse(autumn.shiftEnd) - Date.parse(autumn.shiftStart)) / HOUR).toBe(25);
    });
  });

  it("answers for every schedule when none is named, and now when no time is", async () => {
    const res = await get("/api/v1/oncall");
    expect(res.statusCode, res.body).toBe(200);
    const answer = OnCallAtAnswer.parse(res.json());
    expect(answer.at).toBe("2026-11-27T03:00:00.000Z");
    expect(answer.items.map((i) => [i.scheduleId, i.email, i.userId])).toEqual([
      ["mim-rota", "jonas.weber@example.com", null],
      ["payments-primary", "ana@example.com", ana.id],
    ]);
  });

  it("lists the shifts over a range, clipped to it", async () => {
    const res = await get(
      "/api/v1/oncall?schedule=payments-primary&from=2026-03-28T00:00:00Z&to=2026-03-30T00:00:00Z",
    );
    expect(res.statusCode, res.body).toBe(200);
    const answer = OnCallRangeAnswer.parse(res.json());
    expect(answer).toMatchObject({ from: "2026-03-28T00:00:00.000Z", to: "2026-03-30T00:00:00.000Z" });
    expect(answer.items.map((i) => [i.email, z(i.shiftStart), z(i.shiftEnd)])).toEqual([
      ["ana@example.com", "2026-03-28T00:00Z", "2026-03-28T08:00Z"],
      ["ben@example.com", "2026-03-28T08:00Z", "2026-03-29T07:00Z"],
      ["ana@example.com", "2026-03-29T07:00Z", "2026-03-30T00:00Z"],
    ]);

    const all = OnCallRangeAnswer.parse(
      (await get("/api/v1/oncall?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z")).json(),
    );
    expect(new Set(all.items.map((i) => i.scheduleId))).toEqual(new Set(["mim-rota", "payments-primary"]));
  });

  it("covers a range with shifts that tile it exactly, and gives each layer's own shifts", async () => {
    const from = "2026-10-23T00:00:00.000Z";
    const to = "2026-10-27T00:00:00.000Z";
    const res = await get(`/api/v1/schedules/payments-primary/coverage?from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    const view = CoverageView.parse(res.json());
    expect(view).toMatchObject({ scheduleId: "payments-primary", timeZone: "Europe/Berlin", from, to });
    expect(view.shifts[0]!.start).toBe(from);
    expect(view.shifts.at(-1)!.end).toBe(to);
    for (let i = 1; i < view.shifts.length; i++) expect(view.shifts[i]!.start).toBe(view.shifts[i - 1]!.end);
    expect(view.shifts.map((s) => [s.name, z(s.start), z(s.end)])).toEqual([
      ["Ben Ortiz", "2026-10-23T00:00Z", "2026-10-23T07:00Z"],
      ["Ana Berg", "2026-10-23T07:00Z", "2026-10-24T07:00Z"],
      ["Ben Ortiz", "2026-10-24T07:00Z", "2026-10-25T08:00Z"],
      ["Ana Berg", "2026-10-25T08:00Z", "2026-10-26T08:00Z"],
      ["Ben Ortiz", "2026-10-26T08:00Z", "2026-10-27T00:00Z"],
    ]);
    expect(view.layers).toHaveLength(1);
    expect(view.layers[0]!.shifts.map((s) => [s.userId, s.shiftNumber])).toEqual([
      [ben.id, 235],
      [ana.id, 236],
      [ben.id, 237],
      [ana.id, 238],
      [ben.id, 239],
    ]);
  });

  it("covers the next 14 days by default", async () => {
    const res = await get("/api/v1/schedules/payments-primary/coverage");
    expect(res.statusCode, res.body).toBe(200);
    const view = CoverageView.parse(res.json());
    expect([view.from, view.to]).toEqual(["2026-11-27T03:00:00.000Z", "2026-12-11T03:00:00.000Z"]);
    expect(view.shifts).toHaveLength(15);
  });

  it.each([
    ["/api/v1/schedules/payments-primary/coverage?from=yesterday", "querystring.from"],
    ["/api/v1/schedules/payments-primary/coverage?to=2026-12-01", "querystring.to"],
    [
      "/api/v1/schedules/payments-primary/coverage?from=2026-12-01T00:00:00Z&to=2026-11-30T00:00:00Z",
      "querystring.to",
    ],
    [
      "/api/v1/schedules/payments-primary/coverage?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z",
      "querystring.to",
    ],
    [
      "/api/v1/schedules/payments-primary/coverage?from=2026-01-01T00:00:00Z&to=2026-04-02T00:00:00Z",
      "querystring.to",
    ],
    ["/api/v1/schedules/payments-primary/coverage?to=2026-11-01T00:00:00Z", "querystring.to"],
    ["/api/v1/schedules/payments-primary/coverage?days=3", "querystring"],
    ["/api/v1/oncall?at=noon", "querystring.at"],
    ["/api/v1/oncall?at=2026-11-27T09:00:00Z&from=2026-11-27T00:00:00Z", "querystring.at"],
    ["/api/v1/oncall?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", "querystring.to"],
  ])("refuses %s with 400 naming %s", async (url, path) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it.each([
    "/api/v1/schedules/no-such-schedule/coverage",
    "/api/v1/oncall?schedule=no-such-schedule",
    "/api/v1/oncall?schedule=no-such-schedule&from=2026-11-27T00:00:00Z",
    "/api/v1/schedules/no-such-schedule/overrides",
  ])("answers 404 for an unknown schedule: %s", async (url) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().code).toBe("not_found");
  });

  describe("overrides", () => {
    it("put someone on call on top of the layers until they are deleted", async () => {
      t.clock.set("2026-03-29T00:00:00.000Z");
      const res = await addOverride({
        email: "Carol@Example.com",
        start: "2026-03-29T10:00:00+02:00",
        end: "2026-03-29T12:00:00Z",
      });
      expect(res.statusCode, res.body).toBe(201);
      const override = OverrideView.parse(res.json());
      expect(override).toMatchObject({
        scheduleId: "payments-primary",
        email: "carol@example.com",
        userId: carol.id,
        name: "Carol Diaz",
        start: "2026-03-29T08:00:00.000Z",
        end: "2026-03-29T12:00:00.000Z",
        createdAt: "2026-03-29T00:00:00.000Z",
        createdBy: { id: ana.id, email: ana.email, name: ana.name },
      });

      const during = (await onCallAt("2026-03-29T11:00:00Z")).items[0]!;
      expect(during).toMatchObject({
        userId: carol.id,
        name: "Carol Diaz",
        shiftStart: "2026-03-29T08:00:00.000Z",
        shiftEnd: "2026-03-29T12:00:00.000Z",
        source: { kind: "override", overrideId: override.id },
      });
      // Ana's shift resumes after it; before it, hers started at the 09:00 handoff.
      expect((await onCallAt("2026-03-29T12:00:00Z")).items[0]).toMatchObject({
        userId: ana.id,
        shiftStart: "2026-03-29T12:00:00.000Z",
      });
      expect((await onCallAt("2026-03-29T07:30:00Z")).items[0]).toMatchObject({
        userId: ana.id,
        shiftEnd: "2026-03-29T08:00:00.000Z",
      });

      const coverage = CoverageView.parse(
        (
          await get(
            "/api/v1/schedules/payments-primary/coverage?from=2026-03-29T00:00:00Z&to=2026-03-30T00:00:00Z",
          )
        ).json(),
      );
      expect(coverage.shifts.map((s) => [s.name, z(s.start), s.source.kind])).toEqual([
        ["Ben Ortiz", "2026-03-29T00:00Z", "layer"],
        ["Ana Berg", "2026-03-29T07:00Z", "layer"],
        ["Carol Diaz", "2026-03-29T08:00Z", "override"],
        ["Ana Berg", "2026-03-29T12:00Z", "layer"],
      ]);
      // The layer's own shifts are untouched by overrides.
      expect(coverage.layers[0]!.shifts.map((s) => s.name)).toEqual(["Ben Ortiz", "Ana Berg"]);

      const listed = await get("/api/v1/schedules/payments-primary/overrides");
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items.map((o: OverrideView) => o.id)).toEqual([override.id]);

      const url = `/api/v1/schedules/payments-primary/overrides/${override.id}`;
      const deleted = await t.app.inject({ method: "DELETE", url, headers: carol.auth });
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect((await onCallAt("2026-03-29T11:00:00Z")).items[0]).toMatchObject({
        userId: ana.id,
        source: { kind: "layer" },
      });
      expect((await get("/api/v1/schedules/payments-primary/overrides")).json().items).toEqual([]);
      const again = await t.app.inject({ method: "DELETE", url, headers: carol.auth });
      expect(again.statusCode).toBe(404);
    });

    it("lets the newest of two overlapping overrides win, and lists only those not yet ended", async () => {
      t.clock.set("2026-06-01T00:00:00.000Z");
      const first = await addOverride({
        userId: carol.id,
        start: "2026-06-02T00:00:00Z",
        end: "2026-06-04T00:00:00Z",
      });
      const second = await addOverride({
        email: ben.email,
        start: "2026-06-03T00:00:00Z",
        end: "2026-06-05T00:00:00Z",
      });
      expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
      expect((await onCallAt("2026-06-03T12:00:00Z")).items[0]).toMatchObject({
        userId: ben.id,
        source: { kind: "override", overrideId: second.json().id },
      });
      expect((await onCallAt("2026-06-02T12:00:00Z")).items[0]!.userId).toBe(carol.id);

      t.clock.set("2026-06-04T00:00:00.000Z");
      const listed = await get("/api/v1/schedules/payments-primary/overrides");
      expect(listed.json().items.map((o: OverrideView) => o.id)).toEqual([second.json().id]);
    });

    it.each([
      [
        { email: "carol@example.com", start: "2026-07-01T10:00:00Z", end: "2026-07-01T10:00:00Z" },
        "end",
        422,
      ],
      [
        { email: "carol@example.com", start: "2026-07-01T10:00:00Z", end: "2026-07-01T09:00:00Z" },
        "end",
        422,
      ],
      [
        { email: "carol@example.com", start: "2026-07-01T00:00:00Z", end: "2026-09-30T00:00:01Z" },
        "end",
        422,
      ],
      [
        { email: "nobody@example.com", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" },
        "email",
        422,
      ],
      [
        {
          userId: "00000000-0000-7000-8000-00000000dead",
          start: "2026-07-01T10:00:00Z",
          end: "2026-07-01T11:00:00Z",
        },
        "userId",
        422,
      ],
      [{ start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" }, "body.email", 400],
      [
        {
          email: "carol@example.com",
          userId: "x",
          start: "2026-07-01T10:00:00Z",
          end: "2026-07-01T11:00:00Z",
        },
        "body.email",
        400,
      ],
      [{ email: "carol", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" }, "body.email", 400],
      [{ email: "carol@example.com", start: "tomorrow", end: "2026-07-01T11:00:00Z" }, "body.start", 400],
      [{ email: "carol@example.com", start: "2026-07-01T10:00:00Z" }, "body.end", 400],
      [
        { email: "carol@example.com", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z", why: "x" },
        "body",
        400,
      ],
    ])("refuses %j naming %s, and writes nothing", async (body, path, status) => {
      const before = await overrideCount();
      const res = await addOverride(body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(await overrideCount()).toBe(before);
    });

    it("refuses a disabled user and an unknown schedule", async () => {
      const dora = await t.user("responder", "dora@example.com", "Dora Disabled");
      const disable = await t.app.inject({
        method: "PATCH",
        url: `/api/v1/users/${dora.id}`,
        headers: admin.auth,
        payload: { disabled: true },
      });
      expect(disable.statusCode, disable.body).toBe(200);
      const span = { start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" };
      const disabled = await addOverride({ email: dora.email, ...span });
      expect(disabled.statusCode).toBe(422);
      expect(disabled.json().errors[0].path).toBe("email");
      const unknown = await addOverride({ email: carol.email, ...span }, ana, "no-such-schedule");
      expect(unknown.statusCode).toBe(404);
    });

    it("may be changed by responders only", async () => {
      const span = { email: carol.email, start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" };
      expect((await addOverride(span, viewer)).statusCode).toBe(403);
      const created = await addOverride(span, carol);
      expect(created.statusCode).toBe(201);
      const url = `/api/v1/schedules/payments-primary/overrides/${created.json().id}`;
      expect((await t.app.inject({ method: "DELETE", url, headers: viewer.auth })).statusCode).toBe(403);
      expect((await t.app.inject({ method: "DELETE", url })).statusCode).toBe(401);
      expect((await get("/api/v1/schedules/payments-primary/overrides", viewer)).statusCode).toBe(200);
      expect((await t.app.inject({ method: "GET", url: "/api/v1/schedules" })).statusCode).toBe(401);
      expect((await t.app.inject({ method: "DELETE", url, headers: ana.auth })).statusCode).toBe(204);
    });

    it("cannot be deleted through another schedule's URL", async () => {
      const created = await addOverride({
        email: carol.email,
        start: "2026-12-02T10:00:00Z",
        end: "2026-12-02T11:00:00Z",
      });
      const res = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/schedules/mim-rota/overrides/${created.json().id}`,
        headers: ana.auth,
      });
      expect(res.statusCode).toBe(404);
      expect(
        await t.store.db
          .selectFrom("schedule_overrides")
          .select("id")
          .where("id", "=", created.json().id)
          .execute(),
      ).toHaveLength(1);
      const own = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/schedules/payments-primary/overrides/${created.json().id}`,
        headers: ana.auth,
      });
      expect(own.statusCode).toBe(204);
    });
  });

  describe("calendar feeds", () => {
    async function newScheduleFeed(schedule = BERLIN.id, as: TestUser = ana) {
      const res = await t.app.inject({
        method: "POST",
        url: `/api/v1/schedules/${schedule}/feed`,
        headers: as.auth,
      });
      expect(res.statusCode, res.body).toBe(201);
      const url = res.json().url as string;
      expect(url.startsWith("http://runsheet.test/")).toBe(true);
      return url.slice("http://runsheet.test".length);
    }

    const fetchFeed = (pathAndQuery: string) => t.app.inject({ method: "GET", url: pathAndQuery });

    it("serves the schedule's shifts as iCalendar with people's names and UTC times", async () => {
      const path = await newScheduleFeed();
      expect(path).toMatch(/^\/api\/v1\/schedules\/payments-primary\.ics\?token=rscal_[\w-]{43}$/);
      const res = await fetchFeed(path);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8");
      expect(res.body.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
      expect(res.body).toContain("X-WR-CALNAME:Payments primary on call\r\n");
      const list = events(res.body);
      // A week back (clipped at 2026-11-20 03:00Z) to 90 days ahead, one event per daily shift.
      expect(list[0]).toMatchObject({
        DTSTART: "20261120T030000Z",
        DTEND: "20261120T080000Z",
        SUMMARY: "On call: Ben Ortiz",
      });
      expect(list.at(-1)).toMatchObject({ DTEND: "20270225T030000Z" });
      expect(list).toHaveLength(98);
      expect(list.find((e) => e.DTSTART === "20261126T080000Z")).toMatchObject({
        DTEND: "20261127T080000Z",
        SUMMARY: "On call: Ana Berg",
        DESCRIPTION: "Payments primary (layer Daily)",
      });
      expect(list.find((e) => e.DTSTART === "20261127T080000Z")).toMatchObject({
        DTEND: "20261128T080000Z",
        SUMMARY: "On call: Ben Ortiz",
      });
    });

    it("shows an override's person in the feed", async () => {
      const path = await newScheduleFeed();
      const created = await addOverride({
        email: carol.email,
        start: "2026-11-30T12:00:00Z",
        end: "2026-11-30T14:00:00Z",
      });
      expect(created.statusCode).toBe(201);
      const list = events((await fetchFeed(path)).body);
      expect(list.find((e) => e.DTSTART === "20261130T120000Z")).toMatchObject({
        DTEND: "20261130T140000Z",
        SUMMARY: "On call: Carol Diaz",
        DESCRIPTION: "Payments primary (override)",
      });
    });

    it("answers the same 404 for a wrong token, another schedule, an unknown schedule and no token", async () => {
      const path = await newScheduleFeed();
      const token = new URL(path, "http://x").searchParams.get("token")!;
      const answers = await Promise.all([
        fetchFeed(`/api/v1/schedules/payments-primary.ics?token=${token.slice(0, -2)}xx`),
        fetchFeed(`/api/v1/schedules/mim-rota.ics?token=${token}`),
        fetchFeed(`/api/v1/schedules/no-such-schedule.ics?token=${token}`),
        fetchFeed("/api/v1/schedules/payments-primary.ics"),
      ]);
      for (const res of answers) {
        expect(res.statusCode).toBe(404);
        expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: "not_found", detail: "This calendar feed was not found." });
      }
      expect((await fetchFeed(path)).statusCode).toBe(200);
    });

    it("revokes the previous URL when a new one is made", async () => {
      const old = await newScheduleFeed();
      const fresh = await newScheduleFeed(BERLIN.id, carol);
      expect(fresh).not.toBe(old);
      expect((await fetchFeed(old)).statusCode).toBe(404);
      expect((await fetchFeed(fresh)).statusCode).toBe(200);
      const rows = await t.store.db
        .selectFrom("calendar_feeds")
        .selectAll()
        .where("kind", "=", "schedule")
        .where("owner_id", "=", BERLIN.id)
        .where("revoked_at", "is", null)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(fresh).not.toContain(rows[0]!.token_hash);
    });

    it("lets only responders make a schedule's feed", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/payments-primary/feed",
        headers: viewer.auth,
      });
      expect(res.statusCode).toBe(403);
      const unknown = await t.app.inject({
        method: "POST",
        url: "/api/v1/schedules/nope/feed",
        headers: ana.auth,
      });
      expect(unknown.statusCode).toBe(404);
    });

    it("gives each person a feed of their own shifts, which a new one revokes", async () => {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/users/me/calendar-feed",
        headers: ben.auth,
      });
      expect(res.statusCode, res.body).toBe(201);
      const path = (res.json().url as string).slice("http://runsheet.test".length);
      expect(path).toMatch(new RegExp(`^/api/v1/users/${ben.id}\\.ics\\?token=rscal_`));
      const feed = await fetchFeed(path);
      expect(feed.statusCode, feed.body).toBe(200);
      expect(feed.headers["content-type"]).toBe("text/calendar; charset=utf-8");
      expect(feed.body).toContain("X-WR-CALNAME:Ben Ortiz on call\r\n");
      const list = events(feed.body);
      expect(list.length).toBeGreaterThan(40);
      expect(list.every((e) => e.SUMMARY === "On call for Payments primary")).toBe(true);
      expect(list.find((e) => e.DTSTART === "20261127T080000Z")).toMatchObject({ DTEND: "20261128T080000Z" });
      expect(list.find((e) => e.DTSTART === "20261126T080000Z")).toBeUndefined(); // Ana's

      const token = new URL(path, "http://x").searchParams.get("token")!;
      expect((await fetchFeed(`/api/v1/users/${ana.id}.ics?token=${token}`)).statusCode).toBe(404);
      const next = await t.app.inject({
        method: "POST",
        url: "/api/v1/users/me/calendar-feed",
        headers: ben.auth,
      });
      expect((await fetchFeed(path)).statusCode).toBe(404);
      expect(
        (await fetchFeed((next.json().url as string).slice("http://runsheet.test".length))).statusCode,
      ).toBe(200);
      expect((await t.app.inject({ method: "POST", url: "/api/v1/users/me/calendar-feed" })).statusCode).toBe(
        401,
      );
    });
  });
});

describe("runsheet oncall", () => {
  const ROOT = fileURLToPath(new URL("..", import.meta.url));
  let server: RunningServer;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "runsheet-oncall-"));
    server = await startServer(
      serveConfig({ port: "0", data: dataDir, plan: EXAMPLE_PLAN_PATH }, { LOG_LEVEL: "silent" }),
    );
    const ctx = { store: server.store, clock: systemClock };
    const password = "correct horse battery staple";
    const { user } = await createUser(ctx, {
      email: "marta.silva@example.com",
      name: "Marta Silva",
      role: "viewer",
      password,
    });
    token = (await createToken(ctx, user.id, "oncall test")).token;
  });
  afterAll(async () => {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function runsheet(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, RUNSHEET_URL: server.url, RUNSHEET_TOKEN: token };
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ["bin/runsheet.js", ...args],
        { cwd: ROOT, env, timeout: 30_000 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== "number") return reject(error);
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
    });
  }

  it("prints who is on call at a time, as a table and as JSON", { timeout: 60_000 }, async () => {
    // The example plan's rota hands over weekly at 09:00 Lisbon time from 2026-11-02, Marta first.
    const table = await runsheet(["oncall", "--at", "2026-11-03T12:00:00Z"]);
    expect(table.stderr).toBe("");
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(
      [
        "On call at 2026-11-03 12:00Z:",
        "SCHEDULE                      ON CALL                                FROM               UNTIL",
        "Incident managers (mim-rota)  Marta Silva <marta.silva@example.com>  2026-11-02 09:00Z  2026-11-09 09:00Z",
        "",
      ].join("\n"),
    );

    const json = await runsheet([
      "oncall",
      "--schedule",
      "mim-rota",
      "--from",
      "2026-11-09T00:00:00Z",
      "--to",
      "2026-11-10T00:00:00Z",
      "--json",
    ]);
    expect(json.code).toBe(0);
    const answer = OnCallRangeAnswer.parse(JSON.parse(json.stdout));
    expect(answer.items.map((i) => i.email)).toEqual(["marta.silva@example.com", "jonas.weber@example.com"]);

    const bad = await runsheet(["oncall", "--schedule", "nope"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("Schedule nope was not found.");
  });
});

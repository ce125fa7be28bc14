import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { isAppError } from "../shared/errors.ts";
import { coverage, layerShifts, MAX_RANGE_DAYS, onCallAt, type Shift, userShifts } from "./index.ts";
import { buildLayer, buildOverride, buildSchedule } from "./test-fixtures.ts";

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const hours = (shift: { start: string; end: string }) =>
  (Date.parse(shift.end) - Date.parse(shift.start)) / HOUR;
const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd HH:mm");
/** [user, start, end] with times as "2026-03-29T07:00Z". */
const rows = (shifts: ReadonlyArray<Pick<Shift, "userId" | "start" | "end">>) =>
  shifts.map((s) => [s.userId, s.start.replace(":00.000Z", "Z"), s.end.replace(":00.000Z", "Z")]);

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isAppError(error) && error.code).toBe(code);
    return;
  }
  expect.fail(`expected an error with code ${code}`);
}

describe("daily and weekly rotations across DST in Europe/Berlin", () => {
  const daily = buildLayer({
    id: "daily",
    members: ["ana", "ben", "chi"],
    rotation: { type: "daily" },
    handoff: { startDate: "2026-03-27", time: "09:00" },
  });

  it("hands off at 09:00 local through spring-forward; the shift over it lasts 23 hours", () => {
    const schedule = buildSchedule({ layers: [daily] });
    const shifts = layerShifts(schedule, "daily", at("2026-03-27T08:00:00Z"), at("2026-03-30T07:00:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-03-27T08:00Z", "2026-03-28T08:00Z"],
      ["ben", "2026-03-28T08:00Z", "2026-03-29T07:00Z"],
      ["chi", "2026-03-29T07:00Z", "2026-03-30T07:00Z"],
    ]);
    expect(shifts.map(hours)).toEqual([24, 23, 24]);
    expect(shifts.map((s) => local(s.start, "Europe/Berlin"))).toEqual([
      "2026-03-27 09:00",
      "2026-03-28 09:00",
      "2026-03-29 09:00",
    ]);
    expect(shifts.map((s) => s.shiftNumber)).toEqual([0, 1, 2]);
  });

  it("hands off at 09:00 local through fall-back; the shift over it lasts 25 hours", () => {
    const schedule = buildSchedule({
      layers: [{ ...daily, handoff: { startDate: "2026-10-23", time: "09:00" } }],
    });
    const shifts = layerShifts(schedule, "daily", at("2026-10-23T07:00:00Z"), at("2026-10-26T08:00:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-10-23T07:00Z", "2026-10-24T07:00Z"],
      ["ben", "2026-10-24T07:00Z", "2026-10-25T08:00Z"],
      ["chi", "2026-10-25T08:00Z", "2026-10-26T08:00Z"],
    ]);
    expect(shifts.map(hours)).toEqual([24, 25, 24]);
  });

  it("weekly shifts last 167 hours over spring-forward and 169 over fall-back, still at 09:00 local", () => {
    const weekly = buildLayer({
      id: "weekly",
      members: ["ana", "ben"],
      rotation: { type: "weekly" },
      handoff: { startDate: "2026-03-23", time: "09:00" },
    });
    const schedule = buildSchedule({ layers: [weekly] });
    const spring = layerShifts(schedule, "weekly", at("2026-03-23T08:00:00Z"), at("2026-04-06T07:00:00Z"));
    expect(rows(spring)).toEqual([
      ["ana", "2026-03-23T08:00Z", "2026-03-30T07:00Z"],
      ["ben", "2026-03-30T07:00Z", "2026-04-06T07:00Z"],
    ]);
    expect(spring.map(hours)).toEqual([167, 168]);

    // 2026-10-19 is 30 weeks after 2026-03-23: shift 30, ana's again.
    const autumn = layerShifts(schedule, "weekly", at("2026-10-19T07:00:00Z"), at("2026-10-26T08:00:00Z"));
    expect(rows(autumn)).toEqual([["ana", "2026-10-19T07:00Z", "2026-10-26T08:00Z"]]);
    expect(autumn.map((s) => s.shiftNumber)).toEqual([30]);
    expect(autumn.map(hours)).toEqual([169]);
    expect(local(autumn[0]!.end, "Europe/Berlin")).toBe("2026-10-26 09:00");
  });
});

describe("handoff times that do not exist or happen twice", () => {
  it("a 02:30 handoff in America/New_York moves to 03:00 EDT on spring-forward day", () => {
    const schedule = buildSchedule({
      timeZone: "America/New_York",
      layers: [
        buildLayer({
          id: "ny",
          members: ["ana", "ben"],
          handoff: { startDate: "2026-03-06", time: "02:30" },
        }),
      ],
    });
    const shifts = layerShifts(schedule, "ny", at("2026-03-06T07:30:00Z"), at("2026-03-09T06:30:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-03-06T07:30Z", "2026-03-07T07:30Z"],
      ["ben", "2026-03-07T07:30Z", "2026-03-08T07:00Z"],
      ["ana", "2026-03-08T07:00Z", "2026-03-09T06:30Z"],
    ]);
    expect(shifts.map((s) => local(s.start, "America/New_York"))).toEqual([
      "2026-03-06 02:30",
      "2026-03-07 02:30",
      "2026-03-08 03:00",
    ]);
  });

  it("a 01:30 handoff on fall-back day happens at the first 01:30 (EDT), once", () => {
    const schedule = buildSchedule({
      timeZone: "America/New_York",
      layers: [
        buildLayer({
          id: "ny",
          members: ["ana", "ben"],
          handoff: { startDate: "2026-10-31", time: "01:30" },
        }),
      ],
    });
    const shifts = layerShifts(schedule, "ny", at("2026-10-31T05:30:00Z"), at("2026-11-02T06:30:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-10-31T05:30Z", "2026-11-01T05:30Z"],
      ["ben", "2026-11-01T05:30Z", "2026-11-02T06:30Z"],
    ]);
  });

  it("two people in Berlin answer right just before and after each change", () => {
    const schedule = buildSchedule({
      layers: [buildLayer({ members: ["ana", "ben"], handoff: { startDate: "2026-03-28", time: "02:30" } })],
    });
    // 02:30 on 2026-03-29 does not exist: ben takes over at the change itself, 03:00 CEST (01:00Z).
    expect(onCallAt(schedule, at("2026-03-29T00:59:59.999Z")).userId).toBe("ana");
    expect(onCallAt(schedule, at("2026-03-29T01:00:00Z"))).toMatchObject({
      userId: "ben",
      start: "2026-03-29T01:00:00.000Z",
      end: "2026-03-30T00:30:00.000Z",
    });
    // 02:30 on 2026-10-25 happens twice: the handoff is at the first (00:30Z), not again at 01:30Z.
    expect(onCallAt(schedule, at("2026-10-25T00:29:59.999Z")).userId).toBe(
      onCallAt(schedule, at("2026-10-24T12:00:00Z")).userId,
    );
    const after = onCallAt(schedule, at("2026-10-25T00:30:00Z"));
    expect(after.start).toBe("2026-10-25T00:30:00.000Z");
    expect(after.end).toBe("2026-10-26T01:30:00.000Z");
    expect(onCallAt(schedule, at("2026-10-25T00:59:59.999Z")).userId).toBe(after.userId);
    expect(onCallAt(schedule, at("2026-10-25T01:00:00Z")).userId).toBe(after.userId);
    expect(onCallAt(schedule, at("2026-10-25T01:30:00Z")).userId).toBe(after.userId);
    expect(onCallAt(schedule, at("2026-10-25T00:29:59.999Z")).userId).not.toBe(after.userId);
  });
});

describe("custom rotations", () => {
  it("a 12-hour rotation counts elapsed hours, so its handoffs drift an hour against the wall clock after spring-forward", () => {
    const schedule = buildSchedule({
      layers: [
        buildLayer({
          id: "custom",
          members: ["ana", "ben"],
          rotation: { type: "custom", hours: 12 },
          handoff: { startDate: "2026-03-28", time: "09:00" },
        }),
      ],
    });
    const shifts = layerShifts(schedule, "custom", at("2026-03-28T08:00:00Z"), at("2026-03-30T08:00:00Z"));
    expect(shifts.map(hours)).toEqual([12, 12, 12, 12]);
    expect(shifts.map((s) => [s.userId, local(s.start, "Europe/Berlin")])).toEqual([
      ["ana", "2026-03-28 09:00"],
      ["ben", "2026-03-28 21:00"],
      ["ana", "2026-03-29 10:00"],
      ["ben", "2026-03-29 22:00"],
    ]);
  });
});

describe("restrictions", () => {
  const base = buildLayer({
    id: "base",
    members: ["ana"],
    handoff: { startDate: "2026-11-02", time: "09:00" },
  });

  it("a weekday 09:00-17:00 layer on top lets the 24/7 layer show through at night and at the weekend", () => {
    const business = buildLayer({
      id: "business",
      members: ["ben"],
      rotation: { type: "weekly" },
      handoff: { startDate: "2026-11-02", time: "09:00" },
      restrictions: [
        { type: "weekly", days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" },
      ],
    });
    const schedule = buildSchedule({ layers: [base, business] });
    // Friday 2026-11-27 00:00 CET to Monday 2026-11-30 12:00 CET.
    const shifts = coverage(schedule, at("2026-11-26T23:00:00Z"), at("2026-11-30T11:00:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-11-26T23:00Z", "2026-11-27T08:00Z"],
      ["ben", "2026-11-27T08:00Z", "2026-11-27T16:00Z"],
      ["ana", "2026-11-27T16:00Z", "2026-11-30T08:00Z"],
      ["ben", "2026-11-30T08:00Z", "2026-11-30T11:00Z"],
    ]);
    expect(shifts.map((s) => s.source)).toEqual([
      { kind: "layer", layerId: "base" },
      { kind: "layer", layerId: "business" },
      { kind: "layer", layerId: "base" },
      { kind: "layer", layerId: "business" },
    ]);
  });

  it("a 22:00-06:00 window wraps past midnight, and lasts 7 hours on the night the clocks go forward", () => {
    const night = buildLayer({
      id: "night",
      members: ["chi"],
      restrictions: [{ type: "daily", start: "22:00", end: "06:00" }],
    });
    const schedule = buildSchedule({ layers: [base, night] });
    expect(rows(coverage(schedule, at("2026-11-26T23:00:00Z"), at("2026-11-27T23:00:00Z")))).toEqual([
      ["chi", "2026-11-26T23:00Z", "2026-11-27T05:00Z"],
      ["ana", "2026-11-27T05:00Z", "2026-11-27T21:00Z"],
      ["chi", "2026-11-27T21:00Z", "2026-11-27T23:00Z"],
    ]);
    const spring = layerShifts(schedule, "night", at("2026-03-28T12:00:00Z"), at("2026-03-29T12:00:00Z"));
    expect(rows(spring)).toEqual([["chi", "2026-03-28T21:00Z", "2026-03-29T04:00Z"]]);
  });

  it("a weekly window that wraps starts on its day and ends the next morning", () => {
    const weekend = buildLayer({
      id: "friday-night",
      members: ["dan"],
      restrictions: [{ type: "weekly", days: ["fri"], start: "18:00", end: "08:00" }],
    });
    const schedule = buildSchedule({ layers: [weekend] });
    const shifts = coverage(schedule, at("2026-11-26T23:00:00Z"), at("2026-11-28T23:00:00Z"));
    expect(rows(shifts)).toEqual([
      [null, "2026-11-26T23:00Z", "2026-11-27T17:00Z"],
      ["dan", "2026-11-27T17:00Z", "2026-11-28T07:00Z"],
      [null, "2026-11-28T07:00Z", "2026-11-28T23:00Z"],
    ]);
    expect(shifts[0]!.source).toEqual({ kind: "none" });
  });

  it("a restricted layer alone leaves gaps, and a layer that has ended covers nothing", () => {
    const ended = buildLayer({ id: "ended", members: ["eve"], endsAt: "2026-11-27T12:00:00+01:00" });
    const schedule = buildSchedule({ layers: [ended] });
    expect(rows(coverage(schedule, at("2026-11-27T00:00:00Z"), at("2026-11-28T00:00:00Z")))).toEqual([
      ["eve", "2026-11-27T00:00Z", "2026-11-27T11:00Z"],
      [null, "2026-11-27T11:00Z", "2026-11-28T00:00Z"],
    ]);
  });
});

describe("overrides", () => {
  const base = buildLayer({
    id: "base",
    members: ["ana", "ben"],
    handoff: { startDate: "2026-11-02", time: "09:00" },
  });

  it("win over every layer, and a later override wins over an earlier one", () => {
    const top = buildLayer({
      id: "top",
      members: ["chi"],
      restrictions: [{ type: "daily", start: "09:00", end: "17:00" }],
    });
    const schedule = buildSchedule({
      layers: [base, top],
      overrides: [
        buildOverride("dan", "2026-11-27T10:00:00Z", "2026-11-27T14:00:00Z", "first"),
        buildOverride("eve", "2026-11-27T12:00:00Z", "2026-11-27T13:00:00Z", "second"),
      ],
    });
    const shifts = coverage(schedule, at("2026-11-27T07:00:00Z"), at("2026-11-27T18:00:00Z"));
    expect(rows(shifts)).toEqual([
      ["ana", "2026-11-27T07:00Z", "2026-11-27T08:00Z"],
      ["chi", "2026-11-27T08:00Z", "2026-11-27T10:00Z"],
      ["dan", "2026-11-27T10:00Z", "2026-11-27T12:00Z"],
      ["eve", "2026-11-27T12:00Z", "2026-11-27T13:00Z"],
      ["dan", "2026-11-27T13:00Z", "2026-11-27T14:00Z"],
      ["chi", "2026-11-27T14:00Z", "2026-11-27T16:00Z"],
      ["ben", "2026-11-27T16:00Z", "2026-11-27T18:00Z"],
    ]);
    expect(shifts[3]!.source).toEqual({ kind: "override", overrideId: "second" });
    expect(userShifts(schedule, "dan", at("2026-11-27T07:00:00Z"), at("2026-11-27T18:00:00Z")).length).toBe(
      2,
    );
  });

  it("fill a gap, and are clipped to the range", () => {
    const restricted = buildLayer({
      id: "day",
      restrictions: [{ type: "daily", start: "09:00", end: "17:00" }],
    });
    const schedule = buildSchedule({
      layers: [restricted],
      overrides: [buildOverride("dan", "2026-11-26T20:00:00Z", "2026-11-27T02:00:00Z", "night")],
    });
    expect(rows(coverage(schedule, at("2026-11-27T00:00:00Z"), at("2026-11-27T09:00:00Z")))).toEqual([
      ["dan", "2026-11-27T00:00Z", "2026-11-27T02:00Z"],
      [null, "2026-11-27T02:00Z", "2026-11-27T08:00Z"],
      ["ana", "2026-11-27T08:00Z", "2026-11-27T09:00Z"],
    ]);
  });
});

describe("onCallAt", () => {
  const schedule = buildSchedule({
    layers: [
      buildLayer({ id: "base", members: ["ana"] }),
      buildLayer({
        id: "business",
        members: ["ben"],
        restrictions: [
          { type: "weekly", days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" },
        ],
      }),
    ],
    overrides: [buildOverride("dan", "2026-11-27T12:00:00Z", "2026-11-27T14:00:00Z", "lunch")],
  });

  it("answers with the whole segment holding the instant, however far it reaches", () => {
    expect(onCallAt(schedule, at("2026-11-27T13:00:00Z"))).toEqual({
      userId: "dan",
      start: "2026-11-27T12:00:00.000Z",
      end: "2026-11-27T14:00:00.000Z",
      source: { kind: "override", overrideId: "lunch" },
    });
    // Friday evening to Monday morning is one stretch of ana's, longer than the first window looked at.
    expect(onCallAt(schedule, at("2026-11-28T03:00:00Z"))).toEqual({
      userId: "ana",
      start: "2026-11-27T16:00:00.000Z",
      end: "2026-11-30T08:00:00.000Z",
      source: { kind: "layer", layerId: "base" },
    });
  });

  it("counts a segment's start in and its end out", () => {
    expect(onCallAt(schedule, at("2026-11-27T14:00:00Z")).userId).toBe("ben");
    expect(onCallAt(schedule, at("2026-11-27T13:59:59.999Z")).userId).toBe("dan");
  });

  it("cuts a segment that never changes at a year either side", () => {
    const single = buildSchedule({ layers: [buildLayer({ members: ["ana"] })] });
    const shift = onCallAt(single, at("2026-06-01T00:00:00Z"));
    expect(shift.userId).toBe("ana");
    expect(Date.parse(shift.end) - Date.parse("2026-06-01T00:00:00Z")).toBe((MAX_RANGE_DAYS / 2) * 24 * HOUR);
  });
});

describe("shifts before the start date", () => {
  const schedule = buildSchedule({
    layers: [
      buildLayer({
        id: "rota",
        members: ["ana", "ben", "chi"],
        handoff: { startDate: "2026-03-27", time: "09:00" },
      }),
    ],
  });

  it("continue the rotation backwards with negative shift numbers", () => {
    expect(onCallAt(schedule, at("2026-03-26T12:00:00Z")).userId).toBe("chi");
    expect(onCallAt(schedule, at("2026-03-25T12:00:00Z")).userId).toBe("ben");
    expect(onCallAt(schedule, at("2026-03-24T12:00:00Z")).userId).toBe("ana");
    const shifts = layerShifts(schedule, "rota", at("2026-03-24T08:00:00Z"), at("2026-03-27T08:00:00Z"));
    expect(shifts.map((s) => [s.shiftNumber, s.userId])).toEqual([
      [-3, "ana"],
      [-2, "ben"],
      [-1, "chi"],
    ]);
  });

  it("still hand off at local time across the DST change before the start date", () => {
    const october = buildSchedule({
      layers: [
        buildLayer({
          id: "rota",
          members: ["ana", "ben"],
          handoff: { startDate: "2027-01-04", time: "09:00" },
        }),
      ],
    });
    const shifts = layerShifts(october, "rota", at("2026-10-24T07:00:00Z"), at("2026-10-26T08:00:00Z"));
    expect(shifts.map((s) => local(s.start, "Europe/Berlin"))).toEqual([
      "2026-10-24 09:00",
      "2026-10-25 09:00",
    ]);
    expect(shifts.map(hours)).toEqual([25, 24]);
  });
});

describe("ranges", () => {
  const schedule = buildSchedule();

  it("refuses a range that ends before it starts, or is too long", () => {
    expectCode(() => coverage(schedule, at("2026-01-02T00:00:00Z"), at("2026-01-01T00:00:00Z")), "invalid");
    expectCode(() => coverage(schedule, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z")), "invalid");
    expectCode(() => coverage(schedule, at("2026-01-01T00:00:00Z"), at("2028-01-04T00:00:00Z")), "invalid");
    expectCode(() => onCallAt(schedule, new Date(Number.NaN)), "invalid");
  });

  it("refuses an unknown layer", () => {
    expectCode(
      () => layerShifts(schedule, "nope", at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")),
      "not_found",
    );
  });
});

describe("speed", () => {
  it("renders two weeks of 3 layers and 10 overrides in well under a millisecond", () => {
    const schedule = buildSchedule({
      timeZone: "America/New_York",
      layers: [
        buildLayer({ members: ["a", "b", "c", "d"], rotation: { type: "weekly" } }),
        buildLayer({
          members: ["e", "f"],
          restrictions: [
            { type: "weekly", days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" },
          ],
        }),
        buildLayer({
          members: ["g", "h", "i"],
          rotation: { type: "custom", hours: 12 },
          restrictions: [{ type: "daily", start: "22:00", end: "06:00" }],
        }),
      ],
      overrides: Array.from({ length: 10 }, (_, i) =>
        buildOverride(
          "z",
          new Date(Date.UTC(2026, 2, 1 + i * 2, 10)).toISOString(),
          new Date(Date.UTC(2026, 2, 1 + i * 2, 16)).toISOString(),
        ),
      ),
    });
    const from = at("2026-03-01T00:00:00Z");
    const to = at("2026-03-15T00:00:00Z");
    const until90 = at("2026-05-30T00:00:00Z");
    // Build the zone's offset tables and let the JIT settle before timing.
    for (let i = 0; i < 100; i++) coverage(schedule, from, until90);
    // The fastest of several batches: other test files share the CPU.
    const fastest = (until: Date) => {
      let best = Number.POSITIVE_INFINITY;
      for (let batch = 0; batch < 10; batch++) {
        const started = performance.now();
        for (let i = 0; i < 20; i++) coverage(schedule, from, until);
        best = Math.min(best, (performance.now() - started) / 20);
      }
      return best;
    };
    const twoWeeks = fastest(to);
    const ninetyDays = fastest(until90);
    // Generous bounds, so a loaded machine does not fail it; iterating by the minute would.
    expect(twoWeeks).toBeLessThan(1);
    expect(ninetyDays).toBeLessThan(5);
  });
});

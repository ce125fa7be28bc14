import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { DAY, isoInstant, zoneClock } from "./zone.ts";

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "America/Santiago",
  "Australia/Lord_Howe",
];
const Y2020 = Date.UTC(2020, 0, 1);
const Y2030 = Date.UTC(2030, 0, 1);

describe("zoneClock", () => {
  it("agrees with luxon's offset at any instant, changes included", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Y2020, max: Y2030 }), (zone, instant) => {
        const expected = IANAZone.create(zone).offset(instant) * 60_000;
        expect(zoneClock(zone).offsetAt(instant)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("finds each offset change to the second", () => {
    const clock = zoneClock("Europe/Berlin");
    // 2026-03-29 01:00:00Z and 2026-10-25 01:00:00Z.
    expect(clock.offsetAt(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(3_600_000);
    expect(clock.offsetAt(Date.UTC(2026, 2, 29, 1))).toBe(7_200_000);
    expect(clock.offsetAt(Date.UTC(2026, 9, 25, 0, 59, 59, 999))).toBe(7_200_000);
    expect(clock.offsetAt(Date.UTC(2026, 9, 25, 1))).toBe(3_600_000);
  });

  it("turns a wall time into the instant that shows it, the first if two do, the change if none does", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Y2020, max: Y2030 }), (zone, wall) => {
        const clock = zoneClock(zone);
        const instant = clock.fromWall(wall);
        if (clock.toWall(instant) === wall) {
          // The first instant showing this wall time: no earlier one does (DST shifts are at most 2 h).
          for (let back = 1; back <= 8; back++) {
            expect(clock.toWall(instant - back * 15 * 60_000)).not.toBe(wall);
          }
        } else {
          // In a gap: the clocks jump over `wall` at `instant`.
          expect(clock.toWall(instant - 1)).toBeLessThan(wall);
          expect(clock.toWall(instant)).toBeGreaterThan(wall);
        }
        const local = DateTime.fromMillis(instant, { zone });
        expect(Math.abs(local.toMillis() + local.offset * 60_000 - wall)).toBeLessThan(DAY);
      }),
      { numRuns: 1000 },
    );
  });

  it("resolves wall times inside every gap and overlap of 2026", () => {
    const problems: string[] = [];
    for (const zone of ZONES) {
      const clock = zoneClock(zone);
      for (let instant = Date.UTC(2026, 0, 1); instant < Date.UTC(2027, 0, 1); instant += 15 * 60_000) {
        const wall = clock.toWall(instant);
        const back = clock.fromWall(wall);
        // Every wall time shown round-trips, to the first instant that shows it.
        if (back > instant || clock.toWall(back) !== wall)
          problems.push(`${zone} ${new Date(instant).toISOString()}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("isoInstant", () => {
  it("matches Date#toISOString", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
    for (const ms of [0, -1, Date.UTC(2000, 1, 29), Date.UTC(2100, 2, 1) - 1, 253_402_300_800_000]) {
      expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

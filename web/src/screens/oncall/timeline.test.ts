import { describe, expect, it } from "vitest";
import {
  addDays,
  clockTime,
  colourSlot,
  dateIn,
  daysFrom,
  PALETTE_SIZE,
  positionIn,
  segmentsIn,
} from "./timeline";

const HOUR = 3_600_000;

describe("the days of a schedule's time zone", () => {
  it("run from midnight to midnight in the zone, 23 or 25 hours when the clocks change", () => {
    const days = daysFrom("2026-03-28", 3, "Europe/Lisbon");
    expect(days.map((d) => d.date)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(days.map((d) => (d.end - d.start) / HOUR)).toEqual([24, 23, 24]);
    expect(new Date(days[0]!.start).toISOString()).toBe("2026-03-28T00:00:00.000Z");
    expect(new Date(days[2]!.start).toISOString()).toBe("2026-03-29T23:00:00.000Z");
    const autumn = daysFrom("2026-10-25", 1, "Europe/Lisbon");
    expect((autumn[0]!.end - autumn[0]!.start) / HOUR).toBe(25);
  });

  it("are counted in the zone, not in UTC", () => {
    // 23:30 UTC on the 27th is already the 28th in Berlin.
    expect(dateIn(Date.parse("2026-11-27T23:30:00Z"), "Europe/Berlin")).toBe("2026-11-28");
    expect(dateIn(Date.parse("2026-11-27T23:30:00Z"), "America/New_York")).toBe("2026-11-27");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
});

describe("shifts on a day's bar", () => {
  const [day] = daysFrom("2026-11-27", 1, "Europe/Lisbon");

  it("are cut to the day and placed in percent of it", () => {
    const segments = segmentsIn(day!, [
      { start: "2026-11-26T09:00:00Z", end: "2026-11-27T06:00:00Z" },
      { start: "2026-11-27T06:00:00Z", end: "2026-11-27T18:00:00Z" },
      { start: "2026-11-27T18:00:00Z", end: "2026-11-28T09:00:00Z" },
      { start: "2026-11-28T09:00:00Z", end: "2026-11-29T09:00:00Z" },
    ]);
    expect(segments.map((s) => [s.left, s.width])).toEqual([
      [0, 25],
      [25, 50],
      [75, 25],
    ]);
    expect(clockTime(segments[2]!.start, "Europe/Lisbon", day)).toBe("18:00");
    expect(clockTime(segments[2]!.end, "Europe/Lisbon", day)).toBe("24:00");
  });

  it("shows where now is only on its own day", () => {
    expect(positionIn(day!, Date.parse("2026-11-27T12:00:00Z"))).toBe(50);
    expect(positionIn(day!, Date.parse("2026-11-28T00:00:00Z"))).toBeNull();
  });
});

describe("colours", () => {
  it("follow the plan's members, then a hash for anyone else, and nobody has none", () => {
    const members = ["marta@example.com", "Jonas@example.com"];
    expect(colourSlot(members, "jonas@example.com")).toBe(1);
    expect(colourSlot(members, "MARTA@example.com")).toBe(0);
    const other = colourSlot(members, "ana@example.com");
    expect(other).toBeGreaterThanOrEqual(0);
    expect(other).toBeLessThan(PALETTE_SIZE);
    expect(colourSlot([...members, "lea@example.com"], "ana@example.com")).toBe(
      ((other ?? 0) + 1) % PALETTE_SIZE,
    );
    expect(colourSlot(members, null)).toBeNull();
    const many = Array.from({ length: PALETTE_SIZE + 1 }, (_, i) => `p${i}@example.com`);
    expect(colourSlot(many, `p${PALETTE_SIZE}@example.com`)).toBe(0);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoToZonedInput, isTimeZone, offsetAt, zonedInputToIso } from "./zoned-time";

describe("datetime-local in a time zone", () => {
  it("sends the wall-clock time with the zone's offset", () => {
    expect(zonedInputToIso("2026-11-29T02:00", "Europe/Lisbon")).toBe("2026-11-29T02:00:00+00:00");
    expect(zonedInputToIso("2026-07-01T02:00", "Europe/Lisbon")).toBe("2026-07-01T02:00:00+01:00");
    expect(zonedInputToIso("2026-07-01T02:00", "America/New_York")).toBe("2026-07-01T02:00:00-04:00");
    expect(zonedInputToIso("2026-07-01T02:00", "Asia/Kolkata")).toBe("2026-07-01T02:00:00+05:30");
    expect(zonedInputToIso("2026-07-01T02:00", "UTC")).toBe("2026-07-01T02:00:00+00:00");
    expect(Date.parse(zonedInputToIso("2026-07-01T02:00", "Europe/Lisbon") ?? "")).toBe(
      Date.parse("2026-07-01T01:00:00Z"),
    );
  });

  it("moves a time that does not exist on the day clocks go forward past the gap", () => {
    // Lisbon, 29 March 2026: 01:00 becomes 02:00.
    expect(zonedInputToIso("2026-03-29T00:59", "Europe/Lisbon")).toBe("2026-03-29T00:59:00+00:00");
    expect(zonedInputToIso("2026-03-29T01:30", "Europe/Lisbon")).toBe("2026-03-29T02:30:00+01:00");
    expect(zonedInputToIso("2026-03-29T02:00", "Europe/Lisbon")).toBe("2026-03-29T02:00:00+01:00");
    // New York, 8 March 2026: 02:00 becomes 03:00.
    expect(zonedInputToIso("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T03:30:00-04:00");
  });

  it("takes the first of a time that happens twice on the day clocks go back", () => {
    // Lisbon, 25 October 2026: 02:00 becomes 01:00 again.
    expect(zonedInputToIso("2026-10-25T01:30", "Europe/Lisbon")).toBe("2026-10-25T01:30:00+01:00");
    expect(zonedInputToIso("2026-10-25T02:30", "Europe/Lisbon")).toBe("2026-10-25T02:30:00+00:00");
    expect(Date.parse("2026-10-25T02:30:00+00:00") - Date.parse("2026-10-25T01:30:00+01:00")).toBe(
      2 * 3_600_000,
    );
  });

  it("shows an instant as the zone's wall-clock time", () => {
    expect(isoToZonedInput("2026-03-29T01:30:00Z", "Europe/Lisbon")).toBe("2026-03-29T02:30");
    expect(isoToZonedInput("2026-10-25T00:30:00Z", "Europe/Lisbon")).toBe("2026-10-25T01:30");
    expect(isoToZonedInput("2026-10-25T01:30:00Z", "Europe/Lisbon")).toBe("2026-10-25T01:30");
    expect(isoToZonedInput("2026-11-27T03:12:59.999Z", "America/New_York")).toBe("2026-11-26T22:12");
    expect(isoToZonedInput("not a time", "UTC")).toBe("");
  });

  it("refuses what is not a time or a zone", () => {
    for (const value of ["", "2026-11-29", "2026-02-30T10:00", "2026-11-29T24:00", "29/11/2026 10:00"])
      expect(zonedInputToIso(value, "Europe/Lisbon"), value).toBeUndefined();
    expect(zonedInputToIso("2026-11-29T10:00", "Mars/Olympus_Mons")).toBeUndefined();
  });

  it("knows offsets and zones", () => {
    expect(offsetAt(Date.parse("2026-01-15T12:00:00Z"), "Australia/Adelaide")).toBe(630);
    expect(isTimeZone("Europe/Lisbon")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Europe/Atlantis")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("round-trips every minute-aligned instant through the zone's wall clock", () => {
    const zones = ["Europe/Lisbon", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"];
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse("2020-01-01T00:00:00Z") / 60_000,
          max: Date.parse("2035-01-01T00:00:00Z") / 60_000,
        }),
        fc.constantFrom(...zones),
        (minutes, zone) => {
          const ms = minutes * 60_000;
          const input = isoToZonedInput(new Date(ms).toISOString(), zone);
          const back = Date.parse(zonedInputToIso(input, zone) ?? "");
          // The same instant, or (for the second of a repeated hour) the first one, an hour or less before.
          expect(back).toBeLessThanOrEqual(ms);
          expect(ms - back).toBeLessThanOrEqual(3_600_000);
          expect(isoToZonedInput(new Date(back).toISOString(), zone)).toBe(input);
        },
      ),
    );
  });
});

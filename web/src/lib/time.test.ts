import { describe, expect, it } from "vitest";
import { durationInWords, formatUtc, isoToLocalInput, localInputToIso, planDurationInWords } from "./time";

describe("durationInWords", () => {
  it.each([
    [0, "less than a second"],
    [999, "less than a second"],
    [1_000, "1 second"],
    [45_000, "45 seconds"],
    [61_000, "1 minute 1 second"],
    [125_000, "2 minutes"],
    [3_600_000, "1 hour"],
    [3_660_000, "1 hour 1 minute"],
    [2 * 3_600_000 + 5 * 60_000 + 7_000, "2 hours 5 minutes"],
    [86_400_000 + 3_600_000 * 3 + 60_000, "1 day 3 hours"],
    [3 * 86_400_000 + 60_000, "3 days"],
    [-5_000, "less than a second"],
  ])("%i ms is %s", (ms, words) => {
    expect(durationInWords(ms)).toBe(words);
  });
});

describe("times", () => {
  it("shows UTC to the second", () => {
    expect(formatUtc("2026-11-27T03:12:05.123Z")).toBe("2026-11-27 03:12:05 UTC");
  });

  it("round-trips a local input value through UTC", () => {
    const iso = "2026-11-27T03:12:00.000Z";
    expect(localInputToIso(isoToLocalInput(iso))).toBe(iso);
    expect(localInputToIso("")).toBeUndefined();
    expect(localInputToIso("not a time")).toBeUndefined();
  });
});

describe("plan durations", () => {
  it("reads the plan's duration syntax", () => {
    expect(planDurationInWords("20m")).toBe("20 minutes");
    expect(planDurationInWords("1h30m")).toBe("1 hour 30 minutes");
    expect(planDurationInWords("2d")).toBe("2 days");
    expect(planDurationInWords("soon")).toBe("soon");
  });
});

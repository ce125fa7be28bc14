import { describe, expect, it } from "vitest";
import { dayBounds, uptimeDays } from "./uptime.ts";

const NOW = new Date("2026-11-27T12:00:00Z");

describe("uptime bars", () => {
  it("weights each day by the seconds spent in each status", () => {
    const { days, percent } = uptimeDays(
      [
        { at: "2026-01-01T00:00:00Z", status: "operational" },
        { at: "2026-11-26T10:00:00Z", status: "partial_outage" },
        { at: "2026-11-26T12:00:00Z", status: "major_outage" },
        { at: "2026-11-26T13:00:00Z", status: "operational" },
      ],
      [],
      NOW,
      "UTC",
    );
    expect(days).toHaveLength(90);
    const yesterday = days[88];
    expect(yesterday?.date).toBe("2026-11-26");
    expect(yesterday?.seconds.partial_outage).toBe(2 * 3600);
    expect(yesterday?.seconds.major_outage).toBe(3600);
    expect(yesterday?.seconds.operational).toBe(21 * 3600);
    expect(yesterday?.worst).toBe("major_outage");
    // Today counts up to now only.
    expect(days[89]?.seconds.operational).toBe(12 * 3600);
    const covered = 89 * 86_400 + 12 * 3600;
    const expected = Math.floor(((covered - 3600 - 0.3 * 7200) / covered) * 10_000) / 100;
    expect(percent).toBe(expected);
  });

  it("has no data before the component was first seen", () => {
    const { days, percent } = uptimeDays(
      [{ at: "2026-11-25T18:00:00Z", status: "operational" }],
      [],
      NOW,
      "UTC",
    );
    expect(days[86]?.worst).toBe("no_data");
    expect(days[87]?.seconds.operational).toBe(6 * 3600);
    expect(percent).toBe(100);
    expect(uptimeDays([], [], NOW, "UTC").percent).toBeNull();
  });

  it("cuts days in the page's time zone, with 23- and 25-hour days at DST changes", () => {
    const { starts, dates } = dayBounds(new Date("2026-11-01T12:00:00Z"), "Europe/Berlin", 40);
    const i = dates.indexOf("2026-10-25");
    expect((starts[i + 1] ?? 0) - (starts[i] ?? 0)).toBe(25 * 3600_000);
    const days = uptimeDays(
      [{ at: "2026-01-01T00:00:00Z", status: "operational" }],
      [],
      new Date("2026-11-01T12:00:00Z"),
      "Europe/Berlin",
      40,
    ).days;
    expect(days.find((d) => d.date === "2026-10-25")?.seconds.operational).toBe(25 * 3600);
  });

  it("lists the incidents that touched each day", () => {
    const start = Date.parse("2026-11-25T23:00:00Z");
    const { days } = uptimeDays(
      [{ at: "2026-01-01T00:00:00Z", status: "operational" }],
      [{ id: "a", name: "Payments down", impact: "major_outage", start, end: start + 2 * 3600_000 }],
      NOW,
      "UTC",
    );
    expect(days[87]?.incidents.map((x) => x.id)).toEqual(["a"]);
    expect(days[88]?.incidents.map((x) => x.id)).toEqual(["a"]);
    expect(days[89]?.incidents).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { percent, seconds, sectionOf, shortSeconds, trendGeometry } from "./format";

describe("values formatting", () => {
  it("shows shares as whole percentages and durations in words, with a dash for no data", () => {
    expect(percent(2 / 3)).toBe("67%");
    expect(percent(0)).toBe("0%");
    expect(percent(null)).toBe("—");
    expect(seconds(720)).toBe("12 minutes");
    expect(seconds(5400)).toBe("1 hour 30 minutes");
    expect(seconds(null)).toBe("—");
    expect(shortSeconds(45)).toBe("45s");
    expect(shortSeconds(720)).toBe("12m");
    expect(shortSeconds(5400)).toBe("1.5h");
  });

  it("maps the plan's value names to the report's sections", () => {
    expect(sectionOf("Detect")).toBe("detect");
    expect(sectionOf(" improve: ")).toBe("improve");
    expect(sectionOf("Delight")).toBeUndefined();
  });

  it("draws a weekly series, breaking the line where a week has no data", () => {
    const week = (d: string, value: number | null) => ({ weekStart: `2026-10-${d}T00:00:00.000Z`, value });
    const g = trendGeometry(
      [week("05", 0), week("12", 1), week("19", null), week("26", 0.5)],
      "ratio",
      100,
      50,
      0,
    );
    expect(g.max).toBe(1);
    expect(g.segments).toEqual(["M0,50 L33.3,0"]);
    expect(g.dots.map((d) => [d.x, d.y])).toEqual([
      [0, 50],
      [33.3, 0],
      [100, 25],
    ]);
  });

  it("scales durations to the largest week", () => {
    const g = trendGeometry(
      [
        { weekStart: "a", value: 60 },
        { weekStart: "b", value: 120 },
      ],
      "seconds",
      10,
      10,
      0,
    );
    expect(g.max).toBe(120);
    expect(g.dots.map((d) => d.y)).toEqual([5, 0]);
  });
});

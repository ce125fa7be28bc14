import { describe, expect, it } from "vitest";
import { distribution, mondayOf, nearestRank, seconds, share } from "./stats.ts";

describe("nearestRank", () => {
  it("matches the worked examples of the nearest-rank method", () => {
    // Wikipedia's example set: 15, 20, 35, 40, 50.
    const set = [15, 20, 35, 40, 50];
    expect([5, 30, 40, 50, 90, 100].map((p) => nearestRank(set, p))).toEqual([15, 20, 20, 35, 50, 50]);
    expect(nearestRank([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 50)).toBe(8);
    expect(nearestRank([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], 90)).toBe(16);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4], 90)).toBe(4);
    expect(nearestRank([42], 50)).toBe(42);
    expect(nearestRank([42], 90)).toBe(42);
    expect(nearestRank([7, 9], 50)).toBe(7);
    expect(nearestRank([7, 9], 0)).toBe(7);
  });

  it("takes rank 90 × n / 100 exactly at whole ranks", () => {
    for (const n of [10, 20, 30, 50, 70, 100, 1000, 10_000]) {
      const values = Array.from({ length: n }, (_, i) => i + 1);
      expect(nearestRank(values, 90)).toBe((n / 10) * 9);
      expect(nearestRank(values, 50)).toBe(n / 2);
    }
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // ⌈9.9⌉
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7], 50)).toBe(4); // ⌈3.5⌉
  });

  it("is null for no values", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(distribution([])).toEqual({ count: 0, p50: null, p90: null });
  });

  it("sorts numerically, not as text", () => {
    expect(distribution([100, 9, 20, 3])).toEqual({ count: 4, p50: 9, p90: 100 });
  });
});

describe("share and seconds", () => {
  it("divides, or is null over nothing", () => {
    expect(share(1, 4)).toBe(0.25);
    expect(share(0, 3)).toBe(0);
    expect(share(0, 0)).toBeNull();
  });

  it("measures seconds between instants, never negative", () => {
    expect(seconds(1_000, 91_500)).toBe(90.5);
    expect(seconds(5_000, 5_000)).toBe(0);
    expect(seconds(5_000, 1_000)).toBe(0);
  });
});

describe("mondayOf", () => {
  const monday = (iso: string) => new Date(mondayOf(Date.parse(iso))).toISOString();

  it("finds Monday 00:00 UTC of any instant's week", () => {
    expect(monday("2026-11-02T00:00:00.000Z")).toBe("2026-11-02T00:00:00.000Z"); // a Monday
    expect(monday("2026-11-01T23:59:59.999Z")).toBe("2026-10-26T00:00:00.000Z"); // the Sunday before
    expect(monday("2026-11-08T23:59:59.999Z")).toBe("2026-11-02T00:00:00.000Z");
    expect(monday("2027-01-01T12:00:00.000Z")).toBe("2026-12-28T00:00:00.000Z"); // across a year
    expect(monday("2024-03-01T00:00:00.000Z")).toBe("2024-02-26T00:00:00.000Z"); // leap year
    expect(monday("1970-01-01T00:00:00.000Z")).toBe("1969-12-29T00:00:00.000Z"); // before the epoch
    expect(monday("1969-12-28T23:00:00.000Z")).toBe("1969-12-22T00:00:00.000Z");
  });

  it("ignores the local time zone of offsets", () => {
    // 2026-11-09 00:30 in Berlin is still Sunday 23:30 UTC.
    expect(monday("2026-11-09T00:30:00+01:00")).toBe("2026-11-02T00:00:00.000Z");
  });
});

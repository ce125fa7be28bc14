import { describe, expect, it } from "vitest";
import { isAppError } from "../shared/errors.ts";
import { parseSchedule, type ScheduleInput } from "./index.ts";

const valid: ScheduleInput = {
  id: "payments-primary",
  name: "Payments primary",
  timeZone: "Europe/Berlin",
  layers: [
    {
      id: "weekdays",
      name: "Weekdays",
      members: ["ana", "ben", "ana"],
      rotation: { type: "custom", hours: 12 },
      handoff: { startDate: "2026-11-02", time: "09:00" },
      restrictions: [{ type: "weekly", days: ["mon", "fri"], start: "22:00", end: "06:00" }],
      endsAt: "2027-01-01T00:00:00+01:00",
    },
  ],
  overrides: [{ id: "o1", userId: "chi", start: "2026-11-27T09:00:00Z", end: "2026-11-27T17:00:00Z" }],
};

/** The dotted paths of the issues parseSchedule reports for an input. */
function issuePaths(input: unknown): string[] {
  try {
    parseSchedule(input);
  } catch (error) {
    if (isAppError(error) && error.code === "bad_request") return error.issues.map((issue) => issue.path);
    throw error;
  }
  return [];
}

const withLayer = (layer: Record<string, unknown>) => ({
  ...valid,
  layers: [{ ...valid.layers[0], ...layer }],
});

describe("parseSchedule", () => {
  it("accepts a valid schedule, and overrides may be left out", () => {
    expect(parseSchedule(valid).layers[0]!.members).toEqual(["ana", "ben", "ana"]);
    const { overrides: _, ...bare } = valid;
    expect(parseSchedule(bare).overrides).toEqual([]);
  });

  it("refuses a time zone that is not IANA", () => {
    expect(issuePaths({ ...valid, timeZone: "Mars/Olympus" })).toEqual(["timeZone"]);
    expect(issuePaths({ ...valid, timeZone: "+05:30" })).toEqual(["timeZone"]);
  });

  it("refuses local times and days that do not exist", () => {
    expect(issuePaths(withLayer({ handoff: { startDate: "2026-02-30", time: "09:00" } }))).toEqual([
      "layers.0.handoff.startDate",
    ]);
    expect(issuePaths(withLayer({ handoff: { startDate: "2026-02-28", time: "24:00" } }))).toEqual([
      "layers.0.handoff.time",
    ]);
    expect(issuePaths(withLayer({ handoff: { startDate: "2026-2-28", time: "9:00" } }))).toEqual([
      "layers.0.handoff.startDate",
      "layers.0.handoff.time",
    ]);
    expect(
      issuePaths(withLayer({ restrictions: [{ type: "daily", start: "07:60", end: "17:00" }] })),
    ).toEqual(["layers.0.restrictions.0.start"]);
  });

  it("bounds custom shifts to whole hours from 1 to 8760", () => {
    for (const hours of [0, 8761, 1.5]) {
      expect(issuePaths(withLayer({ rotation: { type: "custom", hours } }))).toEqual([
        "layers.0.rotation.hours",
      ]);
    }
    expect(issuePaths(withLayer({ rotation: { type: "custom", hours: 8760 } }))).toEqual([]);
    expect(issuePaths(withLayer({ rotation: { type: "monthly" } }))).toEqual(["layers.0.rotation.type"]);
  });

  it("needs members, layers, weekly days, and an override that ends after it starts", () => {
    expect(issuePaths(withLayer({ members: [] }))).toEqual(["layers.0.members"]);
    expect(issuePaths({ ...valid, layers: [] })).toEqual(["layers"]);
    expect(
      issuePaths(withLayer({ restrictions: [{ type: "weekly", days: [], start: "09:00", end: "17:00" }] })),
    ).toEqual(["layers.0.restrictions.0.days"]);
    expect(
      issuePaths({
        ...valid,
        overrides: [
          { id: "o1", userId: "chi", start: "2026-11-27T09:00:00Z", end: "2026-11-27T10:00:00+01:00" },
        ],
      }),
    ).toEqual(["overrides.0.end"]);
  });

  it("refuses ids used twice and unknown fields", () => {
    expect(issuePaths({ ...valid, layers: [valid.layers[0], valid.layers[0]] })).toEqual(["layers.1.id"]);
    expect(issuePaths(withLayer({ colour: "red" }))).toEqual(["layers.0"]);
  });
});

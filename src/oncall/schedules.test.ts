import { describe, expect, it } from "vitest";
import { type Plan, parsePlan } from "../plan/index.ts";
import { MINIMAL_PLAN } from "../plan/test-fixtures.ts";
import { isAppError } from "../shared/errors.ts";
import { coverage, layerShifts } from "./coverage.ts";
import { engineSchedule } from "./schedules.ts";

const SCHEDULES = `
schedules:
  - id: primary
    name: Primary
    timezone: America/New_York
    layers:
      - id: weekdays
        name: Weekdays
        members: [Ana@Example.com, ben@example.com]
        rotation: weekly
        handoff: { start_date: "2026-11-02", time: "09:00" }
        restrictions:
          - { days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00" }
          - { start: "22:00", end: "23:00" }
      - id: twelve
        name: Twelve hours
        members: [chi@example.com]
        rotation: { hours: 12 }
        handoff: { start_date: "2026-11-02", time: "21:00" }
        ends_at: "2027-01-01T00:00:00Z"
  - id: secondary
    name: Secondary
    layers:
      - id: daily
        name: Daily
        members: [dee@example.com]
        rotation: daily
        handoff: { start_date: "2026-11-02", time: "08:00" }
`;

function plan(extra = SCHEDULES, timezone = "Europe/Berlin"): Plan {
  const text = MINIMAL_PLAN.replace("  name: Tiny Co", `  name: Tiny Co\n  timezone: ${timezone}`) + extra;
  const parsed = parsePlan(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.plan;
}

describe("engineSchedule", () => {
  it("turns the plan's snake_case layers into the engine's, members as lowercased emails", () => {
    const schedule = engineSchedule(plan(), "primary");
    expect(schedule).toEqual({
      id: "primary",
      name: "Primary",
      timeZone: "America/New_York",
      layers: [
        {
          id: "weekdays",
          name: "Weekdays",
          members: ["ana@example.com", "ben@example.com"],
          rotation: { type: "weekly" },
          handoff: { startDate: "2026-11-02", time: "09:00" },
          restrictions: [
            { type: "weekly", days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" },
            { type: "daily", start: "22:00", end: "23:00" },
          ],
        },
        {
          id: "twelve",
          name: "Twelve hours",
          members: ["chi@example.com"],
          rotation: { type: "custom", hours: 12 },
          handoff: { startDate: "2026-11-02", time: "21:00" },
          endsAt: "2027-01-01T00:00:00Z",
        },
      ],
      overrides: [],
    });
  });

  it("takes the organization's time zone when the schedule names none", () => {
    expect(engineSchedule(plan(), "secondary").timeZone).toBe("Europe/Berlin");
    expect(engineSchedule(plan(SCHEDULES, "Asia/Tokyo"), "secondary").timeZone).toBe("Asia/Tokyo");
    // 08:00 in Tokyo is 23:00Z the day before.
    const tokyo = engineSchedule(plan(SCHEDULES, "Asia/Tokyo"), "secondary");
    const [shift] = layerShifts(
      tokyo,
      "daily",
      new Date("2026-11-10T12:00:00Z"),
      new Date("2026-11-10T13:00:00Z"),
    );
    expect(shift?.shiftNumber).toBe(8);
    expect(
      layerShifts(tokyo, "daily", new Date("2026-11-09T23:00:00Z"), new Date("2026-11-10T00:00:00Z"))[0]
        ?.shiftNumber,
    ).toBe(8);
    expect(
      layerShifts(tokyo, "daily", new Date("2026-11-09T22:59:59Z"), new Date("2026-11-09T23:00:00Z"))[0]
        ?.shiftNumber,
    ).toBe(7);
  });

  it("puts overrides on top, by email, with the later one winning where they overlap", () => {
    const schedule = engineSchedule(plan(), "secondary", [
      {
        id: "first",
        userEmail: "Eve@Example.com",
        start: "2026-11-10T10:00:00.000Z",
        end: "2026-11-10T14:00:00.000Z",
      },
      {
        id: "second",
        userEmail: "fay@example.com",
        start: "2026-11-10T12:00:00.000Z",
        end: "2026-11-10T13:00:00.000Z",
      },
    ]);
    const shifts = coverage(schedule, new Date("2026-11-10T09:00:00Z"), new Date("2026-11-10T15:00:00Z"));
    expect(shifts.map((s) => [s.userId, s.start.slice(11, 16), s.source.kind])).toEqual([
      ["dee@example.com", "09:00", "layer"],
      ["eve@example.com", "10:00", "override"],
      ["fay@example.com", "12:00", "override"],
      ["eve@example.com", "13:00", "override"],
      ["dee@example.com", "14:00", "layer"],
    ]);
  });

  it("throws not_found for a schedule the plan does not have", () => {
    try {
      engineSchedule(plan(), "tertiary");
      expect.fail("expected not_found");
    } catch (error) {
      expect(isAppError(error) && error.code).toBe("not_found");
    }
  });

  it("names the plan's field when the engine cannot use a schedule", () => {
    const broken = plan(
      SCHEDULES.replace('start_date: "2026-11-02", time: "08:00"', 'start_date: "2026-02-30", time: "08:00"'),
    );
    try {
      engineSchedule(broken, "secondary");
      expect.fail("expected invalid");
    } catch (error) {
      expect(isAppError(error) && error.code).toBe("invalid");
      expect(isAppError(error) && error.issues.map((i) => i.path)).toEqual([
        "schedules.1.layers.0.handoff.start_date",
      ]);
    }
  });
});

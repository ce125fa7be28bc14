import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH, type Plan, parsePlan } from "../plan/index.ts";
import { onCallEmail } from "./plan-schedule.ts";

function examplePlan(): Plan {
  const parsed = parsePlan(readFileSync(EXAMPLE_PLAN_PATH, "utf8"));
  if (!parsed.ok) throw new Error("the example plan does not parse");
  return parsed.plan;
}

const at = (iso: string) => new Date(iso);
const MARTA = "marta.silva@example.com";
const JONAS = "jonas.weber@example.com";

describe("the plan's schedules in the engine", () => {
  const plan = examplePlan();

  it("hands the weekly Lisbon rota over at 09:00 local, before and after the clocks go forward", () => {
    // Shift 0 (Marta) starts 2026-11-02 09:00 WET (09:00Z); 2027-03-29 is shift 21 (Jonas), 09:00 WEST = 08:00Z.
    expect(onCallEmail(plan, "mim-rota", at("2026-11-02T08:59:00Z"))).toBe(JONAS);
    expect(onCallEmail(plan, "mim-rota", at("2026-11-02T09:00:00Z"))).toBe(MARTA);
    expect(onCallEmail(plan, "mim-rota", at("2027-03-29T07:59:00Z"))).toBe(MARTA);
    expect(onCallEmail(plan, "mim-rota", at("2027-03-29T08:00:00Z"))).toBe(JONAS);
    // A UTC handoff would still show Marta here, an hour after the local 09:00.
    expect(onCallEmail(plan, "mim-rota", at("2027-03-29T08:30:00Z"))).toBe(JONAS);
  });

  it("lets a stored override win, by its user's email, only while it lasts", () => {
    const override = {
      id: "0190f000-0000-7000-8000-000000000001",
      userEmail: "Priya.Nair@example.com",
      start: "2027-03-29T08:00:00Z",
      end: "2027-03-29T10:00:00Z",
    };
    expect(onCallEmail(plan, "mim-rota", at("2027-03-29T09:00:00Z"), [override])).toBe(
      "priya.nair@example.com",
    );
    expect(onCallEmail(plan, "mim-rota", at("2027-03-29T10:00:00Z"), [override])).toBe(JONAS);
  });

  it("answers null for a schedule the plan does not have, or a moment nobody covers", () => {
    expect(onCallEmail(plan, "no-such-rota", at("2027-03-29T09:00:00Z"))).toBeNull();
    const daytime: Plan = {
      ...plan,
      schedules: [
        {
          id: "day",
          name: "Day",
          timezone: "Europe/Berlin",
          layers: [
            {
              id: "day",
              name: "Day",
              members: [MARTA],
              rotation: "daily",
              handoff: { start_date: "2026-11-02", time: "09:00" },
              restrictions: [{ start: "09:00", end: "17:00" }],
            },
          ],
        },
      ],
    };
    expect(onCallEmail(daytime, "day", at("2026-11-27T12:00:00Z"))).toBe(MARTA);
    expect(onCallEmail(daytime, "day", at("2026-11-27T20:00:00Z"))).toBeNull();
  });
});

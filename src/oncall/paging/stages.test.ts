import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH, type Plan, parsePlan, type Role } from "../../plan/index.ts";
import { escalationStages, pagingAllowed } from "./stages.ts";

function examplePlan(): Plan {
  const parsed = parsePlan(readFileSync(EXAMPLE_PLAN_PATH, "utf8"));
  if (!parsed.ok) throw new Error("the example plan does not parse");
  return parsed.plan;
}

const role = (overrides: Partial<Role>): Role => ({
  id: "incident-manager",
  name: "Incident manager",
  lead: true,
  recommended: true,
  ack_within: "5m",
  responsibilities: [],
  ...overrides,
});

describe("escalation stages", () => {
  const plan = examplePlan();

  it("pages the primary, then the backup, then the policy's steps, repeated", () => {
    const stages = escalationStages(
      plan,
      role({
        primary: "a@example.com",
        backup: { schedule: "mim-rota" },
        escalation_policy: "engineering-leadership",
      }),
    );
    expect(stages.map((s) => [s.label, s.targets, s.waitMs / 60_000])).toEqual([
      ["primary contact", ["a@example.com"], 5],
      ["backup contact", [{ schedule: "mim-rota" }], 5],
      ["Engineering leadership, step 1 of 2", ["jonas.weber@example.com"], 10],
      ["Engineering leadership, step 2 of 2", ["marta.silva@example.com", "priya.nair@example.com"], 15],
      ["Engineering leadership, step 1 of 2, round 2 of 2", ["jonas.weber@example.com"], 10],
      [
        "Engineering leadership, step 2 of 2, round 2 of 2",
        ["marta.silva@example.com", "priya.nair@example.com"],
        15,
      ],
    ]);
  });

  it("keeps the backup's stage number without a backup, and has no stages without a primary", () => {
    const stages = escalationStages(plan, role({ primary: "a@example.com", ack_within: "90s" }));
    expect(stages).toEqual([
      { label: "primary contact", targets: ["a@example.com"], waitMs: 90_000 },
      { label: "backup contact", targets: [], waitMs: 90_000 },
    ]);
    expect(escalationStages(plan, role({ backup: "b@example.com" }))).toEqual([]);
  });
});

describe("paging out of hours", () => {
  const plan = examplePlan(); // Europe/Lisbon; sev1 and sev2 page out of hours, sev3 does not

  it("always pages severities that page out of hours", () => {
    expect(pagingAllowed(plan, "sev1", new Date("2026-11-28T03:00:00Z"))).toEqual({ allowed: true });
  });

  it("pages the others only Monday to Friday, 09:00-17:00 in the organization's zone", () => {
    // Friday 2026-11-27: Lisbon is on UTC in winter.
    expect(pagingAllowed(plan, "sev3", new Date("2026-11-27T09:00:00Z")).allowed).toBe(true);
    expect(pagingAllowed(plan, "sev3", new Date("2026-11-27T16:59:00Z")).allowed).toBe(true);
    expect(pagingAllowed(plan, "sev3", new Date("2026-11-27T17:00:00Z")).allowed).toBe(false);
    expect(pagingAllowed(plan, "sev3", new Date("2026-11-27T08:59:00Z")).allowed).toBe(false);
    // Saturday.
    const weekend = pagingAllowed(plan, "sev3", new Date("2026-11-28T12:00:00Z"));
    expect(weekend).toEqual({ allowed: false, reason: expect.stringContaining("Saturday 12:00") });
    // Summer time: 08:30Z is 09:30 in Lisbon.
    expect(pagingAllowed(plan, "sev3", new Date("2027-06-01T08:30:00Z")).allowed).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import type { Plan } from "../../api/plan";
import type { Incident, StatusUpdate } from "../../api/types";
import { nextUpdateDue } from "./cadence";

const plan = { severities: [{ id: "sev1", update_every: "20m" }] } as unknown as Plan;
const incident = {
  severity: "sev1",
  status: "investigating",
  declaredAt: "2026-11-27T03:00:00.000Z",
} as unknown as Incident;
const update = (createdAt: string, audience: "internal" | "external") =>
  ({ createdAt, audience }) as unknown as StatusUpdate;

describe("next update due", () => {
  it("counts from the declaration before any external update", () => {
    expect(nextUpdateDue(incident, [update("2026-11-27T03:05:00.000Z", "internal")], plan)).toBe(
      "2026-11-27T03:20:00.000Z",
    );
  });

  it("counts from the last external update", () => {
    const updates = [
      update("2026-11-27T03:10:00.000Z", "external"),
      update("2026-11-27T03:04:00.000Z", "external"),
    ];
    expect(nextUpdateDue(incident, updates, plan)).toBe("2026-11-27T03:30:00.000Z");
  });

  it("is nothing once resolved or without a cadence", () => {
    expect(nextUpdateDue({ ...incident, status: "resolved" }, [], plan)).toBeNull();
    expect(nextUpdateDue({ ...incident, severity: "unknown" }, [], plan)).toBeNull();
  });
});

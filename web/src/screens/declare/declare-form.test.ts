import { describe, expect, it } from "vitest";
import type { Plan } from "../../api/plan";
import { checkDeclare, EMPTY_FORM, toDeclareBody } from "./declare-form";

const plan = {
  organization: { name: "Q", timezone: "UTC" },
  components: [
    { id: "web", name: "Web" },
    { id: "api", name: "API" },
  ],
  definition: {
    intro: "",
    criteria: [
      { id: "a", text: "A", action: "propose" },
      { id: "b", text: "B", action: "propose" },
    ],
  },
  severities: [],
  roles: [],
  channels: [],
  templates: {},
  values: [],
} as unknown as Plan;

describe("declare form", () => {
  it("asks for a title, a criterion and a severity", () => {
    expect(Object.keys(checkDeclare(EMPTY_FORM)).sort()).toEqual(["criteria", "severity", "title"]);
    expect(checkDeclare(EMPTY_FORM).criteria).toMatch(/event, not an incident/);
  });

  it("refuses an impact start in the future", () => {
    const errors = checkDeclare({ ...EMPTY_FORM, impactStartedAt: "2999-01-01T00:00" });
    expect(errors.impactStartedAt).toMatch(/future/);
  });

  it("builds the API body in the plan's order, leaving out what is empty", () => {
    const body = toDeclareBody(
      {
        ...EMPTY_FORM,
        title: "  Checkout down ",
        criteria: ["b", "a"],
        severity: "sev1",
        components: { api: "major_outage", web: "partial_outage" },
        drill: true,
      },
      plan,
    );
    expect(body).toEqual({
      title: "Checkout down",
      severity: "sev1",
      criteria: ["a", "b"],
      components: [
        { id: "web", impact: "partial_outage" },
        { id: "api", impact: "major_outage" },
      ],
      detectedBy: "employee",
      private: false,
      drill: true,
    });
  });

  it("sends the impact start in UTC", () => {
    const body = toDeclareBody({ ...EMPTY_FORM, impactStartedAt: "2026-11-27T03:10" }, plan);
    expect(body.impactStartedAt).toBe(new Date("2026-11-27T03:10").toISOString());
  });
});

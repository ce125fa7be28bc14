import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PLAN_PATH, type Plan, parsePlan } from "../plan/index.ts";
import { declareSeverity, impactOf, matchesCriterion, matchingCriterion, titleOf } from "./match.ts";

function examplePlan(): Plan {
  const parsed = parsePlan(readFileSync(EXAMPLE_PLAN_PATH, "utf8"));
  if (!parsed.ok) throw new Error("example plan invalid");
  return parsed.plan;
}

const moneyFlow = { source: "prometheus", severity: "critical" as const, labels: { tier: "money-flow" } };

describe("matching alerts to the plan's criteria", () => {
  const plan = examplePlan();

  it("needs the source, a listed severity and every label", () => {
    expect(matchingCriterion(plan, moneyFlow)?.id).toBe("money-flow-down");
    expect(matchingCriterion(plan, { ...moneyFlow, source: "grafana" })).toBeUndefined();
    expect(matchingCriterion(plan, { ...moneyFlow, severity: "error" })).toBeUndefined();
    expect(matchingCriterion(plan, { ...moneyFlow, labels: { tier: "other" } })).toBeUndefined();
    expect(matchingCriterion(plan, { ...moneyFlow, labels: {} })).toBeUndefined();
    // Labels the criterion does not name do not matter.
    expect(matchingCriterion(plan, { ...moneyFlow, labels: { tier: "money-flow", zone: "eu" } })?.id).toBe(
      "money-flow-down",
    );
  });

  it("takes the first criterion in plan order", () => {
    const both = {
      source: "prometheus",
      severity: "critical" as const,
      labels: { tier: "money-flow", customer_facing: "true" },
    };
    expect(matchingCriterion(plan, both)?.id).toBe("money-flow-down");
    expect(matchingCriterion(plan, { ...both, source: null })?.id).toBe("slo-breach");
  });

  it("never matches a criterion without match, nor a label inherited from Object", () => {
    const people = plan.definition.criteria.find((c) => !c.match)!;
    expect(matchesCriterion(people, moneyFlow)).toBe(false);
    const criterion = {
      id: "x",
      text: "x",
      action: "declare" as const,
      match: { labels: { toString: "x" } },
    };
    expect(matchesCriterion(criterion, { source: null, severity: "info", labels: {} })).toBe(false);
    expect(
      matchesCriterion({ ...criterion, match: {} }, { source: null, severity: "info", labels: {} }),
    ).toBe(true);
  });

  it("declares at the criterion's severity, else the least severe", () => {
    const money = plan.definition.criteria.find((c) => c.id === "money-flow-down")!;
    expect(declareSeverity(plan, money)).toBe("sev1");
    expect(declareSeverity(plan, { ...money, severity: undefined })).toBe(plan.severities.at(-1)!.id);
  });

  it("reads impact from severity and makes titles fit", () => {
    expect((["critical", "error", "warning", "info"] as const).map(impactOf)).toEqual([
      "major_outage",
      "partial_outage",
      "degraded_performance",
      "degraded_performance",
    ]);
    expect(titleOf("  Disk\n full  ", "fallback")).toBe("Disk full");
    expect(titleOf("   ", "fallback")).toBe("fallback");
    const long = titleOf("x".repeat(500), "f");
    expect(long).toHaveLength(200);
    expect(long.endsWith("…")).toBe(true);
  });
});

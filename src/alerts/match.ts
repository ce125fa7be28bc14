import type { Criterion, Impact, Plan } from "../plan/schema.ts";
import type { AlertSeverity } from "./model.ts";

/**
 * Which of the plan's criteria an alert meets. Criteria are tried in plan
 * order and the first whose `match` holds wins: its source is equal, its
 * severity is in the list, and every one of its labels has the same value on
 * the alert. A criterion without `match` is for people only.
 */
export interface MatchableAlert {
  source: string | null;
  severity: AlertSeverity;
  labels: Readonly<Record<string, string>>;
}

export function matchesCriterion(criterion: Criterion, alert: MatchableAlert): boolean {
  const match = criterion.match;
  if (!match) return false;
  if (match.source !== undefined && match.source !== alert.source) return false;
  if (match.severity !== undefined && !match.severity.includes(alert.severity)) return false;
  for (const [name, value] of Object.entries(match.labels ?? {})) {
    if (!Object.hasOwn(alert.labels, name) || alert.labels[name] !== value) return false;
  }
  return true;
}

export function matchingCriterion(plan: Plan, alert: MatchableAlert): Criterion | undefined {
  return plan.definition.criteria.find((criterion) => matchesCriterion(criterion, alert));
}

/** The severity a criterion declares at: its own, else the plan's least severe (listed last). */
export function declareSeverity(plan: Plan, criterion: Criterion): string {
  return criterion.severity ?? plan.severities[plan.severities.length - 1]!.id;
}

/** How an alert's severity reads as impact on the component it names. */
export function impactOf(severity: AlertSeverity): Impact {
  if (severity === "critical") return "major_outage";
  if (severity === "error") return "partial_outage";
  return "degraded_performance";
}

/** An incident title from an alert summary: the title allows 200 characters. */
export function titleOf(summary: string, fallback: string): string {
  const text = summary.replace(/\s+/g, " ").trim() || fallback;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

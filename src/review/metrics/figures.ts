import type { Distribution, ValuesReport } from "./model.ts";

export type ValueName = "all" | "detect" | "respond" | "recover" | "learn" | "improve";
export type Unit = "count" | "ratio" | "seconds";

/**
 * One number of the report, named for both exports: `figure` for the CSV,
 * `metric` (after `runsheet_`) plus `labels` for Prometheus. Figures sharing a
 * metric differ only in their labels and share its help text.
 */
export interface Figure {
  value: ValueName;
  figure: string;
  number: number | null;
  unit: Unit;
  metric: string;
  labels: Record<string, string>;
  help: string;
}

function fig(
  value: ValueName,
  figure: string,
  number: number | null,
  unit: Unit,
  metric: string,
  help: string,
  labels: Record<string, string> = {},
): Figure {
  return { value, figure, number, unit, metric, labels, help };
}

/** count, p50 and p90 of a distribution: `<name>_count|_p50|_p90`; `<metric>{quantile}` and `<metric>_samples`. */
function spread(value: ValueName, name: string, d: Distribution, metric: string, what: string): Figure[] {
  const help = `${what}, in seconds: nearest-rank quantiles over the incidents counted.`;
  return [
    fig(value, `${name}_count`, d.count, "count", `${metric}_samples`, `Incidents measured for: ${what}.`),
    fig(value, `${name}_p50`, d.p50, "seconds", metric, help, { quantile: "0.5" }),
    fig(value, `${name}_p90`, d.p90, "seconds", metric, help, { quantile: "0.9" }),
  ];
}

/** The range's figures, in the order the values are told: all, detect, respond, recover, learn, improve. */
export function figuresOf(report: ValuesReport): Figure[] {
  const { detect: d, respond: r, recover: c, learn: l, improve: i } = report;
  const bySource = "Incidents by how they were detected";
  const reviews = "Required reviews of incidents by outcome (on time, late, pending)";
  const actions = "Action items due in the range, by outcome (on time, late)";
  return [
    fig(
      "all",
      "incidents",
      report.incidents,
      "count",
      "incidents",
      "Incidents declared in the range (drills excluded).",
    ),
    fig("detect", "monitoring", d.monitoring, "count", "detect_incidents", bySource, {
      detected_by: "monitoring",
    }),
    fig("detect", "customer", d.customer, "count", "detect_incidents", bySource, { detected_by: "customer" }),
    fig("detect", "employee", d.employee, "count", "detect_incidents", bySource, { detected_by: "employee" }),
    fig(
      "detect",
      "monitoring_share",
      d.monitoringShare,
      "ratio",
      "detect_monitoring_share",
      "Share of incidents detected by monitoring.",
    ),
    fig(
      "detect",
      "customer_share",
      d.customerShare,
      "ratio",
      "detect_customer_share",
      "Share of incidents reported by a customer.",
    ),
    ...spread(
      "detect",
      "time_to_detect",
      d.timeToDetect,
      "detect_seconds",
      "Time from impact start to detection",
    ),
    fig("respond", "paged", r.paged, "count", "respond_paged_incidents", "Incidents that paged someone."),
    fig(
      "respond",
      "acknowledged",
      r.acknowledged,
      "count",
      "respond_acknowledged_incidents",
      "Incidents whose first page was acknowledged.",
    ),
    ...spread(
      "respond",
      "time_to_ack",
      r.timeToAck,
      "respond_ack_seconds",
      "Time to acknowledge the first page",
    ),
    ...spread(
      "respond",
      "time_to_first_update",
      r.timeToFirstUpdate,
      "respond_first_update_seconds",
      "Time from detection to the first external update",
    ),
    fig(
      "respond",
      "cadence_updates",
      r.cadence.updates,
      "count",
      "respond_cadence_updates",
      "External updates that had a due time.",
    ),
    fig(
      "respond",
      "on_cadence",
      r.cadence.onCadence,
      "count",
      "respond_on_cadence_updates",
      "External updates sent by their due time.",
    ),
    fig(
      "respond",
      "cadence_share",
      r.cadence.share,
      "ratio",
      "respond_cadence_share",
      "Share of external updates sent on cadence.",
    ),
    ...spread(
      "recover",
      "time_to_mitigate",
      c.timeToMitigate,
      "recover_mitigate_seconds",
      "Time from detection to mitigation (monitoring)",
    ),
    ...spread(
      "recover",
      "time_to_resolve",
      c.timeToResolve,
      "recover_resolve_seconds",
      "Time from detection to resolution",
    ),
    fig(
      "recover",
      "unresolved",
      c.unresolved,
      "count",
      "recover_unresolved_incidents",
      "Incidents not yet resolved.",
    ),
    fig(
      "learn",
      "reviews_required",
      l.reviews.required,
      "count",
      "learn_reviews_required",
      "Incidents needing a review.",
    ),
    fig("learn", "reviews_on_time", l.reviews.onTime, "count", "learn_reviews", reviews, {
      outcome: "on_time",
    }),
    fig("learn", "reviews_late", l.reviews.late, "count", "learn_reviews", reviews, { outcome: "late" }),
    fig("learn", "reviews_pending", l.reviews.pending, "count", "learn_reviews", reviews, {
      outcome: "pending",
    }),
    fig(
      "learn",
      "review_on_time_share",
      l.reviews.onTimeShare,
      "ratio",
      "learn_review_on_time_share",
      "Share of decided reviews held within their deadline.",
    ),
    fig(
      "learn",
      "postmortems_published",
      l.postmortems.published,
      "count",
      "learn_postmortems_published",
      "Incidents with a published postmortem.",
    ),
    fig(
      "learn",
      "postmortem_share",
      l.postmortems.share,
      "ratio",
      "learn_postmortem_share",
      "Share of incidents needing a review whose postmortem is published.",
    ),
    fig(
      "improve",
      "actions_due",
      i.actions.due,
      "count",
      "improve_actions_due",
      "Action items due in the range.",
    ),
    fig("improve", "actions_on_time", i.actions.onTime, "count", "improve_actions", actions, {
      outcome: "on_time",
    }),
    fig("improve", "actions_late", i.actions.late, "count", "improve_actions", actions, { outcome: "late" }),
    fig(
      "improve",
      "actions_open_past_due",
      i.actions.openPastDue,
      "count",
      "improve_actions_open_past_due",
      "Action items past due and still open.",
    ),
    fig(
      "improve",
      "actions_on_time_share",
      i.actions.onTimeShare,
      "ratio",
      "improve_actions_on_time_share",
      "Share of due action items closed on time.",
    ),
    fig(
      "improve",
      "repeats",
      i.repeats.count,
      "count",
      "improve_repeat_incidents",
      "Incidents flagged as a repeat of an earlier one.",
    ),
    fig(
      "improve",
      "repeat_share",
      i.repeats.share,
      "ratio",
      "improve_repeat_share",
      "Share of incidents that repeat an earlier one.",
    ),
  ];
}

/** The weekly series as figures (CSV only: Prometheus draws its own trend from scrapes). */
export function weeklyFiguresOf(
  week: ValuesReport["weekly"][number],
): Array<Omit<Figure, "metric" | "labels" | "help">> {
  return [
    { value: "all", figure: "incidents", number: week.incidents, unit: "count" },
    { value: "detect", figure: "monitoring_share", number: week.detect.monitoringShare, unit: "ratio" },
    { value: "respond", figure: "time_to_ack_p50", number: week.respond.ackP50, unit: "seconds" },
    { value: "recover", figure: "time_to_resolve_p50", number: week.recover.resolveP50, unit: "seconds" },
    { value: "learn", figure: "review_on_time_share", number: week.learn.reviewOnTimeShare, unit: "ratio" },
    {
      value: "improve",
      figure: "actions_on_time_share",
      number: week.improve.actionsOnTimeShare,
      unit: "ratio",
    },
    { value: "improve", figure: "repeats", number: week.improve.repeats, unit: "count" },
  ];
}

/**
 * The incident values, measured: Detect, Respond, Recover, Learn, Improve over
 * a range, from plain facts (no store, no HTTP). Definitions live on the
 * report's types in model.ts.
 */
export { computeValues, MAX_WEEKS } from "./compute.ts";
export { CSV_HEADER, valuesCsv } from "./csv.ts";
export type {
  ActionItemFacts,
  DetectedBy,
  DetectValues,
  Distribution,
  ImproveValues,
  IncidentFacts,
  LearnValues,
  MetricsQuery,
  RecoverValues,
  RespondValues,
  ValuesFilters,
  ValuesReport,
  WeekValues,
} from "./model.ts";
export { PROMETHEUS_CONTENT_TYPE, valuesPrometheus } from "./prometheus.ts";
export { nearestRank } from "./stats.ts";

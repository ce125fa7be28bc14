/**
 * The values, measured: inputs and output of `computeValues`.
 *
 * The inputs are plain facts (what the store knows about each incident and
 * action item), so the figures can be computed and tested without a database.
 * All timestamps are ISO 8601 instants (UTC with `Z`, or with an offset).
 *
 * Shared rules for every figure:
 * - **Counted incidents**: not a drill, `declaredAt` in `[from, to)`, and
 *   matching every filter given (severity one of `severity`; `service` among
 *   `components`; `team` equal to the incident's team).
 * - **Durations** are seconds (milliseconds / 1000, not rounded). A negative
 *   span (clock skew, an impact start entered later than the declaration)
 *   counts as 0 s: every duration measures a wait, and a wait is never negative.
 * - **Percentiles** use the nearest-rank method: for n values sorted ascending,
 *   the p-th percentile is the value at 1-based rank ⌈p/100 × n⌉ (at least 1).
 *   It is always one of the observed values (no interpolation). For
 *   [10, 20, 30, 40]: p50 = 20 (rank 2), p90 = 40 (rank 4).
 * - **Shares** are fractions in [0, 1] (not percentages).
 * - A figure with no data is `null`, never NaN; counts are 0.
 */

export type DetectedBy = "monitoring" | "customer" | "employee";

export interface IncidentFacts {
  id: string;
  severity: string;
  drill: boolean;
  /** Component (service) ids the incident affects. */
  components: string[];
  team?: string | null;
  detectedBy: DetectedBy;
  impactStartedAt: string;
  /** Detection: the moment the incident was declared. */
  declaredAt: string;
  firstPageAt: string | null;
  firstAckAt: string | null;
  /** External (customer-facing) updates sent; `dueAt` is null for the first one. */
  externalUpdates: Array<{ at: string; dueAt: string | null }>;
  monitoringAt: string | null;
  resolvedAt: string | null;
  review: { required: boolean; dueAt: string | null; heldAt: string | null } | null;
  postmortemPublishedAt: string | null;
  /** The earlier incident this one repeats, when it was flagged as a repeat. */
  repeatOf: string | null;
}

export interface ActionItemFacts {
  id: string;
  incidentId: string;
  owner: string | null;
  /** The team that owns the item; when absent, the incident's team stands in for the team filter. */
  team?: string | null;
  createdAt: string;
  dueAt: string | null;
  closedAt: string | null;
}

export interface MetricsQuery {
  /** Inclusive start of the range. */
  from: string;
  /** Exclusive end of the range; after `from`, and at most 1,000 weeks on (`MAX_WEEKS`). */
  to: string;
  /** Only these severities; absent or empty means all. */
  severity?: string[] | undefined;
  /** Only incidents affecting this component id. */
  service?: string | undefined;
  /** Only this team's incidents (and action items). */
  team?: string | undefined;
  /** The moment of computing: decides what is already past due. */
  now: string;
}

/** A set of durations: how many, and their nearest-rank median and 90th percentile (seconds). */
export interface Distribution {
  count: number;
  p50: number | null;
  p90: number | null;
}

/** Detect — we know there is a problem before our customers do. */
export interface DetectValues {
  /** Counted incidents by how they were detected. */
  monitoring: number;
  customer: number;
  employee: number;
  /** monitoring / counted incidents. */
  monitoringShare: number | null;
  /** customer / counted incidents. */
  customerShare: number | null;
  /** declaredAt − impactStartedAt, over every counted incident. */
  timeToDetect: Distribution;
}

/** Respond — escalate, escalate, escalate (and communicate with customers). */
export interface RespondValues {
  /** Counted incidents with a page (`firstPageAt` set). */
  paged: number;
  /** Of those, the ones whose first page was acknowledged (`firstAckAt` set). */
  acknowledged: number;
  /** firstAckAt − firstPageAt, over incidents with both. */
  timeToAck: Distribution;
  /** Earliest external update `at` − declaredAt, over incidents with at least one external update. */
  timeToFirstUpdate: Distribution;
  /**
   * External updates that had a due time (`dueAt` set), how many were sent on
   * cadence (`at` ≤ `dueAt`), and that share. An update never sent is not a
   * fact here: it shows up as the next update arriving late.
   */
  cadence: { updates: number; onCadence: number; share: number | null };
}

/** Recover — clean it up quickly. Measured from detection, since Detect already measures impact → detection. */
export interface RecoverValues {
  /**
   * Mitigation = the earlier of `monitoringAt` and `resolvedAt` (an incident
   * resolved straight away was mitigated when it was resolved); minus
   * declaredAt, over incidents that reached either.
   */
  timeToMitigate: Distribution;
  /** resolvedAt − declaredAt, over resolved incidents. */
  timeToResolve: Distribution;
  /** Counted incidents not yet resolved. */
  unresolved: number;
}

/** Learn — always blameless. */
export interface LearnValues {
  /**
   * Reviews of counted incidents with `review.required`:
   * - on time: held (`heldAt` set) at or before `dueAt`, or held with no `dueAt` (no deadline to miss);
   * - late: held after `dueAt`, or not held and `dueAt` < `now`;
   * - pending: not held and not yet past due (or without a `dueAt`) — left out of the share;
   * - share = onTime / (onTime + late).
   */
  reviews: { required: number; onTime: number; late: number; pending: number; onTimeShare: number | null };
  /**
   * published: counted incidents with `postmortemPublishedAt` set;
   * share: among incidents with `review.required`, the fraction with a published postmortem.
   */
  postmortems: { published: number; share: number | null };
}

/** Improve — never have the same incident twice. */
export interface ImproveValues {
  /**
   * Action items due within the range: `dueAt` in `[from, to)`, and either
   * closed or already past due at `now` (`dueAt` < `now`); items due later
   * than `now` and still open are not yet decided and are left out. An item
   * counts only if its incident is among the facts (any declared date), is not
   * a drill and matches the severity and service filters; the team filter
   * matches the item's own team, or the incident's when the item has none.
   * - on time: closedAt ≤ dueAt; late: closed after dueAt, or open past due;
   * - openPastDue: the late ones still open; share = onTime / due.
   */
  actions: { due: number; onTime: number; late: number; openPastDue: number; onTimeShare: number | null };
  /** Counted incidents flagged as a repeat (`repeatOf` set), and their share of counted incidents. */
  repeats: { count: number; share: number | null };
}

/**
 * One week of the trend: the same definitions, restricted to counted
 * incidents declared that week (action items: due that week). Weeks start on
 * Monday 00:00 UTC; every week overlapping `[from, to)` is listed, oldest
 * first, the first and last possibly partial (only the part inside the range counts).
 */
export interface WeekValues {
  weekStart: string;
  incidents: number;
  detect: { monitoringShare: number | null };
  respond: { ackP50: number | null };
  recover: { resolveP50: number | null };
  learn: { reviewOnTimeShare: number | null };
  improve: { actionsOnTimeShare: number | null; repeats: number };
}

export interface ValuesFilters {
  severity: string[] | null;
  service: string | null;
  team: string | null;
}

export interface ValuesReport {
  /** The range, normalized to UTC ISO. */
  from: string;
  to: string;
  now: string;
  filters: ValuesFilters;
  /** Counted incidents. */
  incidents: number;
  detect: DetectValues;
  respond: RespondValues;
  recover: RecoverValues;
  learn: LearnValues;
  improve: ImproveValues;
  weekly: WeekValues[];
}

import { invalid } from "../../shared/errors.ts";
import type { ActionItemFacts, IncidentFacts, MetricsQuery, ValuesReport, WeekValues } from "./model.ts";
import { distribution, median, mondayOf, seconds, share, WEEK_MS } from "./stats.ts";

/** Bounds the weekly series (and the work a request can ask for). */
export const MAX_WEEKS = 1000;

/** Per-week tallies, turned into `WeekValues` at the end. */
interface WeekTally {
  incidents: number;
  monitoring: number;
  acks: number[];
  resolves: number[];
  reviewsOnTime: number;
  reviewsLate: number;
  actionsOnTime: number;
  actionsLate: number;
  repeats: number;
}

function instant(value: string, path: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw invalid("Not a timestamp.", [{ path, message: `"${value}" is not an instant.` }]);
  }
  return ms;
}

function optionalInstant(value: string | null | undefined, path: string): number | null {
  return value == null ? null : instant(value, path);
}

/**
 * Computes the five values over a range: one pass over the incidents, one over
 * the action items, then one sort per series. Definitions of every figure are
 * on the report's types (model.ts). Throws `invalid` for an unreadable
 * timestamp or detection source (with the field's path, e.g.
 * `incidents.12.resolvedAt`), an empty range, or one past `MAX_WEEKS`.
 */
export function computeValues(
  incidents: readonly IncidentFacts[],
  actions: readonly ActionItemFacts[],
  query: MetricsQuery,
): ValuesReport {
  const from = instant(query.from, "from");
  const to = instant(query.to, "to");
  const now = instant(query.now, "now");
  if (!(from < to)) {
    throw invalid("The range is empty.", [
      { path: "to", message: "The end of the range must be after its start." },
    ]);
  }
  const severities = query.severity && query.severity.length > 0 ? new Set(query.severity) : null;
  const service = query.service ?? null;
  const team = query.team ?? null;

  const firstWeek = mondayOf(from);
  if (to - firstWeek > MAX_WEEKS * WEEK_MS) {
    throw invalid("The range is too long.", [
      { path: "from", message: `A range spans at most ${MAX_WEEKS} weeks (about 19 years).` },
    ]);
  }
  const weeks: WeekTally[] = [];
  for (let start = firstWeek; start < to; start += WEEK_MS) {
    weeks.push({
      incidents: 0,
      monitoring: 0,
      acks: [],
      resolves: [],
      reviewsOnTime: 0,
      reviewsLate: 0,
      actionsOnTime: 0,
      actionsLate: 0,
      repeats: 0,
    });
  }

  // Incidents whose action items may count (any declared date): id → team.
  const itemIncidents = new Map<string, string | null>();

  let counted = 0;
  const detectedBy = { monitoring: 0, customer: 0, employee: 0 };
  const toDetect: number[] = [];
  let paged = 0;
  let acknowledged = 0;
  const toAck: number[] = [];
  const toFirstUpdate: number[] = [];
  let cadenceUpdates = 0;
  let onCadence = 0;
  const toMitigate: number[] = [];
  const toResolve: number[] = [];
  let unresolved = 0;
  const reviews = { required: 0, onTime: 0, late: 0, pending: 0 };
  let published = 0;
  let requiredPublished = 0;
  let repeats = 0;

  for (let i = 0; i < incidents.length; i++) {
    const incident = incidents[i]!;
    if (incident.drill) continue;
    if (severities && !severities.has(incident.severity)) continue;
    if (service !== null && !incident.components.includes(service)) continue;
    const incidentTeam = incident.team ?? null;
    itemIncidents.set(incident.id, incidentTeam);
    if (team !== null && incidentTeam !== team) continue;
    const path = `incidents.${i}`;
    const declared = instant(incident.declaredAt, `${path}.declaredAt`);
    if (declared < from || declared >= to) continue;

    const week = weeks[Math.floor((declared - firstWeek) / WEEK_MS)]!;
    counted++;
    week.incidents++;

    // Detect
    if (!Object.hasOwn(detectedBy, incident.detectedBy)) {
      throw invalid("Unknown detection source.", [
        {
          path: `${path}.detectedBy`,
          message: `"${incident.detectedBy}" is not monitoring, customer or employee.`,
        },
      ]);
    }
    detectedBy[incident.detectedBy]++;
    if (incident.detectedBy === "monitoring") week.monitoring++;
    toDetect.push(seconds(instant(incident.impactStartedAt, `${path}.impactStartedAt`), declared));

    // Respond
    const page = optionalInstant(incident.firstPageAt, `${path}.firstPageAt`);
    if (page !== null) {
      paged++;
      const ack = optionalInstant(incident.firstAckAt, `${path}.firstAckAt`);
      if (ack !== null) {
        acknowledged++;
        const s = seconds(page, ack);
        toAck.push(s);
        week.acks.push(s);
      }
    }
    const updates = incident.externalUpdates;
    let firstUpdate = Number.POSITIVE_INFINITY;
    for (let u = 0; u < updates.length; u++) {
      const update = updates[u]!;
      const at = instant(update.at, `${path}.externalUpdates.${u}.at`);
      if (at < firstUpdate) firstUpdate = at;
      if (update.dueAt !== null) {
        cadenceUpdates++;
        if (at <= instant(update.dueAt, `${path}.externalUpdates.${u}.dueAt`)) onCadence++;
      }
    }
    if (updates.length > 0) toFirstUpdate.push(seconds(declared, firstUpdate));

    // Recover
    const monitoring = optionalInstant(incident.monitoringAt, `${path}.monitoringAt`);
    const resolved = optionalInstant(incident.resolvedAt, `${path}.resolvedAt`);
    const mitigated =
      monitoring === null ? resolved : resolved === null ? monitoring : Math.min(monitoring, resolved);
    if (mitigated !== null) toMitigate.push(seconds(declared, mitigated));
    if (resolved !== null) {
      const s = seconds(declared, resolved);
      toResolve.push(s);
      week.resolves.push(s);
    } else {
      unresolved++;
    }

    // Learn
    const review = incident.review;
    if (review?.required) {
      reviews.required++;
      const held = optionalInstant(review.heldAt, `${path}.review.heldAt`);
      const due = optionalInstant(review.dueAt, `${path}.review.dueAt`);
      const outcome =
        held !== null
          ? due === null || held <= due
            ? "onTime"
            : "late"
          : due !== null && due < now
            ? "late"
            : "pending";
      reviews[outcome]++;
      if (outcome === "onTime") week.reviewsOnTime++;
      if (outcome === "late") week.reviewsLate++;
      if (incident.postmortemPublishedAt !== null) requiredPublished++;
    }
    if (incident.postmortemPublishedAt !== null) published++;

    // Improve
    if (incident.repeatOf !== null) {
      repeats++;
      week.repeats++;
    }
  }

  const items = { onTime: 0, late: 0, openPastDue: 0 };
  for (let i = 0; i < actions.length; i++) {
    const item = actions[i]!;
    if (item.dueAt === null) continue;
    const incidentTeam = itemIncidents.get(item.incidentId);
    if (incidentTeam === undefined) continue;
    if (team !== null && (item.team ?? incidentTeam) !== team) continue;
    const due = instant(item.dueAt, `actions.${i}.dueAt`);
    if (due < from || due >= to) continue;
    const closed = optionalInstant(item.closedAt, `actions.${i}.closedAt`);
    const week = weeks[Math.floor((due - firstWeek) / WEEK_MS)]!;
    if (closed !== null && closed <= due) {
      items.onTime++;
      week.actionsOnTime++;
    } else if (closed !== null || due < now) {
      items.late++;
      week.actionsLate++;
      if (closed === null) items.openPastDue++;
    }
  }

  const weekly: WeekValues[] = weeks.map((w, i) => ({
    weekStart: new Date(firstWeek + i * WEEK_MS).toISOString(),
    incidents: w.incidents,
    detect: { monitoringShare: share(w.monitoring, w.incidents) },
    respond: { ackP50: median(w.acks) },
    recover: { resolveP50: median(w.resolves) },
    learn: { reviewOnTimeShare: share(w.reviewsOnTime, w.reviewsOnTime + w.reviewsLate) },
    improve: {
      actionsOnTimeShare: share(w.actionsOnTime, w.actionsOnTime + w.actionsLate),
      repeats: w.repeats,
    },
  }));

  const due = items.onTime + items.late;
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    now: new Date(now).toISOString(),
    filters: { severity: severities ? [...severities] : null, service, team },
    incidents: counted,
    detect: {
      ...detectedBy,
      monitoringShare: share(detectedBy.monitoring, counted),
      customerShare: share(detectedBy.customer, counted),
      timeToDetect: distribution(toDetect),
    },
    respond: {
      paged,
      acknowledged,
      timeToAck: distribution(toAck),
      timeToFirstUpdate: distribution(toFirstUpdate),
      cadence: { updates: cadenceUpdates, onCadence, share: share(onCadence, cadenceUpdates) },
    },
    recover: { timeToMitigate: distribution(toMitigate), timeToResolve: distribution(toResolve), unresolved },
    learn: {
      reviews: { ...reviews, onTimeShare: share(reviews.onTime, reviews.onTime + reviews.late) },
      postmortems: { published, share: share(requiredPublished, reviews.required) },
    },
    improve: {
      actions: { due, ...items, onTimeShare: share(items.onTime, due) },
      repeats: { count: repeats, share: share(repeats, counted) },
    },
    weekly,
  };
}

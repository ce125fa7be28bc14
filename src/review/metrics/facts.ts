import type { Ctx } from "../../context.ts";
import type { Db } from "../../store/open.ts";
import { readBool } from "../../store/values.ts";
import { computeValues } from "./compute.ts";
import type { ActionItemFacts, IncidentFacts, MetricsQuery, ValuesReport } from "./model.ts";

/**
 * The facts `computeValues` needs, read from the store for a range in a fixed
 * number of set-based queries (incidents, components, pages, external
 * updates, reviews, postmortems, action items), whatever the number of
 * incidents:
 *
 * - incidents declared in `[from, to)`, plus those whose action items fall
 *   due in the range (any declared date: the Improve figures count them);
 *   drills, and incidents outside the severity and service filters, are left
 *   out here already (computeValues would skip them too);
 * - firstPageAt / firstAckAt: the earliest page of the incident and the
 *   earliest acknowledgement of any of its pages (`pages`);
 * - externalUpdates: the incident's updates with audience external, each with
 *   the due time recorded when it was posted (`status_updates.due_at`: the
 *   previous external update, or the declaration, plus the severity's
 *   update_every, as comms/reminders.ts cadenceDueAt computes it); the first
 *   one's dueAt is null, as the model asks: its timing is the time to first
 *   update. An update posted after resolution has no due time and does not
 *   count for cadence;
 * - review: `reviews.required`, `due_at` and `held_at`; a cancelled review is
 *   no longer required;
 * - postmortemPublishedAt: `postmortems.published_at` (the internal
 *   postmortem; the public version has its own date);
 * - repeatOf: `incidents.repeat_of`;
 * - team: incidents have no team, so it is null and a team filter counts no
 *   incidents; action items have their own `team`, which the filter matches.
 */
export async function readFacts(
  db: Db,
  query: Pick<MetricsQuery, "from" | "to" | "severity" | "service">,
): Promise<{ incidents: IncidentFacts[]; actions: ActionItemFacts[] }> {
  const from = new Date(query.from).toISOString();
  const to = new Date(query.to).toISOString();
  const severities = query.severity && query.severity.length > 0 ? query.severity : null;
  const service = query.service ?? null;

  /** Incidents that count: not drills, within the filters. */
  const counted = () => {
    let q = db.selectFrom("incidents").where("drill", "=", false);
    if (severities) q = q.where("severity", "in", severities);
    if (service !== null) {
      q = q.where("id", "in", (eb) =>
        eb.selectFrom("incident_components").select("incident_id").where("component_id", "=", service),
      );
    }
    return q;
  };
  const declaredInRange = () => counted().where("declared_at", ">=", from).where("declared_at", "<", to);
  const itemsDue = db
    .selectFrom("action_items")
    .select(["id", "incident_id", "owner_id", "team", "created_at", "due_at", "closed_at"])
    .where("due_at", ">=", from)
    .where("due_at", "<", to);
  const inScope = () =>
    counted().where((eb) =>
      eb.or([
        eb.and([eb("declared_at", ">=", from), eb("declared_at", "<", to)]),
        eb("id", "in", itemsDue.clearSelect().select("incident_id")),
      ]),
    );
  const rangeIds = () => declaredInRange().select("id");

  const [incidentRows, componentRows, pageRows, updateRows, reviewRows, postmortemRows, itemRows] =
    await Promise.all([
      inScope()
        .select([
          "id",
          "severity",
          "detected_by",
          "impact_started_at",
          "declared_at",
          "monitoring_at",
          "resolved_at",
          "repeat_of",
        ])
        .execute(),
      db
        .selectFrom("incident_components")
        .select(["incident_id", "component_id"])
        .where("incident_id", "in", inScope().select("id"))
        .execute(),
      db
        .selectFrom("pages")
        .select((eb) => [
          "incident_id",
          eb.fn.min("created_at").as("first_page"),
          eb.fn.min("acknowledged_at").as("first_ack"),
        ])
        .where("incident_id", "in", rangeIds())
        .groupBy("incident_id")
        .execute(),
      db
        .selectFrom("status_updates")
        .select(["incident_id", "created_at", "due_at"])
        .where("audience", "=", "external")
        .where("incident_id", "in", rangeIds())
        .orderBy("incident_id")
        .orderBy("created_at")
        .orderBy("id")
        .execute(),
      db
        .selectFrom("reviews")
        .select(["incident_id", "required", "status", "due_at", "held_at"])
        .where("incident_id", "in", rangeIds())
        .execute(),
      db
        .selectFrom("postmortems")
        .select(["incident_id", "published_at"])
        .where("incident_id", "in", rangeIds())
        .execute(),
      itemsDue.execute(),
    ]);

  const components = groupBy(componentRows, (r) => r.incident_id);
  const pages = new Map(pageRows.map((r) => [r.incident_id, r]));
  const updates = groupBy(updateRows, (r) => r.incident_id);
  const reviews = new Map(reviewRows.map((r) => [r.incident_id, r]));
  const postmortems = new Map(postmortemRows.map((r) => [r.incident_id, r.published_at]));

  const incidents: IncidentFacts[] = incidentRows.map((row) => {
    const page = pages.get(row.id);
    const review = reviews.get(row.id);
    return {
      id: row.id,
      severity: row.severity,
      drill: false,
      components: (components.get(row.id) ?? []).map((c) => c.component_id),
      team: null,
      detectedBy: row.detected_by,
      impactStartedAt: row.impact_started_at,
      declaredAt: row.declared_at,
      firstPageAt: time(page?.first_page),
      firstAckAt: time(page?.first_ack),
      externalUpdates: (updates.get(row.id) ?? []).map((u, i) => ({
        at: u.created_at,
        dueAt: i === 0 ? null : u.due_at,
      })),
      monitoringAt: row.monitoring_at,
      resolvedAt: row.resolved_at,
      review: review
        ? {
            required: readBool(review.required) && review.status !== "cancelled",
            dueAt: review.due_at,
            heldAt: review.held_at,
          }
        : null,
      postmortemPublishedAt: postmortems.get(row.id) ?? null,
      repeatOf: row.repeat_of,
    };
  });
  const actions: ActionItemFacts[] = itemRows.map((row) => ({
    id: row.id,
    incidentId: row.incident_id,
    owner: row.owner_id,
    team: row.team,
    createdAt: row.created_at,
    dueAt: row.due_at,
    closedAt: row.closed_at,
  }));
  return { incidents, actions };
}

/** min() of a time column: an ISO string on both stores (pg's parser), or null. */
function time(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(key(row));
    if (list) list.push(row);
    else out.set(key(row), [row]);
  }
  return out;
}

/** The values over a range, from the store: read the facts, then compute (definitions in model.ts). */
export async function measureValues(ctx: Pick<Ctx, "store">, query: MetricsQuery): Promise<ValuesReport> {
  const { incidents, actions } = await readFacts(ctx.store.db, query);
  return computeValues(incidents, actions, query);
}

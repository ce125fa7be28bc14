import type { UserSummary } from "../../auth/model.ts";
import type { Plan } from "../../plan/schema.ts";
import { notFound } from "../../shared/errors.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable, ReviewsTable } from "../../store/schema.ts";
import { readBool, readJson } from "../../store/values.ts";
import type { AttendeeRow, Review, ReviewChecklistItem } from "./model.ts";

/** Reading reviews' rows, and the people an incident involved. Only this module's verbs write them. */

export async function findReviewRow(db: Db, incidentId: string): Promise<ReviewsTable | undefined> {
  return db.selectFrom("reviews").selectAll().where("incident_id", "=", incidentId).executeTakeFirst();
}

export async function reviewRowOf(db: Db, incident: IncidentsTable): Promise<ReviewsTable> {
  const row = await findReviewRow(db, incident.id);
  if (!row) throw notFound(`The review of ${incident.reference}`);
  return row;
}

/** Severities whose incidents cannot be closed without the public-postmortem decision. */
export function decisionRequired(plan: Plan, severity: string): boolean {
  return (plan.review.decision_required_for ?? plan.review.required_for).includes(severity);
}

/** Who holds the incident's lead role now (the incident manager), if anyone. */
export async function leadHolder(db: Db, incidentId: string): Promise<UserSummary | null> {
  const row = await db
    .selectFrom("incident_roles")
    .innerJoin("users", "users.id", "incident_roles.holder_id")
    .select(["users.id", "users.email", "users.name"])
    .where("incident_roles.incident_id", "=", incidentId)
    .where("incident_roles.lead", "=", true)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Everyone who took part: whoever held a role at any time, the person who
 * declared it, the authors of its timeline, and `also` (the person resolving
 * it now). Disabled accounts are left out.
 */
export async function participants(
  db: Db,
  incident: IncidentsTable,
  also: Array<string | null> = [],
): Promise<AttendeeRow[]> {
  const [holders, authors] = await Promise.all([
    db
      .selectFrom("role_assignments")
      .select("user_id")
      .where("incident_id", "=", incident.id)
      .where("user_id", "is not", null)
      .execute(),
    db
      .selectFrom("timeline_entries")
      .select("author_id")
      .distinct()
      .where("incident_id", "=", incident.id)
      .where("author_id", "is not", null)
      .execute(),
  ]);
  const ids = new Set<string>();
  for (const id of [incident.declared_by, ...also]) if (id) ids.add(id);
  for (const h of holders) if (h.user_id) ids.add(h.user_id);
  for (const a of authors) if (a.author_id) ids.add(a.author_id);
  if (ids.size === 0) return [];
  const users = await db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("id", "in", [...ids])
    .where("disabled_at", "is", null)
    .execute();
  return users
    .map((u) => ({ userId: u.id, email: u.email, name: u.name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

export function attendeesOf(row: Pick<ReviewsTable, "attendees">): AttendeeRow[] {
  return readJson<AttendeeRow[]>(row.attendees);
}

export function checklistOf(row: Pick<ReviewsTable, "checklist">): ReviewChecklistItem[] {
  return readJson<ReviewChecklistItem[]>(row.checklist);
}

/** The review as the API returns it. */
export async function loadReview(
  db: Db,
  plan: Plan,
  row: ReviewsTable,
  incident: IncidentsTable,
  now: Date,
): Promise<Review> {
  const [lead, decider] = await Promise.all([
    leadHolder(db, incident.id),
    row.decided_by
      ? db
          .selectFrom("users")
          .select(["id", "email", "name"])
          .where("id", "=", row.decided_by)
          .executeTakeFirst()
      : undefined,
  ]);
  return assembleReview(plan, row, incident, lead, decider ?? null, now);
}

export type ReviewIncident = Pick<
  IncidentsTable,
  "id" | "reference" | "title" | "severity" | "status" | "resolved_at" | "closed_at"
>;

export function assembleReview(
  plan: Plan,
  row: ReviewsTable,
  incident: ReviewIncident,
  lead: UserSummary | null,
  decider: UserSummary | null,
  now: Date,
): Review {
  const publicPostmortem = row.public_postmortem === null ? null : readBool(row.public_postmortem);
  return {
    id: row.id,
    incident: {
      id: incident.id,
      reference: incident.reference,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      resolvedAt: incident.resolved_at,
      closedAt: incident.closed_at,
      lead,
    },
    status: row.status,
    required: readBool(row.required),
    dueAt: row.due_at,
    late: row.status === "scheduled" && now.getTime() > Date.parse(row.due_at),
    meetingAt: row.meeting_at,
    meetingMinutes: row.meeting_minutes,
    meetingUrl: row.meeting_url,
    attendees: attendeesOf(row).map((a) => ({ id: a.userId, email: a.email, name: a.name })),
    checklist: checklistOf(row),
    notes: row.notes,
    sequence: row.sequence,
    heldAt: row.held_at,
    decision:
      publicPostmortem === null || row.decided_at === null
        ? null
        : {
            publicPostmortem,
            reason: row.decision_reason ?? "",
            decidedBy: decider,
            decidedAt: row.decided_at,
          },
    decisionRequired: decisionRequired(plan, incident.severity),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

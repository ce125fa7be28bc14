import type { UserSummary } from "../auth/model.ts";
import type { Plan } from "../plan/schema.ts";
import { notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type {
  ChecklistItemsTable,
  IncidentComponentsTable,
  IncidentRolesTable,
  IncidentsTable,
  ReviewsTable,
  TimelineEntriesTable,
} from "../store/schema.ts";
import { readBool, readJson, writeJson } from "../store/values.ts";
import type { Incident, TimelineEntry } from "./model.ts";

/** Reading and writing incidents' rows. Only this file and the verbs' transactions touch the tables. */

const REFERENCE_PATTERN = /^inc-(\d{1,12})$/i;

/** Finds an incident row by id or by reference (INC-42, any case). */
export async function findIncidentRow(db: Db, idOrReference: string): Promise<IncidentsTable> {
  const match = REFERENCE_PATTERN.exec(idOrReference);
  const query = db.selectFrom("incidents").selectAll();
  const row = await (match
    ? query.where("number", "=", Number(match[1]))
    : query.where("id", "=", idOrReference)
  ).executeTakeFirst();
  if (!row) throw notFound(`Incident ${idOrReference}`);
  return row;
}

type UserRow = { id: string; email: string; name: string };

async function usersById(db: Db, ids: Array<string | null | undefined>): Promise<Map<string, UserSummary>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return new Map();
  const rows: UserRow[] = await db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("id", "in", wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, email: r.email, name: r.name }]));
}

export interface IncidentParts {
  row: IncidentsTable;
  components: Array<Pick<IncidentComponentsTable, "component_id" | "impact">>;
  roles: IncidentRolesTable[];
  checklist: ChecklistItemsTable[];
  finalFix: { id: string; confirmed_by: string | null } | undefined;
  users: Map<string, UserSummary>;
  /** The incident `row.repeat_of` names, when set. */
  repeatOf?: { id: string; reference: string } | null;
  /** Its post-incident review, when it has one. */
  review?: Pick<ReviewsTable, "status" | "due_at" | "meeting_at" | "public_postmortem"> | undefined;
}

/** The whole incident as the API returns it. */
export async function loadIncident(db: Db, row: IncidentsTable, plan: Plan): Promise<Incident> {
  const [components, roles, checklist, finalFix, repeatOf, review] = await Promise.all([
    db
      .selectFrom("incident_components")
      .select(["component_id", "impact"])
      .where("incident_id", "=", row.id)
      .orderBy("component_id")
      .execute(),
    db
      .selectFrom("incident_roles")
      .selectAll()
      .where("incident_id", "=", row.id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("checklist_items")
      .selectAll()
      .where("incident_id", "=", row.id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("timeline_entries")
      .select(["id", "confirmed_by"])
      .where("incident_id", "=", row.id)
      .where("kind", "=", "fix")
      .where("final", "=", true)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .executeTakeFirst(),
    row.repeat_of
      ? db
          .selectFrom("incidents")
          .select(["id", "reference"])
          .where("id", "=", row.repeat_of)
          .executeTakeFirst()
      : undefined,
    db
      .selectFrom("reviews")
      .select(["status", "due_at", "meeting_at", "public_postmortem"])
      .where("incident_id", "=", row.id)
      .executeTakeFirst(),
  ]);
  const users = await usersById(db, [
    row.declared_by,
    ...roles.map((r) => r.holder_id),
    ...checklist.map((c) => c.done_by),
  ]);
  return assembleIncident({ row, components, roles, checklist, finalFix, users, repeatOf, review }, plan);
}

/** Builds the API shape from rows; declare uses it on what it just wrote, without reading it back. */
export function assembleIncident(parts: IncidentParts, plan: Plan): Incident {
  const { row, users } = parts;
  const user = (id: string | null) => (id ? (users.get(id) ?? null) : null);
  const componentNames = new Map(plan.components.map((c) => [c.id, c.name]));
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    summary: row.summary,
    severity: row.severity,
    status: row.status,
    detectedBy: row.detected_by,
    criteria: readJson<string[]>(row.criteria),
    components: [...parts.components]
      .sort((a, b) => (a.component_id < b.component_id ? -1 : 1))
      .map((c) => ({
        id: c.component_id,
        name: componentNames.get(c.component_id) ?? c.component_id,
        impact: c.impact as Incident["components"][number]["impact"],
      })),
    impactStartedAt: row.impact_started_at,
    declaredAt: row.declared_at,
    identifiedAt: row.identified_at,
    monitoringAt: row.monitoring_at,
    resolvedAt: row.resolved_at,
    private: readBool(row.private),
    drill: readBool(row.drill),
    declaredBy: user(row.declared_by),
    roles: parts.roles.map((r) => ({
      roleId: r.role_id,
      name: r.name,
      lead: readBool(r.lead),
      holder: user(r.holder_id),
      assignedAt: r.assigned_at,
    })),
    checklist: parts.checklist.map((c) => ({
      id: c.id,
      roleId: c.role_id,
      text: c.text,
      done: readBool(c.done),
      doneBy: user(c.done_by),
      doneAt: c.done_at,
    })),
    finalFix: parts.finalFix
      ? { entryId: parts.finalFix.id, confirmed: parts.finalFix.confirmed_by !== null }
      : null,
    planVersion: row.plan_version,
    version: row.version,
    updatedAt: row.updated_at,
    repeatOf: parts.repeatOf ? { id: parts.repeatOf.id, reference: parts.repeatOf.reference } : null,
    closedAt: row.closed_at,
    review: parts.review
      ? {
          status: parts.review.status,
          dueAt: parts.review.due_at,
          meetingAt: parts.review.meeting_at,
          publicPostmortem:
            parts.review.public_postmortem === null ? null : readBool(parts.review.public_postmortem),
        }
      : null,
  };
}

export interface NewEntry {
  incidentId: string;
  kind: string;
  body: string;
  authorId: string | null;
  at: string;
  final?: boolean;
  confirmedBy?: string | null;
  data?: Record<string, unknown>;
}

/** Timeline rows for new entries. */
export function entryRows(entries: NewEntry[]): TimelineEntriesTable[] {
  return entries.map((entry) => ({
    id: newId(),
    incident_id: entry.incidentId,
    kind: entry.kind,
    body: entry.body,
    final: entry.final ?? false,
    confirmed_by: entry.confirmedBy ?? null,
    confirmed_at: entry.confirmedBy ? entry.at : null,
    author_id: entry.authorId,
    data: writeJson(entry.data ?? {}),
    created_at: entry.at,
  }));
}

/** Writes timeline entries; callers do it in the transaction of the change they record. */
export async function insertEntries(tx: Db, entries: NewEntry[]): Promise<string[]> {
  const rows = entryRows(entries);
  if (rows.length > 0) await tx.insertInto("timeline_entries").values(rows).execute();
  return rows.map((r) => r.id);
}

export async function insertEntry(tx: Db, entry: NewEntry): Promise<string> {
  const [id] = await insertEntries(tx, [entry]);
  return id!;
}

export async function listEntries(
  db: Db,
  incidentId: string,
  page: { after?: { createdAt: string; id: string } | undefined; limit: number; newestFirst?: boolean },
): Promise<TimelineEntry[]> {
  const direction = page.newestFirst ? "desc" : "asc";
  const beyond = page.newestFirst ? "<" : ">";
  let query = db
    .selectFrom("timeline_entries")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("created_at", direction)
    .orderBy("id", direction)
    .limit(page.limit);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", beyond, after.createdAt),
        eb.and([eb("created_at", "=", after.createdAt), eb("id", beyond, after.id)]),
      ]),
    );
  }
  return toEntries(db, await query.execute());
}

export async function getEntry(db: Db, incidentId: string, entryId: string): Promise<TimelineEntry> {
  const rows = await db
    .selectFrom("timeline_entries")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .where("id", "=", entryId)
    .execute();
  const [entry] = await toEntries(db, rows);
  if (!entry) throw notFound(`Timeline entry ${entryId}`);
  return entry;
}

async function toEntries(db: Db, rows: TimelineEntriesTable[]): Promise<TimelineEntry[]> {
  const users = await usersById(db, [...rows.map((r) => r.author_id), ...rows.map((r) => r.confirmed_by)]);
  const user = (id: string | null) => (id ? (users.get(id) ?? null) : null);
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind,
    body: r.body,
    final: readBool(r.final),
    confirmedBy: user(r.confirmed_by),
    confirmedAt: r.confirmed_at,
    author: user(r.author_id),
    data: readJson<Record<string, unknown>>(r.data),
    createdAt: r.created_at,
  }));
}

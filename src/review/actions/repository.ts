import type { ExpressionBuilder } from "kysely";
import { actorUserId, isAdmin } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { parseDuration } from "../../plan/duration.ts";
import type { Plan } from "../../plan/schema.ts";
import { type FieldIssue, invalid, notFound } from "../../shared/errors.ts";
import type { Db } from "../../store/open.ts";
import type { Database } from "../../store/schema.ts";
import type { ActionItem, ActionStatus } from "./model.ts";
import { OPEN_STATUSES } from "./model.ts";

/** Reading action items' rows, with their incident and people, as the API shows them. */

export function selectItems(db: Db) {
  return db
    .selectFrom("action_items as a")
    .innerJoin("incidents as i", "i.id", "a.incident_id")
    .leftJoin("users as o", "o.id", "a.owner_id")
    .leftJoin("users as c", "c.id", "a.created_by")
    .select([
      "a.id",
      "a.incident_id",
      "a.title",
      "a.owner_id",
      "a.team",
      "a.priority",
      "a.due_at",
      "a.status",
      "a.url",
      "a.created_at",
      "a.created_by",
      "a.updated_at",
      "a.closed_at",
      "a.version",
      "i.reference as incident_reference",
      "i.title as incident_title",
      "o.email as owner_email",
      "o.name as owner_name",
      "c.email as creator_email",
      "c.name as creator_name",
    ]);
}

export type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItems>["executeTakeFirstOrThrow"]>>;

/**
 * Only items of incidents the actor may see (src/incidents/access.ts): private
 * incidents' items are for admins, their declarer and their role holders.
 */
export function visibleItems(ctx: Ctx) {
  const userId = actorUserId(ctx.actor) ?? "";
  return (eb: ExpressionBuilder<Database & { i: Database["incidents"] }, "i">) =>
    isAdmin(ctx.actor)
      ? eb.lit(true)
      : eb.or([
          eb("i.private", "=", false),
          eb("i.declared_by", "=", userId),
          eb(
            "i.id",
            "in",
            eb
              .selectFrom("role_assignments")
              .select("role_assignments.incident_id")
              .where("role_assignments.user_id", "=", userId),
          ),
        ]);
}

export function priorityName(plan: Plan, id: string): string {
  return plan.action_items.priorities.find((p) => p.id === id)?.name ?? id;
}

export function toItem(row: ItemRow, plan: Plan, now: Date): ActionItem {
  const status = row.status as ActionStatus;
  return {
    id: row.id,
    incident: { id: row.incident_id, reference: row.incident_reference, title: row.incident_title },
    title: row.title,
    owner:
      row.owner_id && row.owner_email && row.owner_name
        ? { id: row.owner_id, email: row.owner_email, name: row.owner_name }
        : null,
    team: row.team,
    priority: row.priority,
    priorityName: priorityName(plan, row.priority),
    dueAt: row.due_at,
    status,
    overdue: isOverdue(status, row.due_at, now),
    url: row.url,
    createdAt: row.created_at,
    createdBy:
      row.created_by && row.creator_email && row.creator_name
        ? { id: row.created_by, email: row.creator_email, name: row.creator_name }
        : null,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    version: row.version,
  };
}

export function isOverdue(status: ActionStatus, dueAt: string | null, now: Date): boolean {
  return OPEN_STATUSES.includes(status) && dueAt !== null && Date.parse(dueAt) < now.getTime();
}

export async function findItemRow(db: Db, id: string): Promise<ItemRow> {
  const row = await selectItems(db).where("a.id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`Action item ${id}`);
  return row;
}

/** The plan's priority, or a refusal that lists them all with their default due times. */
export function planPriority(plan: Plan, id: string | undefined, path = "priority") {
  const priorities = plan.action_items.priorities;
  const found = id === undefined ? priorities[0] : priorities.find((p) => p.id === id);
  if (found) return found;
  const listed = priorities.map(
    (p) => `${p.id} (${p.name}${p.due_in ? `, due in ${p.due_in}` : ", no due date"})`,
  );
  throw invalid("The action item cannot be saved as given.", [
    {
      path,
      message: `"${id}" is not an action item priority of the plan`,
      hint: `use one of: ${listed.join(", ")}`,
    },
  ]);
}

/** When an item of this priority created at `createdAt` is due by default; null when the priority has no due_in. */
export function defaultDueAt(priority: { due_in?: string | undefined }, createdAt: string): string | null {
  return priority.due_in
    ? new Date(Date.parse(createdAt) + parseDuration(priority.due_in)).toISOString()
    : null;
}

/**
 * The owner named by id or email: an enabled account. `undefined` when
 * neither is given (no change), null for an explicit `ownerId: null`.
 */
export async function resolveOwner(
  db: Db,
  input: { ownerId?: string | null | undefined; ownerEmail?: string | undefined },
): Promise<string | null | undefined> {
  const issues: FieldIssue[] = [];
  if (input.ownerId !== undefined && input.ownerEmail !== undefined) {
    throw invalid("The action item cannot be saved as given.", [
      { path: "ownerEmail", message: "give the owner by id or by email, not both", hint: "leave one out" },
    ]);
  }
  if (input.ownerId === null) return null;
  if (input.ownerId === undefined && input.ownerEmail === undefined) return undefined;
  const query = db.selectFrom("users").select("id").where("disabled_at", "is", null);
  const user = await (input.ownerId !== undefined
    ? query.where("id", "=", input.ownerId)
    : query.where("email", "=", input.ownerEmail!.trim().toLowerCase())
  ).executeTakeFirst();
  if (user) return user.id;
  issues.push(
    input.ownerId !== undefined
      ? {
          path: "ownerId",
          message: `no active user has the id "${input.ownerId}"`,
          hint: "pick an owner from the users list",
        }
      : {
          path: "ownerEmail",
          message: `no active user has the email "${input.ownerEmail}"`,
          hint: "the owner needs an account here; an admin can add one",
        },
  );
  throw invalid("The action item cannot be saved as given.", issues);
}

import type { z } from "zod";
import { actorUserId } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { conflict, notFound } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { ActionItemsTable, IncidentsTable } from "../../store/schema.ts";
import type { ActionItem, CreateActionItemInput, UpdateActionItemInput } from "./model.ts";
import { isClosed } from "./model.ts";
import {
  defaultDueAt,
  findItemRow,
  type ItemRow,
  planPriority,
  priorityName,
  resolveOwner,
  toItem,
} from "./repository.ts";

/**
 * Adds an action item to an incident. Its priority is one of the plan's (the
 * first by default); without a due date it is due the priority's `due_in`
 * after now (none for a priority without one; an explicit null means none).
 * The incident's timeline records it in the same transaction.
 */
export async function createActionItem(
  ctx: Ctx,
  incidentRef: string,
  input: z.output<typeof CreateActionItemInput>,
): Promise<ActionItem> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const priority = planPriority(plan, input.priority);
  const ownerId = (await resolveOwner(ctx.store.db, input)) ?? null;
  const status = input.status ?? "open";
  const row: ActionItemsTable = {
    id: newId(),
    incident_id: "",
    title: input.title,
    owner_id: ownerId,
    team: input.team ?? null,
    priority: priority.id,
    due_at:
      input.dueAt === undefined
        ? defaultDueAt(priority, at)
        : input.dueAt && new Date(input.dueAt).toISOString(),
    status,
    url: input.url ?? null,
    created_at: at,
    created_by: actorUserId(ctx.actor),
    updated_at: at,
    closed_at: isClosed(status) ? at : null,
    version: 1,
  };
  const incident = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, incidentRef);
    row.incident_id = incident.id;
    await tx.insertInto("action_items").values(row).execute();
    await insertEntry(tx, {
      incidentId: incident.id,
      kind: "action_item_added",
      body: `Action item added: ${row.title} (${priority.name}${row.due_at ? `, due ${row.due_at.slice(0, 10)}` : ""}).`,
      authorId: row.created_by,
      at,
      data: { actionItemId: row.id, priority: row.priority, ownerId, dueAt: row.due_at },
    });
    return incident;
  });
  announce(ctx, incident, "action_item_added");
  return toItem(await findItemRow(ctx.store.db, row.id), plan, now);
}

/** The item, if its incident is visible to the actor; not found otherwise (private incidents do not leak). */
async function visibleItem(ctx: Ctx, id: string): Promise<{ item: ItemRow; incident: IncidentsTable }> {
  const item = await findItemRow(ctx.store.db, id);
  const incident = await visibleIncidentRow(ctx, ctx.store.db, item.incident_id).catch(() => {
    throw notFound(`Action item ${id}`);
  });
  return { item, incident };
}

function checkVersion(item: ItemRow, expected: number | undefined): void {
  if (expected !== undefined && item.version !== expected) {
    throw conflict(
      `The action item changed since you read it (you had version ${expected}, it is now ${item.version}): reload and try again.`,
    );
  }
}

export async function getActionItem(ctx: Ctx, id: string): Promise<ActionItem> {
  const { item } = await visibleItem(ctx, id);
  return toItem(item, ctx.plans.current().plan, ctx.clock.now());
}

/**
 * Changes an item. Closing it (done, won't do) sets closedAt, reopening clears
 * it, and both go on the incident's timeline. A new priority moves the due
 * date to the new priority's default when the date was still the old one's
 * default (a date set by hand stays). Conditional on the version read.
 */
export async function updateActionItem(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateActionItemInput>,
  expected: number | undefined,
): Promise<ActionItem> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const { item, incident } = await visibleItem(ctx, id);
  checkVersion(item, expected);

  const changes: Partial<ActionItemsTable> = {};
  if (input.title !== undefined) changes.title = input.title;
  const ownerId = await resolveOwner(ctx.store.db, input);
  if (ownerId !== undefined) changes.owner_id = ownerId;
  if (input.team !== undefined) changes.team = input.team;
  if (input.url !== undefined) changes.url = input.url;
  if (input.priority !== undefined && input.priority !== item.priority) {
    const next = planPriority(plan, input.priority);
    changes.priority = next.id;
    const old = plan.action_items.priorities.find((p) => p.id === item.priority);
    const wasDefault = old !== undefined && item.due_at === defaultDueAt(old, item.created_at);
    if (input.dueAt === undefined && wasDefault) changes.due_at = defaultDueAt(next, item.created_at);
  }
  if (input.dueAt !== undefined) changes.due_at = input.dueAt && new Date(input.dueAt).toISOString();

  const before = item.status as ActionItem["status"];
  const status = input.status ?? before;
  const transition = isClosed(status) === isClosed(before) ? null : isClosed(status) ? "closed" : "reopened";
  if (input.status !== undefined) changes.status = status;
  if (transition === "closed") changes.closed_at = at;
  if (transition === "reopened") changes.closed_at = null;

  await ctx.store.transaction(async (tx) => {
    const result = await tx
      .updateTable("action_items")
      .set({ ...changes, updated_at: at, version: item.version + 1 })
      .where("id", "=", item.id)
      .where("version", "=", item.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw conflict("The action item was changed by someone else at the same time: reload and try again.");
    }
    if (transition) {
      const title = changes.title ?? item.title;
      await insertEntry(tx, {
        incidentId: item.incident_id,
        kind: transition === "closed" ? "action_item_closed" : "action_item_reopened",
        body:
          transition === "closed"
            ? `Action item ${status === "done" ? "done" : "closed as won't do"}: ${title}.`
            : `Action item reopened: ${title}.`,
        authorId: actorUserId(ctx.actor),
        at,
        data: { actionItemId: item.id, status, priority: changes.priority ?? item.priority },
      });
    }
  });
  if (transition)
    announce(ctx, incident, transition === "closed" ? "action_item_closed" : "action_item_reopened");
  return toItem(await findItemRow(ctx.store.db, item.id), plan, now);
}

/** Removes an item (one added by mistake); the timeline keeps a line saying so. */
export async function deleteActionItem(ctx: Ctx, id: string, expected: number | undefined): Promise<void> {
  const { plan } = ctx.plans.current();
  const at = ctx.clock.now().toISOString();
  const { item, incident } = await visibleItem(ctx, id);
  checkVersion(item, expected);
  await ctx.store.transaction(async (tx) => {
    const result = await tx
      .deleteFrom("action_items")
      .where("id", "=", item.id)
      .where("version", "=", item.version)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) {
      throw conflict("The action item was changed by someone else at the same time: reload and try again.");
    }
    await insertEntry(tx, {
      incidentId: item.incident_id,
      kind: "action_item_removed",
      body: `Action item removed: ${item.title} (${priorityName(plan, item.priority)}).`,
      authorId: actorUserId(ctx.actor),
      at,
      data: { actionItemId: item.id },
    });
  });
  announce(ctx, incident, "action_item_removed");
}

import { sql } from "kysely";
import type { z } from "zod";
import { actorUserId } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { invalid } from "../../shared/errors.ts";
import type { ActionItem, ListActionItemsQuery } from "./model.ts";
import { ACTION_STATUSES, OPEN_STATUSES } from "./model.ts";
import { selectItems, toItem, visibleItems } from "./repository.ts";

/** An incident's action items, oldest first. */
export async function listIncidentActionItems(ctx: Ctx, incidentRef: string): Promise<ActionItem[]> {
  const db = ctx.store.db;
  const incident = await visibleIncidentRow(ctx, db, incidentRef);
  const rows = await selectItems(db)
    .where("a.incident_id", "=", incident.id)
    .orderBy("a.created_at")
    .orderBy("a.id")
    .execute();
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  return rows.map((row) => toItem(row, plan, now));
}

/**
 * Action items across incidents, soonest due first (those without a due date
 * last): one owner's (`me`, a user id, or `none`), one team's, by status, and
 * `overdue=true` for those still open past their due date. Only items of
 * incidents the caller may see. `truncated` says more matched than `limit`.
 */
export async function listActionItems(
  ctx: Ctx,
  query: z.output<typeof ListActionItemsQuery>,
): Promise<{ items: ActionItem[]; truncated: boolean }> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  let q = selectItems(db).where(visibleItems(ctx));
  if (query.owner === "me") {
    const me = actorUserId(ctx.actor);
    if (!me) {
      throw invalid("Only a person has action items of their own.", [
        { path: "owner", message: "owner=me needs a signed-in user", hint: "pass a user id instead" },
      ]);
    }
    q = q.where("a.owner_id", "=", me);
  } else if (query.owner === "none") {
    q = q.where("a.owner_id", "is", null);
  } else if (query.owner !== undefined) {
    q = q.where("a.owner_id", "=", query.owner);
  }
  if (query.team !== undefined) q = q.where("a.team", "=", query.team);
  const statuses =
    query.overdue === "true" || query.status === "active"
      ? OPEN_STATUSES
      : query.status === "closed"
        ? ACTION_STATUSES.filter((s) => !OPEN_STATUSES.includes(s))
        : query.status === "all"
          ? null
          : [query.status];
  if (statuses) q = q.where("a.status", "in", statuses);
  if (query.overdue === "true") q = q.where("a.due_at", "<", now.toISOString());
  if (query.overdue === "false") {
    q = q.where((eb) => eb.or([eb("a.due_at", "is", null), eb("a.due_at", ">=", now.toISOString())]));
  }
  const rows = await q
    .orderBy(sql`case when a.due_at is null then 1 else 0 end`)
    .orderBy("a.due_at")
    .orderBy("a.id")
    .limit(query.limit + 1)
    .execute();
  const { plan } = ctx.plans.current();
  return {
    items: rows.slice(0, query.limit).map((row) => toItem(row, plan, now)),
    truncated: rows.length > query.limit,
  };
}

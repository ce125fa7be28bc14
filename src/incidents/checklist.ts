import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { notFound } from "../shared/errors.ts";
import { readBool } from "../store/values.ts";
import { visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import type { ChecklistItem } from "./model.ts";
import { insertEntry, loadIncident } from "./repository.ts";

/** Ticks or unticks one item of a role's checklist; setting the state it already has changes nothing. */
export async function setChecklistItem(
  ctx: Ctx,
  idOrReference: string,
  itemId: string,
  done: boolean,
): Promise<ChecklistItem> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const incidentId = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    const item = await tx
      .selectFrom("checklist_items")
      .selectAll()
      .where("id", "=", itemId)
      .where("incident_id", "=", row.id)
      .executeTakeFirst();
    if (!item) throw notFound(`Checklist item ${itemId} on ${row.reference}`);
    if (readBool(item.done) === done) return row.id;
    // Conditional on the state we read: of two people ticking at once, one records it.
    const result = await tx
      .updateTable("checklist_items")
      .set({ done, done_by: done ? userId : null, done_at: done ? now : null })
      .where("id", "=", itemId)
      .where("done", "=", !done)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await insertEntry(tx, {
        incidentId: row.id,
        kind: "checklist",
        body: `${done ? "Done" : "Not done any more"}: ${item.text}`,
        authorId: userId,
        at: now,
        data: { itemId, roleId: item.role_id, done },
      });
    }
    return row.id;
  });
  const row = await visibleIncidentRow(ctx, ctx.store.db, incidentId);
  const incident = await loadIncident(ctx.store.db, row, ctx.plans.current().plan);
  announce(ctx, incident, "checklist");
  return incident.checklist.find((i) => i.id === itemId)!;
}

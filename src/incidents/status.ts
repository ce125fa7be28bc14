import type { z } from "zod";
import { actorUserId, isAdmin } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { stopPaging } from "../oncall/paging/index.ts";
import { openRequiredReview } from "../review/reviews/open.ts";
import { forbidden, invalid } from "../shared/errors.ts";
import { syncStatusPage } from "../statuspage/sync.ts";
import type { IncidentsTable } from "../store/schema.ts";
import { bumpVersion, checkExpectedVersion, visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import { type Incident, STATUSES, type Status, type StatusInput } from "./model.ts";
import { findIncidentRow, insertEntry, loadIncident } from "./repository.ts";

const RANK: Record<Status, number> = { investigating: 0, identified: 1, monitoring: 2, resolved: 3 };

/**
 * Moves an incident through investigating → identified → monitoring → resolved.
 * Forward skips are allowed; moving back (reopening a resolved incident, or
 * monitoring back to investigating when the fix did not hold) is allowed and
 * recorded. Resolving needs a final fix confirmed by the incident manager, or
 * an override with a reason by the incident manager or an admin.
 */
export async function changeStatus(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof StatusInput>,
  expectedVersion?: number,
): Promise<Incident> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { id, kind, reviewOpened } = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    checkExpectedVersion(row, expectedVersion);
    const from = row.status;
    const to = input.status;
    if (row.closed_at) {
      throw invalid(`${row.reference} is closed and cannot be reopened.`, [
        {
          path: "status",
          message: "the incident is closed",
          hint: "if the trouble is back, declare a new incident",
        },
      ]);
    }
    if (from === to) {
      throw invalid(`${row.reference} is already ${to}.`, [
        { path: "status", message: `already ${to}`, hint: `choose another of: ${STATUSES.join(", ")}` },
      ]);
    }

    let override = false;
    if (to === "resolved") {
      const lead = await tx
        .selectFrom("incident_roles")
        .select(["holder_id", "name"])
        .where("incident_id", "=", row.id)
        .where("lead", "=", true)
        .executeTakeFirst();
      const confirmed = await tx
        .selectFrom("timeline_entries")
        .select("id")
        .where("incident_id", "=", row.id)
        .where("kind", "=", "fix")
        .where("final", "=", true)
        .where("confirmed_by", "is not", null)
        .executeTakeFirst();
      if (!confirmed) {
        if (!input.override) {
          throw invalid(`${row.reference} cannot be resolved yet: no final fix has been confirmed.`, [
            {
              path: "status",
              message: `resolving needs a final fix confirmed by the ${lead?.name ?? "incident manager"}`,
              hint: "log a fix with final: true as the incident manager (or have them confirm one), or resolve with override: true and a reason",
            },
          ]);
        }
        const isLead = lead?.holder_id != null && lead.holder_id === userId;
        if (!isLead && !isAdmin(ctx.actor)) {
          throw forbidden(
            `Only the ${lead?.name ?? "incident manager"} or an admin can resolve without a confirmed final fix.`,
          );
        }
        if (!input.reason || input.reason.length < 3) {
          throw invalid("An override needs a reason.", [
            {
              path: "reason",
              message: "required with override",
              hint: "say why the incident is resolved without a confirmed final fix",
            },
          ]);
        }
        override = true;
      }
    }

    const changes: Partial<IncidentsTable> = { status: to };
    if (RANK[to] >= RANK.identified && !row.identified_at) changes.identified_at = now;
    if (RANK[to] >= RANK.monitoring && !row.monitoring_at) changes.monitoring_at = now;
    if (to === "resolved") changes.resolved_at = now;
    if (from === "resolved") changes.resolved_at = null;
    await bumpVersion(tx, row, now, changes);

    // Before the status entry, so the timeline ends with the resolution itself.
    if (to === "resolved") await stopPaging(tx, row.id, now, userId);
    // The plan's severities that need a review open it now, with its invites queued.
    const reviewOpened = to === "resolved" && (await openRequiredReview(ctx, tx, row, now));
    const reopened = from === "resolved";
    const kind = reopened ? "reopened" : "status_changed";
    const words = reopened ? `Reopened ${row.reference} as ${to}` : `Status changed from ${from} to ${to}`;
    await insertEntry(tx, {
      incidentId: row.id,
      kind,
      body: `${words}${override ? " without a confirmed final fix (override)" : ""}${input.reason ? `: ${input.reason}` : "."}`,
      authorId: userId,
      at: now,
      data: {
        from,
        to,
        ...(override ? { override: true } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    await syncStatusPage(ctx, tx, now);
    return { id: row.id, kind, reviewOpened };
  });
  if (reviewOpened) ctx.comms.poke();
  const incident = await loadIncident(
    ctx.store.db,
    await findIncidentRow(ctx.store.db, id),
    ctx.plans.current().plan,
  );
  announce(ctx, incident, kind);
  return incident;
}

import { actorUserId } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { bumpVersion, checkExpectedVersion, visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import type { Incident } from "../../incidents/model.ts";
import { findIncidentRow, insertEntry, loadIncident } from "../../incidents/repository.ts";
import { invalid } from "../../shared/errors.ts";
import { decisionRequired, findReviewRow } from "./repository.ts";

/**
 * Closes a resolved incident: the record is done. Where the plan requires the
 * public-postmortem decision for the severity (`review.decision_required_for`,
 * by default the severities that need a review), it must be recorded first. A
 * closed incident cannot be reopened (changeStatus refuses): if the trouble
 * comes back, it is a new incident.
 */
export async function closeIncident(
  ctx: Ctx,
  idOrReference: string,
  expectedVersion?: number,
): Promise<Incident> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { plan } = ctx.plans.current();
  const row = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    checkExpectedVersion(row, expectedVersion);
    if (row.closed_at) {
      throw invalid(`${row.reference} is already closed.`, [
        { path: "closedAt", message: `closed at ${row.closed_at}`, hint: "nothing to do" },
      ]);
    }
    if (row.status !== "resolved") {
      throw invalid(`${row.reference} cannot be closed while it is ${row.status}.`, [
        { path: "status", message: `is ${row.status}`, hint: "resolve the incident first, then close it" },
      ]);
    }
    if (decisionRequired(plan, row.severity)) {
      const review = await findReviewRow(tx, row.id);
      if (review?.public_postmortem == null) {
        const severity = plan.severities.find((s) => s.id === row.severity)?.name ?? row.severity;
        const path = `/api/v1/incidents/${row.reference}/review/decision`;
        throw invalid(
          `${row.reference} cannot be closed yet: ${severity} incidents need the public postmortem decision first.`,
          [
            {
              path: "review.decision",
              message: "the public postmortem decision is not recorded",
              hint: review
                ? `record the public postmortem decision first: POST ${path} with publicPostmortem and reason (the incident manager or an admin)`
                : `open a review (POST /api/v1/incidents/${row.reference}/review), then record the public postmortem decision first: POST ${path}`,
            },
          ],
        );
      }
    }
    await bumpVersion(tx, row, now, { closed_at: now, closed_by: userId });
    await insertEntry(tx, {
      incidentId: row.id,
      kind: "closed",
      body: `Closed ${row.reference}.`,
      authorId: userId,
      at: now,
      data: {},
    });
    return row;
  });
  const incident = await loadIncident(ctx.store.db, await findIncidentRow(ctx.store.db, row.id), plan);
  announce(ctx, incident, "closed");
  return incident;
}

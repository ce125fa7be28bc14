import type { z } from "zod";
import { actorUserId, isAdmin } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { forbidden, invalid, notFound } from "../../shared/errors.ts";
import type { DecisionInput, Review } from "./model.ts";
import { findReviewRow, leadHolder, loadReview } from "./repository.ts";
import { checkReviewVersion, saveReview } from "./update.ts";

/**
 * "Decide if a public post-mortem is needed": the incident manager (the lead
 * role's holder now) or an admin records yes or no, with a reason. It can be
 * changed until the incident is closed; each decision is on the timeline.
 */
export async function recordDecision(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof DecisionInput>,
  expectedVersion?: number,
): Promise<Review> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { plan } = ctx.plans.current();
  const { incident, row } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const lead = await leadHolder(tx, incident.id);
    const leadName = plan.roles.find((r) => r.lead)?.name ?? "incident manager";
    if (!isAdmin(ctx.actor) && (userId === null || lead?.id !== userId)) {
      throw forbidden(
        `Only the ${leadName}${lead ? ` (${lead.name} on ${incident.reference})` : ""} or an admin can decide on a public postmortem.`,
      );
    }
    const row = await findReviewRow(tx, incident.id);
    if (!row) {
      throw notFound(
        `The review of ${incident.reference} (open one first: POST /api/v1/incidents/${incident.reference}/review)`,
      );
    }
    checkReviewVersion(incident, row, expectedVersion);
    if (incident.closed_at) {
      throw invalid(`${incident.reference} is closed; its decision stands.`, [
        {
          path: "publicPostmortem",
          message: "the incident is closed",
          hint: "decisions are recorded before closing",
        },
      ]);
    }
    const saved = await saveReview(
      tx,
      incident,
      row,
      {
        public_postmortem: input.publicPostmortem,
        decision_reason: input.reason,
        decided_by: userId,
        decided_at: now,
      },
      now,
    );
    await insertEntry(tx, {
      incidentId: incident.id,
      kind: "review_decision",
      body: `Public postmortem: ${input.publicPostmortem ? "yes" : "no"} — ${input.reason}`,
      authorId: userId,
      at: now,
      data: { reviewId: row.id, publicPostmortem: input.publicPostmortem, reason: input.reason },
    });
    return { incident, row: saved };
  });
  announce(ctx, incident, "review_decision");
  return loadReview(ctx.store.db, plan, row, incident, ctx.clock.now());
}

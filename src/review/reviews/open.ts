import { actorUserId } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { enqueue } from "../../jobs/queue.ts";
import { conflict } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable, ReviewsTable } from "../../store/schema.ts";
import { writeJson } from "../../store/values.ts";
import { reviewSchedule } from "./business-days.ts";
import { inviteJobs } from "./jobs.ts";
import type { Review } from "./model.ts";
import { findReviewRow, loadReview, participants } from "./repository.ts";
import { reviewEmailChannel } from "./send.ts";
import { dueInWords, meetingInWords } from "./words.ts";

/**
 * "Hold a post-incident review meeting": resolving an incident whose severity
 * the plan's `review.required_for` names opens its review, in the resolving
 * transaction. Reopening keeps the review; resolving again does not open a
 * second one. Returns whether one was opened (its invites are queued).
 */
export async function openRequiredReview(
  ctx: Ctx,
  tx: Db,
  incident: IncidentsTable,
  resolvedAt: string,
): Promise<boolean> {
  const { plan } = ctx.plans.current();
  if (!plan.review.required_for.includes(incident.severity)) return false;
  if (await findReviewRow(tx, incident.id)) return false;
  await insertReview(ctx, tx, incident, { required: true, from: resolvedAt });
  return true;
}

/**
 * Opens a review by hand, for any incident. It counts from the resolution
 * (or from now for an incident still open) and is `required` only when the
 * plan requires one for the incident's severity anyway.
 */
export async function openReview(ctx: Ctx, idOrReference: string): Promise<Review> {
  const now = ctx.clock.now().toISOString();
  const { plan } = ctx.plans.current();
  const { row, incident } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    if (await findReviewRow(tx, incident.id)) {
      throw conflict(`${incident.reference} already has a review: change it with PATCH …/review.`);
    }
    const row = await insertReview(ctx, tx, incident, {
      required: plan.review.required_for.includes(incident.severity),
      from: incident.resolved_at ?? now,
    });
    return { row, incident };
  });
  ctx.comms.poke();
  announce(ctx, incident, "review_opened");
  return loadReview(ctx.store.db, plan, row, incident, ctx.clock.now());
}

async function insertReview(
  ctx: Ctx,
  tx: Db,
  incident: IncidentsTable,
  options: { required: boolean; from: string },
): Promise<ReviewsTable> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now().toISOString();
  const zone = plan.organization.timezone;
  const schedule = reviewSchedule({ resolvedAt: options.from, rules: plan.review, timezone: zone });
  const attendees = await participants(tx, incident, [actorUserId(ctx.actor)]);
  const row: ReviewsTable = {
    id: newId(),
    incident_id: incident.id,
    status: "scheduled",
    required: options.required,
    due_at: schedule.dueAt,
    meeting_at: schedule.meetingAt,
    meeting_minutes: schedule.meetingMinutes,
    meeting_url: plan.review.meeting_url ?? null,
    attendees: writeJson(attendees),
    checklist: writeJson(plan.review.checklist.map((text) => ({ text, done: false }))),
    notes: null,
    sequence: 0,
    held_at: null,
    public_postmortem: null,
    decision_reason: null,
    decided_by: null,
    decided_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await tx.insertInto("reviews").values(row).execute();
  const jobs = inviteJobs(ctx, row, now);
  await enqueue(tx, jobs, now);
  const invites = reviewEmailChannel(plan)
    ? `invites sent to ${attendees.length} ${attendees.length === 1 ? "person" : "people"}`
    : "no invites: the plan has no email channel";
  await insertEntry(tx, {
    incidentId: incident.id,
    kind: "review_opened",
    body: `Review opened, due ${dueInWords(schedule.dueAt, zone)}; meeting ${meetingInWords(schedule.meetingAt, schedule.meetingMinutes, zone)} (${invites}).`,
    authorId: actorUserId(ctx.actor),
    at: now,
    data: {
      reviewId: row.id,
      required: options.required,
      dueAt: schedule.dueAt,
      meetingAt: schedule.meetingAt,
      attendees: attendees.map((a) => a.userId),
    },
  });
  return row;
}

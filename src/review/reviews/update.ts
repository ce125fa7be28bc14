import type { z } from "zod";
import { actorUserId } from "../../auth/model.ts";
import type { Ctx } from "../../context.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntries, type NewEntry } from "../../incidents/repository.ts";
import { enqueue } from "../../jobs/queue.ts";
import { conflict, type FieldIssue, invalid } from "../../shared/errors.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable, ReviewsTable } from "../../store/schema.ts";
import { writeJson } from "../../store/values.ts";
import { inviteJobs } from "./jobs.ts";
import type { Review, UpdateReviewInput } from "./model.ts";
import { checklistOf, loadReview, reviewRowOf } from "./repository.ts";
import { meetingInWords } from "./words.ts";

/** Reads an incident's review. */
export async function getReview(ctx: Ctx, idOrReference: string): Promise<Review> {
  const db = ctx.store.db;
  const incident = await visibleIncidentRow(ctx, db, idOrReference);
  const row = await reviewRowOf(db, incident);
  return loadReview(db, ctx.plans.current().plan, row, incident, ctx.clock.now());
}

/** The If-Match check for reviews: a client that read version N may only change version N. */
export function checkReviewVersion(
  incident: IncidentsTable,
  row: ReviewsTable,
  expected: number | undefined,
) {
  if (expected !== undefined && row.version !== expected) {
    throw conflict(
      `The review of ${incident.reference} changed since you read it (you had version ${expected}, it is now ${row.version}): reload and try again.`,
    );
  }
}

/** Writes the review's changes only if nobody else changed it since it was read. */
export async function saveReview(
  tx: Db,
  incident: IncidentsTable,
  row: ReviewsTable,
  changes: Partial<ReviewsTable>,
  now: string,
): Promise<ReviewsTable> {
  const next = { ...row, ...changes, version: row.version + 1, updated_at: now };
  const result = await tx
    .updateTable("reviews")
    .set({ ...changes, version: next.version, updated_at: now })
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw conflict(
      `The review of ${incident.reference} was changed by someone else at the same time: reload and try again.`,
    );
  }
  return next;
}

/**
 * Moves the meeting (the invite goes out again with SEQUENCE + 1), records
 * notes and checklist ticks, and marks the review held or cancelled (a
 * cancellation goes to the attendees' calendars too) or scheduled again.
 */
export async function updateReview(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof UpdateReviewInput>,
  expectedVersion?: number,
): Promise<Review> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { plan } = ctx.plans.current();
  const zone = plan.organization.timezone;
  const { incident, row, resend } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const row = await reviewRowOf(tx, incident);
    checkReviewVersion(incident, row, expectedVersion);
    const status = input.status ?? row.status;
    const issues: FieldIssue[] = [];
    const changes: Partial<ReviewsTable> = {};
    const entries: NewEntry[] = [];
    const entry = (kind: string, body: string, data: Record<string, unknown> = {}) =>
      entries.push({
        incidentId: incident.id,
        kind,
        body,
        authorId: userId,
        at: now,
        data: { reviewId: row.id, ...data },
      });

    const meetingAt = input.meetingAt === undefined ? undefined : new Date(input.meetingAt).toISOString();
    const minutes = input.meetingMinutes;
    const moved =
      (meetingAt !== undefined && meetingAt !== row.meeting_at) ||
      (minutes !== undefined && minutes !== row.meeting_minutes);
    if (moved && status !== "scheduled") {
      issues.push({
        path: input.meetingAt !== undefined ? "meetingAt" : "meetingMinutes",
        message: `the review is ${status}`,
        hint: "only a scheduled review's meeting can move; set status: scheduled to schedule it again",
      });
    }

    const checklist = checklistOf(row);
    let ticked = false;
    for (const [i, item] of (input.checklist ?? []).entries()) {
      const current = checklist[item.index];
      if (!current) {
        issues.push({
          path: `checklist.${i}.index`,
          message: `there is no item ${item.index}`,
          hint: `the checklist has items 0 to ${checklist.length - 1}`,
        });
        continue;
      }
      if (current.done === item.done) continue;
      checklist[item.index] = { ...current, done: item.done };
      ticked = true;
      entry("review_checklist", `${item.done ? "Ticked" : "Unticked"} on the review: ${current.text}`, {
        index: item.index,
        done: item.done,
      });
    }
    if (input.heldAt !== undefined && status !== "held") {
      issues.push({ path: "heldAt", message: "only with status: held", hint: "send status: held with it" });
    }
    const heldAt = input.heldAt === undefined ? now : new Date(input.heldAt).toISOString();
    if (status === "held" && input.heldAt !== undefined && Date.parse(heldAt) > Date.parse(now)) {
      issues.push({ path: "heldAt", message: "is in the future", hint: "mark it held once it has happened" });
    }
    if (issues.length)
      throw invalid(`The review of ${incident.reference} cannot be changed as given.`, issues);

    if (ticked) changes.checklist = writeJson(checklist);
    if (input.notes !== undefined && input.notes !== row.notes) {
      changes.notes = input.notes;
      entry("review_notes", "Review notes updated.");
    }
    let resend = false;
    if (moved) {
      changes.meeting_at = meetingAt ?? row.meeting_at;
      changes.meeting_minutes = minutes ?? row.meeting_minutes;
      changes.sequence = row.sequence + 1;
      resend = true;
      entry(
        "review_moved",
        `Review meeting moved to ${meetingInWords(changes.meeting_at, changes.meeting_minutes, zone)}; invites sent again.`,
        {
          meetingAt: changes.meeting_at,
          meetingMinutes: changes.meeting_minutes,
          sequence: changes.sequence,
        },
      );
    }
    if (status !== row.status) {
      changes.status = status;
      changes.held_at = status === "held" ? heldAt : null;
      if (status === "held") entry("review_held", "Review held.", { heldAt });
      else if (status === "cancelled")
        entry("review_cancelled", "Review cancelled; the invites are withdrawn.");
      else entry("review_scheduled", "Review scheduled again.");
      // Calendars hear of a cancellation, and of a cancelled meeting coming back.
      if (status === "cancelled" || row.status === "cancelled") {
        changes.sequence = (changes.sequence ?? row.sequence) + (moved ? 0 : 1);
        resend = true;
      }
    } else if (status === "held" && input.heldAt !== undefined && heldAt !== row.held_at) {
      changes.held_at = heldAt;
    }
    if (Object.keys(changes).length === 0) return { incident, row, resend: false };
    const saved = await saveReview(tx, incident, row, changes, now);
    await insertEntries(tx, entries);
    if (resend) await enqueue(tx, inviteJobs(ctx, saved, now), now);
    return { incident, row: saved, resend };
  });
  if (resend) ctx.comms.poke();
  announce(ctx, incident, "review_changed");
  return loadReview(ctx.store.db, plan, row, incident, ctx.clock.now());
}

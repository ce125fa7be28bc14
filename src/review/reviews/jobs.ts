import type { Ctx } from "../../context.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { enqueue, type NewJob } from "../../jobs/queue.ts";
import { SHORT_RETRIES, STANDARD_WEBHOOKS_RETRIES } from "../../jobs/retry.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { parseDuration } from "../../plan/duration.ts";
import { DAY } from "../../shared/zone.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable, ReviewsTable } from "../../store/schema.ts";
import { reviewInvite } from "./invite.ts";
import { attendeesOf, checklistOf, leadHolder } from "./repository.ts";
import { incidentUrl, reviewEmailChannel, type SendDeps, sendReviewEmail } from "./send.ts";
import { dueInWords, meetingInWords } from "./words.ts";

/**
 * The review's background work: an invite to each attendee whenever the
 * meeting is set, moved or cancelled (one job per person and SEQUENCE, queued
 * in the transaction of the change), and reminders before the review is due
 * and each day it is late, queued by checkReviews.
 */
export const REVIEW_INVITE_JOB = "sendReviewInvite";
export const REVIEW_REMINDER_JOB = "remindReview";

interface InvitePayload {
  reviewId: string;
  sequence: number;
  userId: string;
}

interface ReminderPayload {
  reviewId: string;
  stage: string;
  userId: string;
}

/** The invite jobs for every attendee at the review's current SEQUENCE (none without an email channel). */
export function inviteJobs(
  ctx: Pick<Ctx, "plans">,
  review: Pick<ReviewsTable, "id" | "sequence" | "attendees">,
  now: string,
): NewJob[] {
  if (!reviewEmailChannel(ctx.plans.current().plan)) return [];
  return attendeesOf(review).map((a) => ({
    kind: REVIEW_INVITE_JOB,
    payload: { reviewId: review.id, sequence: review.sequence, userId: a.userId } satisfies InvitePayload,
    runAt: now,
    uniqueKey: `review-invite:${review.id}:${review.sequence}:${a.userId}`,
  }));
}

async function reviewAndIncident(
  db: Db,
  reviewId: string,
): Promise<{ review: ReviewsTable; incident: IncidentsTable } | undefined> {
  const review = await db.selectFrom("reviews").selectAll().where("id", "=", reviewId).executeTakeFirst();
  if (!review) return undefined;
  const incident = await db
    .selectFrom("incidents")
    .selectAll()
    .where("id", "=", review.incident_id)
    .executeTakeFirstOrThrow();
  return { review, incident };
}

async function recipient(db: Db, userId: string) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name"])
    .where("id", "=", userId)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}

export function reviewHandlers(deps: SendDeps): JobHandler<never>[] {
  return [inviteHandler(deps), reminderHandler(deps)] as JobHandler<never>[];
}

function inviteHandler(deps: SendDeps): JobHandler<InvitePayload> {
  return {
    kind: REVIEW_INVITE_JOB,
    retry: STANDARD_WEBHOOKS_RETRIES,
    async run(job) {
      const found = await reviewAndIncident(deps.store.db, job.payload.reviewId);
      // A newer invite (the meeting moved again) replaces this one.
      if (!found || found.review.sequence !== job.payload.sequence) return;
      const { review, incident } = found;
      if (review.status === "held") return;
      const user = await recipient(deps.store.db, job.payload.userId);
      if (!user) return;
      const { plan } = deps.plans.current();
      const zone = plan.organization.timezone;
      const cancelled = review.status === "cancelled";
      const link = incidentUrl(deps.publicUrl, incident.reference);
      const what = `the post-incident review of ${incident.reference} (${incident.title})`;
      const when = meetingInWords(review.meeting_at, review.meeting_minutes, zone);
      const attendees = attendeesOf(review);
      const text = cancelled
        ? [`The meeting for ${what} on ${when} is cancelled.`, "", `Incident: ${link}`].join("\n")
        : [
            `${review.sequence > 0 ? "The meeting has moved. " : ""}You are invited to ${what}.`,
            "",
            `When: ${when}`,
            ...(review.meeting_url ? [`Where: ${review.meeting_url}`] : []),
            `Due: ${dueInWords(review.due_at, zone)}`,
            `Incident: ${link}`,
            `Review: ${link}/review`,
            "",
            "We will work through:",
            ...checklistOf(review).map((item) => `- ${item.text}`),
            "",
            `Invited: ${attendees.map((a) => a.name).join(", ")}`,
            "",
            "The review is blameless: it looks at systems and decisions, not at people.",
          ].join("\n");
      const subject = `${cancelled ? "Cancelled" : review.sequence > 0 ? "Moved" : "Invitation"}: post-incident review of ${incident.reference} ${incident.title}`;
      await sendReviewEmail(deps, plan, incident, {
        to: user.email,
        subject,
        text,
        deliveryId: job.id,
        calendar: (organizer) => {
          const method = cancelled ? "CANCEL" : "REQUEST";
          return {
            method,
            content: reviewInvite({
              method,
              reviewId: review.id,
              sequence: review.sequence,
              start: new Date(review.meeting_at),
              minutes: review.meeting_minutes,
              summary: `Post-incident review: ${incident.reference} ${incident.title}`,
              description: [
                `${incident.reference}: ${incident.title}`,
                `Incident: ${link}`,
                `Review: ${link}/review`,
                "",
                ...checklistOf(review).map((item) => `- ${item.text}`),
              ].join("\n"),
              meetingUrl: review.meeting_url,
              organizer,
              attendees: attendees.map((a) => ({ name: a.name, email: a.email })),
              now: deps.clock.now(),
            }),
          };
        },
      });
    },
  };
}

function reminderHandler(deps: SendDeps): JobHandler<ReminderPayload> {
  return {
    kind: REVIEW_REMINDER_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const found = await reviewAndIncident(deps.store.db, job.payload.reviewId);
      // Held or cancelled since, or the incident was closed: nothing to remind of.
      if (!found) return;
      const { review, incident } = found;
      if (review.status !== "scheduled" || incident.closed_at) return;
      const user = await recipient(deps.store.db, job.payload.userId);
      if (!user) return;
      const { plan } = deps.plans.current();
      const zone = plan.organization.timezone;
      const link = incidentUrl(deps.publicUrl, incident.reference);
      const late = job.payload.stage !== "soon";
      const text = late
        ? [
            `The post-incident review of ${incident.reference} (${incident.title}) was due ${dueInWords(review.due_at, zone)} and has not been held.`,
            "Hold it and mark it held, or move the meeting:",
            `${link}/review`,
          ].join("\n")
        : [
            `The post-incident review of ${incident.reference} (${incident.title}) is due ${dueInWords(review.due_at, zone)}.`,
            `The meeting: ${meetingInWords(review.meeting_at, review.meeting_minutes, zone)}${review.meeting_url ? `, ${review.meeting_url}` : ""}.`,
            `${link}/review`,
          ].join("\n");
      await sendReviewEmail(deps, plan, incident, {
        to: user.email,
        subject: `${late ? "Review late" : "Review due soon"}: ${incident.reference} ${incident.title}`,
        text,
        deliveryId: job.id,
      });
    },
  };
}

/**
 * Queues the review reminders that are due now: once `review.remind_before`
 * the due time (to everyone invited and the incident manager), and once for
 * each day a review is late (to the incident manager, who holds it). Each is
 * recorded in reminders_sent under its stage, so several processes looking at
 * once queue it once. Safe to run anywhere, any number of times.
 */
export async function checkReviews(ctx: Pick<Ctx, "store" | "plans" | "clock">): Promise<number> {
  const { plan } = ctx.plans.current();
  const now = ctx.clock.now();
  const at = now.toISOString();
  const horizon = new Date(now.getTime() + parseDuration(plan.review.remind_before)).toISOString();
  const open = await ctx.store.db
    .selectFrom("reviews")
    .innerJoin("incidents", "incidents.id", "reviews.incident_id")
    .selectAll("reviews")
    .where("reviews.status", "=", "scheduled")
    .where("reviews.due_at", "<=", horizon)
    .where("incidents.closed_at", "is", null)
    .execute();
  let queued = 0;
  for (const review of open) {
    const overdue = now.getTime() - Date.parse(review.due_at);
    const stage = overdue > 0 ? `late-${Math.floor(overdue / DAY) + 1}` : "soon";
    const sent = await ctx.store.transaction(async (tx) => {
      const inserted = await tx
        .insertInto("reminders_sent")
        .values({
          incident_id: review.incident_id,
          due_at: review.due_at,
          stage: `review-${stage}`,
          sent_at: at,
        })
        .onConflict((oc) => oc.columns(["incident_id", "due_at", "stage"]).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      const lead = await leadHolder(tx, review.incident_id);
      const attendees = attendeesOf(review);
      const people = new Map<string, string>();
      if (stage === "soon") for (const a of attendees) people.set(a.userId, a.name);
      if (lead) people.set(lead.id, lead.name);
      // Nobody holds the lead role: chase those who were there instead.
      if (people.size === 0) for (const a of attendees) people.set(a.userId, a.name);
      const emailing = reviewEmailChannel(plan) !== undefined;
      if (emailing) {
        await enqueue(
          tx,
          [...people.keys()].map((userId) => ({
            kind: REVIEW_REMINDER_JOB,
            payload: { reviewId: review.id, stage, userId } satisfies ReminderPayload,
            runAt: at,
          })),
          at,
        );
      }
      const names = [...people.values()].join(", ") || "nobody";
      const zone = plan.organization.timezone;
      await insertEntry(tx, {
        incidentId: review.incident_id,
        kind: "review_reminder",
        body:
          stage === "soon"
            ? `Review due ${dueInWords(review.due_at, zone)}: reminded ${names}${emailing ? "" : " (no email channel in the plan to send it through)"}.`
            : `Review late (due ${dueInWords(review.due_at, zone)}): reminded ${names}${emailing ? "" : " (no email channel in the plan to send it through)"}.`,
        authorId: null,
        at,
        data: { reviewId: review.id, stage, to: [...people.keys()] },
      });
      return true;
    });
    if (sent) queued += 1;
  }
  return queued;
}

/**
 * Post-incident reviews: opened when a severity that needs one is resolved
 * (or by hand), a meeting with an emailed iCalendar invite, reminders before
 * the review is due and while it is late, the public-postmortem decision, and
 * closing the incident once that decision is recorded. docs/REVIEWS.md tells
 * the rules.
 */
export { type ReviewSchedule, reviewSchedule } from "./business-days.ts";
export { closeIncident } from "./close.ts";
export { recordDecision } from "./decision.ts";
export { reviewInvite, reviewUid } from "./invite.ts";
export { checkReviews, REVIEW_INVITE_JOB, REVIEW_REMINDER_JOB, reviewHandlers } from "./jobs.ts";
export { listReviews } from "./list.ts";
export * from "./model.ts";
export { openRequiredReview, openReview } from "./open.ts";
export { getReview, updateReview } from "./update.ts";

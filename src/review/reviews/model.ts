import { z } from "zod";
import { Status, UserRef } from "../../incidents/model.ts";

/** The post-incident review as the API speaks it, and the inputs of its verbs. */

export const REVIEW_STATUSES = ["scheduled", "held", "cancelled"] as const;
export const ReviewStatus = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

const Timestamp = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-12-04T14:00:00Z",
});

export const ReviewChecklistItem = z
  .object({ text: z.string(), done: z.boolean() })
  .meta({ id: "ReviewChecklistItem" });
export type ReviewChecklistItem = z.infer<typeof ReviewChecklistItem>;

/** As stored in reviews.attendees. */
export interface AttendeeRow {
  userId: string;
  email: string;
  name: string;
}

export const Review = z
  .object({
    id: z.string(),
    incident: z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      severity: z.string(),
      status: Status,
      resolvedAt: z.string().nullable(),
      closedAt: z.string().nullable(),
      lead: UserRef.nullable().meta({
        description: "Who holds the lead role now: they record the decision.",
      }),
    }),
    status: ReviewStatus,
    required: z
      .boolean()
      .meta({ description: "Opened because the plan requires a review for the severity." }),
    dueAt: z.string().meta({ description: "The end of the last business day the review may be held on." }),
    late: z.boolean().meta({ description: "Not held, and past its due time." }),
    meetingAt: z.string(),
    meetingMinutes: z.number().int(),
    meetingUrl: z.string().nullable(),
    attendees: z.array(UserRef),
    checklist: z.array(ReviewChecklistItem),
    notes: z.string().nullable(),
    sequence: z
      .number()
      .int()
      .meta({ description: "The invite's iCalendar SEQUENCE: raised when the meeting moves." }),
    heldAt: z.string().nullable(),
    decision: z
      .object({
        publicPostmortem: z.boolean(),
        reason: z.string(),
        decidedBy: UserRef.nullable(),
        decidedAt: z.string(),
      })
      .nullable(),
    decisionRequired: z.boolean().meta({
      description: "The incident cannot be closed until the public-postmortem decision is recorded.",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int().meta({ description: "Send it back in If-Match to change only what you read." }),
  })
  .meta({ id: "Review" });
export type Review = z.infer<typeof Review>;

export const UpdateReviewInput = z
  .strictObject({
    meetingAt: Timestamp.optional().meta({
      description: "Moving the meeting re-sends the invite (SEQUENCE + 1).",
    }),
    meetingMinutes: z
      .number()
      .int()
      .min(5)
      .max(8 * 60)
      .optional(),
    notes: z.string().max(50_000, "keep the notes under 50,000 characters").nullable().optional(),
    checklist: z
      .array(z.strictObject({ index: z.number().int().min(0), done: z.boolean() }))
      .max(100)
      .optional()
      .meta({ description: "Tick or untick checklist items by their position (from 0)." }),
    status: ReviewStatus.optional().meta({
      description: "held (records heldAt), cancelled (sends a cancellation), or scheduled again.",
    }),
    heldAt: Timestamp.optional().meta({ description: "When it was held, with status: held; default now." }),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" });
export type UpdateReviewInput = z.input<typeof UpdateReviewInput>;

export const DecisionInput = z.strictObject({
  publicPostmortem: z.boolean(),
  reason: z
    .string()
    .trim()
    .min(3, "say why, in a few words")
    .max(2_000, "keep the reason under 2,000 characters"),
});
export type DecisionInput = z.input<typeof DecisionInput>;

export const ListReviewsQuery = z.strictObject({
  status: ReviewStatus.optional(),
  due_before: Timestamp.optional().meta({ description: "Only reviews due before this time (this week's)." }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListReviewsQuery = z.input<typeof ListReviewsQuery>;

import { z } from "zod";
import { UserRef } from "../../incidents/model.ts";

/** Action items as the API speaks them, and the inputs of their verbs. */

export const ACTION_STATUSES = ["open", "in_progress", "done", "wont_do"] as const;
export const ActionStatus = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatus>;
/** Still to do: reminders go out and a due date can be missed. */
export const OPEN_STATUSES: readonly ActionStatus[] = ["open", "in_progress"];

export const isClosed = (status: ActionStatus) => !OPEN_STATUSES.includes(status);

const Title = z
  .string()
  .trim()
  .min(1, "give the action item a title")
  .max(300, "keep the title under 300 characters");
const Timestamp = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-12-24T17:00:00Z",
});
// A link to an outside tracker; shown, never fetched by Runsheet.
const TrackerUrl = z
  .url({ protocol: /^https?$/, error: "use an http(s) link, such as https://tracker.example.com/ISSUE-12" })
  .max(2_000, "keep the link under 2,000 characters");
const Team = z.string().trim().min(1, "name the team, or send null").max(100);

const OwnerFields = {
  ownerId: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .meta({ description: "The owner's user id; null for nobody" }),
  ownerEmail: z.email().max(254).optional().meta({ description: "Or the owner's email (an account here)" }),
};

export const CreateActionItemInput = z.strictObject({
  title: Title,
  ...OwnerFields,
  team: Team.nullable().optional(),
  priority: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "One of the plan's action item priorities; defaults to the first" }),
  dueAt: Timestamp.nullable()
    .optional()
    .meta({ description: "Defaults to now plus the priority's due_in; null for no due date" }),
  status: ActionStatus.optional(),
  url: TrackerUrl.nullable().optional(),
});
export type CreateActionItemInput = z.input<typeof CreateActionItemInput>;

export const UpdateActionItemInput = z
  .strictObject({
    title: Title.optional(),
    ...OwnerFields,
    team: Team.nullable().optional(),
    priority: z.string().min(1).max(100).optional(),
    dueAt: Timestamp.nullable().optional(),
    status: ActionStatus.optional(),
    url: TrackerUrl.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" });
export type UpdateActionItemInput = z.input<typeof UpdateActionItemInput>;

export const ListActionItemsQuery = z.strictObject({
  owner: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "me, a user id, or none (items without an owner)" }),
  team: z.string().min(1).max(100).optional(),
  status: z
    .enum([...ACTION_STATUSES, "active", "closed", "all"])
    .default("active")
    .meta({
      description: "active (open or in progress, the default), closed (done or won't do), all, or one status",
    }),
  overdue: z
    .enum(["true", "false"])
    .optional()
    .meta({ description: "true: only items still open past their due date" }),
  limit: z.coerce.number().int().min(1).max(1_000).default(500),
});
export type ListActionItemsQuery = z.input<typeof ListActionItemsQuery>;

export const ActionItem = z
  .object({
    id: z.string(),
    incident: z.object({ id: z.string(), reference: z.string(), title: z.string() }),
    title: z.string(),
    owner: UserRef.nullable(),
    team: z.string().nullable(),
    priority: z.string(),
    priorityName: z.string(),
    dueAt: z.string().nullable(),
    status: ActionStatus,
    overdue: z.boolean().meta({ description: "Still open past its due date" }),
    url: z.string().nullable(),
    createdAt: z.string(),
    createdBy: UserRef.nullable(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    version: z.number().int().meta({ description: "Send it back in If-Match to change only what you read." }),
  })
  .meta({ id: "ActionItem" });
export type ActionItem = z.infer<typeof ActionItem>;

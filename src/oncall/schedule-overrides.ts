import { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { DAY } from "../shared/zone.ts";
import {
  deleteOverrideRow,
  findOverride,
  insertOverride,
  type OverrideRow,
  overridesNotEnded,
  userById,
  usersByEmail,
} from "./overrides.ts";
import { Instant } from "./schedule.ts";
import { planScheduleOf } from "./schedules.ts";

/**
 * Overrides: someone covers a stretch of a schedule instead of whoever the
 * layers say, on top of every layer. The newest override wins where two
 * overlap.
 */

export const MAX_OVERRIDE_DAYS = 90;

export const CreateOverrideInput = z
  .strictObject({
    email: z.email("write an email address such as ana@example.com").max(254).optional(),
    userId: z.string().min(1).max(100).optional(),
    start: Instant,
    end: Instant,
  })
  .superRefine((input, ctx) => {
    if ((input.email === undefined) === (input.userId === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["email"],
        message: "give either email or userId of the person who covers",
      });
    }
  })
  .meta({ description: "Who covers (by email or user id) from start until end." });
export type CreateOverrideInput = z.input<typeof CreateOverrideInput>;

export const OverrideView = z.object({
  id: z.string(),
  scheduleId: z.string(),
  email: z.string(),
  userId: z.string(),
  name: z.string(),
  start: z.string(),
  end: z.string(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
});
export type OverrideView = z.infer<typeof OverrideView>;

function view(row: OverrideRow): OverrideView {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    email: row.userEmail,
    userId: row.userId,
    name: row.userName,
    start: row.start,
    end: row.end,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

export async function createOverride(
  ctx: Ctx,
  scheduleId: string,
  raw: CreateOverrideInput,
): Promise<OverrideView> {
  const input = CreateOverrideInput.parse(raw);
  planScheduleOf(ctx.plans.current().plan, scheduleId);
  const start = new Date(input.start);
  const end = new Date(input.end);
  if (end <= start) {
    throw invalid("The override ends before it starts.", [{ path: "end", message: "must be after start" }]);
  }
  if (end.getTime() - start.getTime() > MAX_OVERRIDE_DAYS * DAY) {
    throw invalid(`An override lasts at most ${MAX_OVERRIDE_DAYS} days.`, [
      {
        path: "end",
        message: `at most ${MAX_OVERRIDE_DAYS} days after start`,
        hint: "add several overrides, or change the rotation in the plan",
      },
    ]);
  }
  const field = input.email !== undefined ? "email" : "userId";
  const user =
    input.email !== undefined
      ? (await usersByEmail(ctx.store.db, [input.email])).get(input.email.toLowerCase())
      : await userById(ctx.store.db, input.userId!);
  if (!user) {
    throw invalid("Nobody with an account matches the person who covers.", [
      {
        path: field,
        message: "no such user",
        hint: "the person needs an account: an admin adds one under /api/v1/users",
      },
    ]);
  }
  if (user.disabled) {
    throw invalid(`${user.name}'s account is disabled.`, [{ path: field, message: "this user is disabled" }]);
  }
  const id = newId();
  await insertOverride(ctx.store.db, {
    id,
    schedule_id: scheduleId,
    user_id: user.id,
    start_at: start.toISOString(),
    end_at: end.toISOString(),
    created_at: ctx.clock.now().toISOString(),
    created_by: actorUserId(ctx.actor),
  });
  const row = await findOverride(ctx.store.db, scheduleId, id);
  return view(row!);
}

/** The schedule's current and upcoming overrides, in the order they start. */
export async function listOverrides(
  ctx: Pick<Ctx, "store" | "clock" | "plans">,
  scheduleId: string,
): Promise<OverrideView[]> {
  planScheduleOf(ctx.plans.current().plan, scheduleId);
  return (await overridesNotEnded(ctx.store.db, scheduleId, ctx.clock.now())).map(view);
}

export async function deleteOverride(ctx: Ctx, scheduleId: string, overrideId: string): Promise<void> {
  planScheduleOf(ctx.plans.current().plan, scheduleId);
  if (!(await deleteOverrideRow(ctx.store.db, scheduleId, overrideId))) {
    throw notFound(`Override ${overrideId} of schedule ${scheduleId}`);
  }
}

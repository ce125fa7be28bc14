import { newSecret, sha256 } from "../auth/secrets.ts";
import type { Ctx } from "../context.ts";
import { AppError, forbidden } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { DAY } from "../shared/zone.ts";
import { coverage, userShifts } from "./coverage.ts";
import { scheduleIcs, type UserIcsEntry, userIcs } from "./ical.ts";
import { feedOpens, overridesOverlapping, replaceFeed, userById } from "./overrides.ts";
import { engineSchedule, peopleByEmail, planScheduleOf } from "./schedules.ts";

/**
 * iCalendar feeds behind secret URLs, for calendar apps that cannot sign in:
 * one per schedule and one per person. The token in the URL is the only
 * credential; the store keeps its hash, and a new one revokes the owner's
 * previous one. A feed covers a week back and 90 days ahead.
 */

const PROD_ID = "-//Runsheet//On-call//EN";
const BACK = 7 * DAY;
const AHEAD = 90 * DAY;
const TOKEN_PREFIX = "rscal_";

/** The same answer for an unknown owner, a wrong token and a revoked one: none tells which. */
const feedNotFound = () => new AppError("not_found", "This calendar feed was not found.");

function window(ctx: Pick<Ctx, "clock">): [Date, Date] {
  const now = ctx.clock.now().getTime();
  return [new Date(now - BACK), new Date(now + AHEAD)];
}

async function issue(ctx: Ctx, kind: "schedule" | "user", ownerId: string): Promise<string> {
  const token = newSecret(TOKEN_PREFIX);
  await replaceFeed(ctx.store, {
    id: newId(),
    kind,
    owner_id: ownerId,
    token_hash: sha256(token),
    created_at: ctx.clock.now().toISOString(),
    revoked_at: null,
  });
  return token;
}

/** A new secret URL of the schedule's feed; the previous one stops working. */
export async function createScheduleFeed(ctx: Ctx, scheduleId: string): Promise<{ url: string }> {
  planScheduleOf(ctx.plans.current().plan, scheduleId);
  const token = await issue(ctx, "schedule", scheduleId);
  return {
    url: `${ctx.publicUrl}/api/v1/schedules/${encodeURIComponent(scheduleId)}.ics?token=${token}`,
  };
}

/** A new secret URL of the acting user's own feed (their shifts in every schedule). */
export async function createUserFeed(ctx: Ctx): Promise<{ url: string }> {
  if (ctx.actor.kind !== "user") throw forbidden("Only a signed-in person has a calendar feed.");
  const userId = ctx.actor.user.id;
  const token = await issue(ctx, "user", userId);
  return { url: `${ctx.publicUrl}/api/v1/users/${encodeURIComponent(userId)}.ics?token=${token}` };
}

/** Checks the token before anything else is looked at, so a bad one costs the same for any owner. */
async function open(ctx: Ctx, kind: "schedule" | "user", ownerId: string, token: string | undefined) {
  if (!token || !(await feedOpens(ctx.store.db, kind, ownerId, sha256(token)))) throw feedNotFound();
}

/** The schedule's feed: who is on call, with people's names. */
export async function scheduleCalendar(ctx: Ctx, scheduleId: string, token: string | undefined) {
  await open(ctx, "schedule", scheduleId, token);
  const { plan } = ctx.plans.current();
  if (!plan.schedules.some((s) => s.id === scheduleId)) throw feedNotFound();
  const [from, to] = window(ctx);
  const overrides = await overridesOverlapping(ctx.store.db, [scheduleId], from, to);
  const schedule = engineSchedule(plan, scheduleId, overrides);
  const shifts = coverage(schedule, from, to);
  const emails = new Set(shifts.flatMap((s) => (s.userId ? [s.userId] : [])));
  const person = await peopleByEmail(ctx, emails);
  const userNames = new Map([...emails].map((email) => [email, person(email).name ?? email]));
  return scheduleIcs({ schedule, shifts, userNames, prodId: PROD_ID, now: ctx.clock.now() });
}

/** A person's feed: their own shifts in every schedule of the plan. */
export async function userCalendar(ctx: Ctx, userId: string, token: string | undefined) {
  await open(ctx, "user", userId, token);
  const user = await userById(ctx.store.db, userId);
  if (!user || user.disabled) throw feedNotFound();
  const { plan } = ctx.plans.current();
  const [from, to] = window(ctx);
  const ids = plan.schedules.map((s) => s.id);
  const overrides = await overridesOverlapping(ctx.store.db, ids, from, to);
  const entries: UserIcsEntry[] = ids.flatMap((id) => {
    const schedule = engineSchedule(
      plan,
      id,
      overrides.filter((o) => o.scheduleId === id),
    );
    return userShifts(schedule, user.email, from, to).map((shift) => ({
      schedule: { id: schedule.id, name: schedule.name },
      shift,
    }));
  });
  entries.sort((a, b) => Date.parse(a.shift.start) - Date.parse(b.shift.start));
  return userIcs({ userId, userName: user.name, entries, prodId: PROD_ID, now: ctx.clock.now() });
}

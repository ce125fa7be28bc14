import { z } from "zod";
import type { Ctx } from "../context.ts";
import type { Plan, PlanSchedule } from "../plan/schema.ts";
import { AppError, isAppError, notFound } from "../shared/errors.ts";
import { DAY } from "../shared/zone.ts";
import { coverage, layerShifts, onCallAt } from "./coverage.ts";
import { type OverrideRow, overridesOverlapping, usersByEmail } from "./overrides.ts";
import {
  Handoff,
  type Layer,
  parseSchedule,
  Restriction,
  Rotation,
  type Schedule,
  type Shift,
  ShiftSource,
} from "./schedule.ts";

/**
 * The plan's schedules as the engine sees them, and the questions people ask
 * of them: which schedules there are, who is on call at an instant or over a
 * range, and the whole coverage of a range. Members are named by email in the
 * plan and stay emails in the engine; accounts are looked up only to show
 * names and ids, so a member without an account is still on call.
 */

/** An override as stored, with its user's email: the engine knows users by email here. */
export interface StoredOverride {
  id: string;
  userEmail: string;
  start: string;
  end: string;
}

/** A lookup reaches this far either side of an instant to find where its shift starts and ends. */
const REACH = 366 * DAY;

export function planScheduleOf(plan: Plan, scheduleId: string): PlanSchedule {
  const schedule = plan.schedules.find((s) => s.id === scheduleId);
  if (!schedule) throw notFound(`Schedule ${scheduleId}`);
  return schedule;
}

function engineLayer(layer: PlanSchedule["layers"][number]): Layer {
  const { rotation } = layer;
  return {
    id: layer.id,
    name: layer.name,
    members: layer.members.map((email) => email.toLowerCase()),
    rotation: typeof rotation === "string" ? { type: rotation } : { type: "custom", hours: rotation.hours },
    handoff: { startDate: layer.handoff.start_date, time: layer.handoff.time },
    ...(layer.restrictions
      ? {
          restrictions: layer.restrictions.map((r) =>
            r.days
              ? { type: "weekly" as const, days: r.days, start: r.start, end: r.end }
              : { type: "daily" as const, start: r.start, end: r.end },
          ),
        }
      : {}),
    ...(layer.ends_at ? { endsAt: layer.ends_at } : {}),
  };
}

const PLAN_FIELD: Record<string, string> = {
  startDate: "start_date",
  endsAt: "ends_at",
  timeZone: "timezone",
};

/**
 * Converts a plan schedule and its stored overrides into the engine's
 * Schedule. Overrides are listed as given; where two overlap, the later one
 * wins. Throws `not_found` for a schedule the plan does not have, `invalid`
 * (naming the plan's fields) for one the engine cannot use.
 */
export function engineSchedule(
  plan: Plan,
  scheduleId: string,
  overrides: readonly StoredOverride[] = [],
): Schedule {
  const index = plan.schedules.findIndex((s) => s.id === scheduleId);
  if (index < 0) throw notFound(`Schedule ${scheduleId}`);
  const schedule = plan.schedules[index]!;
  try {
    return parseSchedule({
      id: schedule.id,
      name: schedule.name,
      timeZone: schedule.timezone ?? plan.organization.timezone,
      layers: schedule.layers.map(engineLayer),
      overrides: overrides.map((o) => ({
        id: o.id,
        userId: o.userEmail.toLowerCase(),
        start: o.start,
        end: o.end,
      })),
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(
      "invalid",
      `Schedule ${scheduleId} in the plan cannot be used: ${error.issues[0]?.message ?? error.message}.`,
      error.issues.map((issue) => ({
        ...issue,
        path: `schedules.${index}.${issue.path
          .split(".")
          .map((part) => PLAN_FIELD[part] ?? part)
          .join(".")}`,
      })),
    );
  }
}

// ---- what the API answers ----

export const Person = z.object({
  email: z.string(),
  userId: z.string().nullable().meta({ description: "null when the email has no account" }),
  name: z.string().nullable(),
});
export type Person = z.infer<typeof Person>;

export const ScheduleView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  layers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      members: z.array(Person),
      rotation: Rotation,
      handoff: Handoff,
      restrictions: z.array(Restriction),
      endsAt: z.string().nullable(),
    }),
  ),
  onCallNow: z
    .object({
      email: z.string(),
      userId: z.string().nullable(),
      name: z.string().nullable(),
      until: z.string(),
    })
    .nullable()
    .meta({ description: "null when nobody covers this moment" }),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

const Who = {
  email: z.string().nullable().meta({ description: "null for a stretch nobody covers" }),
  userId: z.string().nullable(),
  name: z.string().nullable(),
};

export const CoverageView = z.object({
  scheduleId: z.string(),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  shifts: z
    .array(z.object({ start: z.string(), end: z.string(), ...Who, source: ShiftSource }))
    .meta({ description: "Who is on call, after layers and overrides: contiguous, tiling [from, to)." }),
  layers: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        shifts: z.array(
          z.object({
            start: z.string(),
            end: z.string(),
            email: z.string(),
            userId: z.string().nullable(),
            name: z.string().nullable(),
            shiftNumber: z.number().int(),
          }),
        ),
      }),
    )
    .meta({ description: "Each layer's own shifts, before stacking and overrides, for a timeline." }),
});
export type CoverageView = z.infer<typeof CoverageView>;

export const OnCallItem = z.object({
  scheduleId: z.string(),
  scheduleName: z.string(),
  ...Who,
  shiftStart: z.string(),
  shiftEnd: z.string(),
  source: ShiftSource,
});
export type OnCallItem = z.infer<typeof OnCallItem>;

export const OnCallAtAnswer = z.object({ at: z.string(), items: z.array(OnCallItem) });
export const OnCallRangeAnswer = z.object({ from: z.string(), to: z.string(), items: z.array(OnCallItem) });
export const OnCallAnswer = z.union([OnCallAtAnswer, OnCallRangeAnswer]);
export type OnCallAnswer = z.infer<typeof OnCallAnswer>;

// ---- the questions ----

type ReadCtx = Pick<Ctx, "store" | "clock" | "plans">;

export async function peopleByEmail(ctx: Pick<Ctx, "store">, emails: Iterable<string>) {
  const users = await usersByEmail(ctx.store.db, [...emails]);
  return (email: string): Person => {
    const user = users.get(email.toLowerCase());
    return { email, userId: user?.id ?? null, name: user?.name ?? null };
  };
}

function overridesFor(rows: readonly OverrideRow[], scheduleId: string): StoredOverride[] {
  return rows.filter((row) => row.scheduleId === scheduleId);
}

/** The engine schedules of the plan (or one of them), with the overrides that touch [from, to). */
async function loadSchedules(
  ctx: ReadCtx,
  scheduleId: string | undefined,
  from: Date,
  to: Date,
): Promise<Schedule[]> {
  const { plan } = ctx.plans.current();
  const ids = scheduleId ? [planScheduleOf(plan, scheduleId).id] : plan.schedules.map((s) => s.id);
  const rows = await overridesOverlapping(ctx.store.db, ids, from, to);
  return ids.map((id) => engineSchedule(plan, id, overridesFor(rows, id)));
}

const around = (at: Date) => [new Date(at.getTime() - REACH), new Date(at.getTime() + REACH)] as const;

/** The plan's schedules with their layers' members and who is on call now. */
export async function listSchedules(ctx: ReadCtx): Promise<ScheduleView[]> {
  const now = ctx.clock.now();
  const schedules = await loadSchedules(ctx, undefined, ...around(now));
  const emails = new Set(schedules.flatMap((s) => s.layers.flatMap((l) => l.members)));
  const nowShifts = schedules.map((schedule) => onCallAt(schedule, now));
  for (const shift of nowShifts) if (shift.userId) emails.add(shift.userId);
  const person = await peopleByEmail(ctx, emails);
  return schedules.map((schedule, i) => {
    const shift = nowShifts[i]!;
    return {
      id: schedule.id,
      name: schedule.name,
      timeZone: schedule.timeZone,
      layers: schedule.layers.map((layer) => ({
        id: layer.id,
        name: layer.name,
        members: layer.members.map(person),
        rotation: layer.rotation,
        handoff: layer.handoff,
        restrictions: layer.restrictions ?? [],
        endsAt: layer.endsAt ?? null,
      })),
      onCallNow: shift.userId ? { ...person(shift.userId), until: shift.end } : null,
    };
  });
}

/** Who covers [from, to) of one schedule, and each layer's own shifts. */
export async function scheduleCoverage(
  ctx: ReadCtx,
  scheduleId: string,
  from: Date,
  to: Date,
): Promise<CoverageView> {
  const [schedule] = await loadSchedules(ctx, scheduleId, from, to);
  const shifts = coverage(schedule!, from, to);
  const layers = schedule!.layers.map((layer) => ({
    layer,
    shifts: layerShifts(schedule!, layer.id, from, to),
  }));
  const person = await peopleByEmail(ctx, [
    ...shifts.flatMap((s) => (s.userId ? [s.userId] : [])),
    ...layers.flatMap((l) => l.shifts.map((s) => s.userId)),
  ]);
  return {
    scheduleId: schedule!.id,
    timeZone: schedule!.timeZone,
    from: from.toISOString(),
    to: to.toISOString(),
    shifts: shifts.map((shift) => ({
      start: shift.start,
      end: shift.end,
      ...who(person, shift),
      source: shift.source,
    })),
    layers: layers.map(({ layer, shifts }) => ({
      id: layer.id,
      name: layer.name,
      shifts: shifts.map((shift) => ({
        start: shift.start,
        end: shift.end,
        ...person(shift.userId),
        shiftNumber: shift.shiftNumber,
      })),
    })),
  };
}

function who(
  person: (email: string) => Person,
  shift: Shift,
): Person | { email: null; userId: null; name: null } {
  return shift.userId ? person(shift.userId) : { email: null, userId: null, name: null };
}

function item(schedule: Schedule, person: (email: string) => Person, shift: Shift): OnCallItem {
  return {
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    ...who(person, shift),
    shiftStart: shift.start,
    shiftEnd: shift.end,
    source: shift.source,
  };
}

/** Who is on call at an instant, in one schedule or every one, with the shift that holds it. */
export async function whoIsOnCall(
  ctx: ReadCtx,
  query: { scheduleId?: string | undefined; at: Date },
): Promise<z.infer<typeof OnCallAtAnswer>> {
  const schedules = await loadSchedules(ctx, query.scheduleId, ...around(query.at));
  const shifts = schedules.map((schedule) => onCallAt(schedule, query.at));
  const person = await peopleByEmail(
    ctx,
    shifts.flatMap((s) => (s.userId ? [s.userId] : [])),
  );
  return {
    at: query.at.toISOString(),
    items: schedules.map((schedule, i) => item(schedule, person, shifts[i]!)),
  };
}

/** Who is on call over [from, to): every schedule's shifts (gaps included), schedule by schedule. */
export async function onCallOver(
  ctx: ReadCtx,
  query: { scheduleId?: string | undefined; from: Date; to: Date },
): Promise<z.infer<typeof OnCallRangeAnswer>> {
  const schedules = await loadSchedules(ctx, query.scheduleId, query.from, query.to);
  const perSchedule = schedules.map((schedule) => coverage(schedule, query.from, query.to));
  const person = await peopleByEmail(
    ctx,
    perSchedule.flat().flatMap((s) => (s.userId ? [s.userId] : [])),
  );
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    items: schedules.flatMap((schedule, i) => perSchedule[i]!.map((shift) => item(schedule, person, shift))),
  };
}

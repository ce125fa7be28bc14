import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { AppError, issuesFromZod } from "../shared/errors.ts";

/**
 * An on-call schedule as data: layers of rotations, stacked, and overrides on
 * top. Local times (handoffs, restriction windows) are wall-clock times in the
 * schedule's zone; instants (overrides, a layer's end) are ISO-8601 with an
 * offset. What the layers mean over time is computed in coverage.ts.
 */

export const ScheduleId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
  );

/** Users are opaque here: whatever id the auth module gives them. */
export const UserId = z.string().min(1, "name a user").max(200);

export const TimeZone = z.string().refine((name) => IANAZone.isValidZone(name), {
  message: "use an IANA time zone name such as Europe/Berlin or America/New_York",
});

export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "write a 24-hour local time such as 09:00 or 17:30");

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "write a date such as 2026-11-27", abort: true })
  .refine((date) => DateTime.fromISO(date, { zone: "utc" }).isValid, { message: "this day does not exist" });

export const Instant = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-11-27T09:00:00Z",
});

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/**
 * Daily and weekly shifts hand off at the same wall-clock time every 1 or 7
 * calendar days, so they last 23 or 25 hours (or 167/169) across a DST change.
 * Custom shifts last `hours` of elapsed time and so drift against the wall
 * clock across DST (a 12-hour 09:00/21:00 rotation becomes 10:00/22:00 after
 * spring-forward), as PagerDuty's custom rotations do.
 */
export const Rotation = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("daily") }),
  z.strictObject({ type: z.literal("weekly") }),
  z.strictObject({
    type: z.literal("custom"),
    hours: z
      .number()
      .int("give the shift length in whole hours")
      .min(1, "a shift lasts at least 1 hour")
      .max(8760, "a shift lasts at most 8760 hours (a year)"),
  }),
]);
export type Rotation = z.infer<typeof Rotation>;

export const Handoff = z.strictObject({
  /** The local day the rotation's first shift (number 0) starts; shifts before it continue the rotation backwards. */
  startDate: LocalDate,
  /** The local wall-clock time of every handoff. */
  time: LocalTime,
});
export type Handoff = z.infer<typeof Handoff>;

/**
 * A window of local time the layer covers. `end` at or before `start` wraps
 * past midnight (22:00-06:00), so `start` equal to `end` is a whole day. A
 * weekly window starts on each of its days.
 */
export const Restriction = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("daily"), start: LocalTime, end: LocalTime }),
  z.strictObject({
    type: z.literal("weekly"),
    days: z.array(Weekday).min(1, "name at least one day"),
    start: LocalTime,
    end: LocalTime,
  }),
]);
export type Restriction = z.infer<typeof Restriction>;

export const Layer = z.strictObject({
  id: ScheduleId,
  name: z.string().trim().min(1, "name the layer").max(200),
  /** In rotation order; a user may appear more than once. */
  members: z.array(UserId).min(1, "list at least one member").max(500),
  rotation: Rotation,
  handoff: Handoff,
  /** Without restrictions the layer covers all the time; with them, only the union of their windows. */
  restrictions: z.array(Restriction).max(50).optional(),
  /** The layer covers nothing from this instant on. */
  endsAt: Instant.optional(),
});
export type Layer = z.infer<typeof Layer>;

export const Override = z
  .strictObject({
    id: ScheduleId,
    userId: UserId,
    start: Instant,
    end: Instant,
  })
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), {
    message: "an override ends after it starts",
    path: ["end"],
  });
export type Override = z.infer<typeof Override>;

/**
 * Layers listed later take precedence (the last layer is on top, as in
 * PagerDuty); overrides take precedence over every layer, and among
 * overlapping overrides the one listed later wins.
 */
export const Schedule = z
  .strictObject({
    id: ScheduleId,
    name: z.string().trim().min(1, "name the schedule").max(200),
    timeZone: TimeZone,
    layers: z.array(Layer).min(1, "give the schedule at least one layer").max(50),
    overrides: z.array(Override).max(10_000).default([]),
  })
  .superRefine((schedule, ctx) => {
    for (const [key, items] of [
      ["layers", schedule.layers],
      ["overrides", schedule.overrides],
    ] as const) {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.id)) {
          ctx.addIssue({
            code: "custom",
            path: [key, index, "id"],
            message: `the id ${item.id} is used twice`,
          });
        }
        seen.add(item.id);
      });
    }
  });
export type Schedule = z.infer<typeof Schedule>;
export type ScheduleInput = z.input<typeof Schedule>;

/** Reads a schedule at a boundary (API body, stored row); throws `bad_request` with field paths. */
export function parseSchedule(input: unknown): Schedule {
  const result = Schedule.safeParse(input);
  if (!result.success) {
    throw new AppError("bad_request", "The schedule is not valid.", issuesFromZod(result.error.issues));
  }
  return result.data;
}

export const ShiftSource = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("layer"), layerId: z.string() }),
  z.strictObject({ kind: z.literal("override"), overrideId: z.string() }),
  z.strictObject({ kind: z.literal("none") }),
]);
export type ShiftSource = z.infer<typeof ShiftSource>;

/** A stretch of rendered on-call time: [start, end) as UTC ISO strings; `userId` null when nobody is on call. */
export const Shift = z.strictObject({
  userId: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  source: ShiftSource,
});
export type Shift = z.infer<typeof Shift>;

/** One shift of one layer, before layers are stacked: `shiftNumber` n is held by member n mod members.length. */
export const LayerShift = z.strictObject({
  userId: z.string(),
  start: z.string(),
  end: z.string(),
  source: z.strictObject({ kind: z.literal("layer"), layerId: z.string() }),
  shiftNumber: z.number().int(),
});
export type LayerShift = z.infer<typeof LayerShift>;

import { parseDuration } from "../../plan/duration.ts";
import type { ReviewRules } from "../../plan/schema.ts";
import { DAY, timeOfDay, weekdayOf, zoneClock } from "../../shared/zone.ts";

/**
 * When a review is due and when its meeting is proposed, counted in the
 * organization's business days and time zone:
 *
 * - due: the end of the Nth business day after the day of resolution (N =
 *   within_business_days; the day of resolution never counts, and N = 0 means
 *   the end of that day);
 * - meeting: meeting_time on the last business day at or before the deadline,
 *   but not before the next business day after resolution (nobody is asked to
 *   review the same day it was fixed).
 *
 * Days are calendar days of the zone, so a week with a DST change still ends
 * at local midnight and the meeting keeps its local time. Holidays are not
 * known: a review due on one is moved by hand.
 */
export interface ReviewSchedule {
  dueAt: string;
  meetingAt: string;
  meetingMinutes: number;
}

type Rules = Pick<ReviewRules, "within_business_days" | "business_days" | "meeting_time" | "meeting_length">;

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export function reviewSchedule(input: {
  resolvedAt: string | Date;
  rules: Rules;
  timezone: string;
}): ReviewSchedule {
  const zone = zoneClock(input.timezone);
  const open = new Set(input.rules.business_days.map((d) => WEEKDAYS.indexOf(d)));
  const isBusiness = (day: number) => open.has(weekdayOf(day));
  const resolved = new Date(input.resolvedAt).getTime();
  const resolvedDay = Math.floor(zone.toWall(resolved) / DAY);

  const dueDay = nthBusinessDayAfter(resolvedDay, input.rules.within_business_days, isBusiness);
  let meetingDay = dueDay;
  while (!isBusiness(meetingDay) && meetingDay > resolvedDay) meetingDay -= 1;
  const earliest = nthBusinessDayAfter(resolvedDay, 1, isBusiness);
  if (meetingDay < earliest) meetingDay = earliest;

  // The day's last instant: one millisecond before the next local midnight.
  const dueAt = zone.fromWall((dueDay + 1) * DAY) - 1;
  const meetingAt = zone.fromWall(meetingDay * DAY + timeOfDay(input.rules.meeting_time));
  return {
    dueAt: new Date(dueAt).toISOString(),
    meetingAt: new Date(meetingAt).toISOString(),
    meetingMinutes: Math.max(1, Math.round(parseDuration(input.rules.meeting_length) / 60_000)),
  };
}

function nthBusinessDayAfter(day: number, n: number, isBusiness: (day: number) => boolean): number {
  let current = day;
  let left = n;
  while (left > 0) {
    current += 1;
    if (isBusiness(current)) left -= 1;
  }
  return current;
}

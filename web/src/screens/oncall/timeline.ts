import { isoToZonedInput, zonedInputToIso } from "../../lib/zoned-time";

/**
 * The timeline's arithmetic: the days of a schedule's time zone (23 or 25
 * hours long when the clocks change), where each shift falls in a day, and a
 * colour for each person that stays the same from day to day.
 */

const HOUR_MS = 3_600_000;
export const PALETTE_SIZE = 6;

export interface Day {
  /** The calendar date in the schedule's zone, YYYY-MM-DD. */
  date: string;
  start: number;
  end: number;
}

export interface Segment<T> {
  item: T;
  start: number;
  end: number;
  /** Where it sits in the day, in percent of the day's length. */
  left: number;
  width: number;
}

/** The calendar date of an instant in a zone, YYYY-MM-DD. */
export function dateIn(ms: number, timeZone: string): string {
  return isoToZonedInput(new Date(ms).toISOString(), timeZone).slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const [year = 1970, month = 1, day = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The instant a date begins in a zone (its first moment, when midnight itself is skipped). */
export function startOfDate(date: string, timeZone: string): number {
  const iso = zonedInputToIso(`${date}T00:00`, timeZone);
  return iso ? Date.parse(iso) : Date.parse(`${date}T00:00:00Z`);
}

/** `count` days of the zone from `first` on, each from its midnight to the next. */
export function daysFrom(first: string, count: number, timeZone: string): Day[] {
  const days: Day[] = [];
  let start = startOfDate(first, timeZone);
  for (let i = 0; i < count; i++) {
    const date = addDays(first, i);
    const end = startOfDate(addDays(first, i + 1), timeZone);
    days.push({ date, start, end });
    start = end;
  }
  return days;
}

/** The shifts that fall in a day, cut to it, with their place on its bar. */
export function segmentsIn<T extends { start: string; end: string }>(
  day: Day,
  shifts: readonly T[],
): Segment<T>[] {
  const length = day.end - day.start;
  const segments: Segment<T>[] = [];
  for (const item of shifts) {
    const start = Math.max(Date.parse(item.start), day.start);
    const end = Math.min(Date.parse(item.end), day.end);
    if (end <= start) continue;
    segments.push({
      item,
      start,
      end,
      left: ((start - day.start) / length) * 100,
      width: ((end - start) / length) * 100,
    });
  }
  return segments;
}

/** Where `at` falls in the day, in percent; null outside it. */
export function positionIn(day: Day, at: number): number | null {
  if (at < day.start || at >= day.end) return null;
  return ((at - day.start) / (day.end - day.start)) * 100;
}

/**
 * A person's colour slot: the schedule's members in the plan's order, then
 * anyone else (someone covering by override) by a hash of their email, so a
 * person has the same colour on every day and every visit. Null for nobody.
 */
export function colourSlot(members: readonly string[], email: string | null): number | null {
  if (email === null) return null;
  const key = email.toLowerCase();
  const at = members.findIndex((member) => member.toLowerCase() === key);
  if (at !== -1) return at % PALETTE_SIZE;
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (members.length + hash) % PALETTE_SIZE;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** A wall-clock time in the zone, 24-hour ("09:00"); the end of a day is "24:00". */
export function clockTime(ms: number, timeZone: string, day?: Day): string {
  if (day && ms === day.end) return "24:00";
  let format = clocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    clocks.set(timeZone, format);
  }
  return format.format(new Date(ms));
}

/** A day's name for its row: "Fri 27 Nov", read at its midday so no offset moves it. */
export function dayName(day: Day, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
  }).format(new Date(day.start + 12 * HOUR_MS));
}

/** A date and time in the schedule's zone, for overrides and "until". */
export function zonedDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

/**
 * `datetime-local` values read in a named time zone (the viewer's) and sent as
 * ISO-8601 with that zone's offset ("2026-03-29T03:30:00+01:00"), so the
 * server stores the instant the person meant. A wall-clock time that happens
 * twice (clocks went back) is the first; one that never happens (clocks went
 * forward) moves on by the gap, as Temporal's "compatible" choice does.
 */
const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in minutes (Lisbon in summer: 60, New York in winter: -300). */
export function offsetAt(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour") % 24,
    get("minute"),
    get("second"),
  );
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / MINUTE_MS);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as ISO-8601 in the zone's local time with its offset, to the second. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const offset = offsetAt(ms, timeZone);
  const local = new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 19);
  return `${local}${offsetText(offset)}`;
}

/** The instant a wall-clock time (as if in UTC) stands for in the zone. */
function instantOf(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * MINUTE_MS)
    .filter((utc) => offsetAt(utc, timeZone) * MINUTE_MS === wall - utc)
    .sort((a, b) => a - b);
  // None: the time fell in the gap; the offset from before the change lands just after it.
  return candidates[0] ?? wall - before * MINUTE_MS;
}

/** A `datetime-local` value in `timeZone` as ISO-8601 with the offset; undefined when it is not a time. */
export function zonedInputToIso(value: string, timeZone: string): string | undefined {
  const match = INPUT.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // Date.UTC rolls 31 April over to 1 May: that is not what was typed.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  try {
    return isoWithOffset(instantOf(wall, timeZone), timeZone);
  } catch {
    return undefined;
  }
}

/** An instant as a `datetime-local` value in `timeZone`, to the minute; "" when it is not a time. */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  return new Date(ms + offsetAt(ms, timeZone) * MINUTE_MS).toISOString().slice(0, 16);
}

/** Whether the browser knows the IANA time zone ("Europe/Lisbon"). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone.trim()) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

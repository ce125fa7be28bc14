import { IANAZone } from "luxon";
import { invalid } from "./errors.ts";

/**
 * Wall-clock time in a named zone, fast enough to ask thousands of times.
 *
 * A wall time is carried as "wall ms": the epoch milliseconds of the same
 * calendar reading in UTC (09:00 on 2026-03-29 is Date.UTC(2026, 2, 29, 9)),
 * so calendar arithmetic is plain addition. Offsets come from luxon (the
 * platform's tz database); each lookup costs ~15 µs, so a zone's offset
 * changes are found once per 32-day chunk and kept.
 *
 * luxon's own DateTime.fromObject is not used to turn wall time into an
 * instant: in a fall-back overlap its answer depends on the current time's
 * offset, and in a spring-forward gap it moves forward by the gap's length
 * (02:30 becomes 03:30) where we want the first valid instant (03:00).
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const CHUNK_DAYS = 32;
const CHUNK = CHUNK_DAYS * DAY;

interface Change {
  at: number;
  offset: number;
}

interface Chunk {
  startOffset: number;
  changes: Change[];
}

export interface ZoneClock {
  readonly name: string;
  /** The zone's offset from UTC at an instant, in ms. */
  offsetAt(instant: number): number;
  /** The wall ms the zone's clocks show at an instant. */
  toWall(instant: number): number;
  /**
   * The instant the zone's clocks show a wall time. In a fall-back overlap,
   * the first occurrence; in a spring-forward gap, the first valid instant
   * after it (the moment of the change).
   */
  fromWall(wall: number): number;
}

const clocks = new Map<string, ZoneClock>();

export function zoneClock(name: string): ZoneClock {
  let clock = clocks.get(name);
  if (!clock) {
    clock = makeZoneClock(name);
    clocks.set(name, clock);
  }
  return clock;
}

function makeZoneClock(name: string): ZoneClock {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw invalid(`${name} is not an IANA time zone.`);
  const chunks = new Map<number, Chunk>();
  // luxon answers in minutes, fractional for old local-mean-time offsets, at whole-second resolution.
  const probe = (instant: number) => Math.round(zone.offset(instant) * MINUTE);

  /** Every change in (lo, hi], given the offsets at both ends; assumes changes at least a day apart cancel nothing. */
  function findChanges(lo: number, loOffset: number, hi: number, hiOffset: number, into: Change[]): void {
    if (loOffset === hiOffset) return;
    let a = lo;
    let b = hi;
    while (b - a > SECOND) {
      const mid = a + Math.floor((b - a) / (2 * SECOND)) * SECOND;
      if (probe(mid) === loOffset) a = mid;
      else b = mid;
    }
    const offset = probe(b);
    into.push({ at: b, offset });
    findChanges(b, offset, hi, hiOffset, into);
  }

  function chunkAt(index: number): Chunk {
    const cached = chunks.get(index);
    if (cached) return cached;
    const start = index * CHUNK;
    const startOffset = probe(start);
    const changes: Change[] = [];
    let previous = startOffset;
    for (let day = 1; day <= CHUNK_DAYS; day++) {
      const sample = start + day * DAY;
      const offset = probe(sample);
      findChanges(sample - DAY, previous, sample, offset, changes);
      previous = offset;
    }
    // A change exactly at the chunk's end belongs to the next chunk's start offset.
    const chunk = { startOffset, changes: changes.filter((change) => change.at < start + CHUNK) };
    chunks.set(index, chunk);
    return chunk;
  }

  function offsetAt(instant: number): number {
    const chunk = chunkAt(Math.floor(instant / CHUNK));
    let offset = chunk.startOffset;
    for (const change of chunk.changes) {
      if (instant < change.at) break;
      offset = change.offset;
    }
    return offset;
  }

  function fromWall(wall: number): number {
    // Offsets a day either side bracket any single change near this wall time.
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    const early = wall - before;
    const late = wall - after;
    const earlyFits = early + offsetAt(early) === wall;
    const lateFits = late + offsetAt(late) === wall;
    if (earlyFits && lateFits) return Math.min(early, late);
    if (earlyFits) return early;
    if (lateFits) return late;
    if (after <= before) return early;
    // A gap: `late` is still before the change, `early` already after it; find the change.
    let lo = late;
    let hi = early;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  return { name, offsetAt, toWall: (instant) => instant + offsetAt(instant), fromWall };
}

/** "YYYY-MM-DD" as days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day) / DAY;
}

/** "HH:MM" as ms since midnight. */
export function timeOfDay(time: string): number {
  const [hours, minutes] = time.split(":").map(Number) as [number, number];
  return hours * HOUR + minutes * MINUTE;
}

/** 0 for Monday through 6 for Sunday. */
export function weekdayOf(day: number): number {
  return mod(day + 3, 7);
}

export function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, computed with integer arithmetic: it is most
 * of the cost of rendering a schedule otherwise. Days to civil date after
 * Howard Hinnant's `civil_from_days`.
 */
export function isoInstant(ms: number): string {
  const days = Math.floor(ms / DAY);
  const time = ms - days * DAY;
  const shifted = days + 719_468; // days from 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999 || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const hours = Math.floor(time / HOUR);
  const minutes = Math.floor(time / MINUTE) % 60;
  const seconds = Math.floor(time / SECOND) % 60;
  const millis = time % SECOND;
  const fraction = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${fraction}Z`;
}

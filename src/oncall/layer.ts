import { DAY, dayNumber, HOUR, mod, timeOfDay, weekdayOf, type ZoneClock } from "../shared/zone.ts";
import type { Layer, Restriction } from "./schedule.ts";

/**
 * One layer on its own: when its handoffs happen, who holds each shift, and
 * which stretches its restrictions let it cover. Times are epoch ms; ranges
 * are half-open [start, end).
 */

export interface Span {
  start: number;
  end: number;
}

export interface LayerPiece extends Span {
  userId: string;
  shiftNumber: number;
}

export interface LayerRule {
  readonly layer: Layer;
  /** The instant shift n starts (n may be negative); never earlier for a later n. */
  handoffAt(n: number): number;
  /** The number of the shift that holds an instant. */
  shiftAt(instant: number): number;
  readonly endsAt: number;
}

export function layerRule(layer: Layer, clock: ZoneClock): LayerRule {
  const firstWall = dayNumber(layer.handoff.startDate) * DAY + timeOfDay(layer.handoff.time);
  const endsAt = layer.endsAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(layer.endsAt);
  const { rotation } = layer;

  if (rotation.type === "custom") {
    // Elapsed hours: the first handoff is pinned to local time, the rest drift with DST.
    const first = clock.fromWall(firstWall);
    const length = rotation.hours * HOUR;
    return {
      layer,
      endsAt,
      handoffAt: (n) => first + n * length,
      shiftAt: (instant) => Math.floor((instant - first) / length),
    };
  }

  const step = (rotation.type === "daily" ? 1 : 7) * DAY;
  const handoffAt = (n: number) => clock.fromWall(firstWall + n * step);
  return {
    layer,
    endsAt,
    handoffAt,
    shiftAt(instant) {
      // The wall-clock guess is off by at most one shift near a change; settle it on instants.
      let n = Math.floor((clock.toWall(instant) - firstWall) / step);
      while (handoffAt(n) > instant) n -= 1;
      while (handoffAt(n + 1) <= instant) n += 1;
      return n;
    },
  };
}

/** The layer's shifts clipped to [from, to), ignoring restrictions and its end. */
export function rawShifts(rule: LayerRule, from: number, to: number): LayerPiece[] {
  const { members } = rule.layer;
  const pieces: LayerPiece[] = [];
  let n = rule.shiftAt(from);
  let start = rule.handoffAt(n);
  while (start < to) {
    const end = rule.handoffAt(n + 1);
    if (end > start) {
      pieces.push({
        start: Math.max(start, from),
        end: Math.min(end, to),
        userId: members[mod(n, members.length)]!,
        shiftNumber: n,
      });
      start = end;
    }
    n += 1;
  }
  return pieces;
}

/** The union of the restriction windows over [from, to), sorted and disjoint. */
export function restrictionWindows(
  restrictions: readonly Restriction[],
  clock: ZoneClock,
  from: number,
  to: number,
): Span[] {
  const windows: Span[] = [];
  // A window that wraps past midnight starts the day before; a day of margin either side covers offsets too.
  const firstDay = Math.floor(clock.toWall(from) / DAY) - 2;
  const lastDay = Math.floor(clock.toWall(to) / DAY) + 1;
  const rules = restrictions.map((restriction) => {
    const start = timeOfDay(restriction.start);
    const end = timeOfDay(restriction.end);
    const days = restriction.type === "weekly" ? new Set(restriction.days.map(weekdayIndex)) : undefined;
    return { start, end: end <= start ? end + DAY : end, days };
  });
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOf(day);
    for (const rule of rules) {
      if (rule.days && !rule.days.has(weekday)) continue;
      const start = Math.max(clock.fromWall(day * DAY + rule.start), from);
      const end = Math.min(clock.fromWall(day * DAY + rule.end), to);
      if (end > start) windows.push({ start, end });
    }
  }
  windows.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const window of windows) {
    const last = merged.at(-1);
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else merged.push({ ...window });
  }
  return merged;
}

/** What the layer covers in [from, to): its shifts, cut by its end and its restriction windows. */
export function layerPieces(rule: LayerRule, clock: ZoneClock, from: number, to: number): LayerPiece[] {
  const until = Math.min(to, rule.endsAt);
  if (until <= from) return [];
  const shifts = rawShifts(rule, from, until);
  const restrictions = rule.layer.restrictions;
  if (!restrictions || restrictions.length === 0) return shifts;
  return intersect(shifts, restrictionWindows(restrictions, clock, from, until));
}

function intersect(shifts: LayerPiece[], windows: Span[]): LayerPiece[] {
  const pieces: LayerPiece[] = [];
  let w = 0;
  for (const shift of shifts) {
    while (w < windows.length && windows[w]!.end <= shift.start) w++;
    for (let i = w; i < windows.length && windows[i]!.start < shift.end; i++) {
      const start = Math.max(shift.start, windows[i]!.start);
      const end = Math.min(shift.end, windows[i]!.end);
      if (end > start) pieces.push({ ...shift, start, end });
    }
  }
  return pieces;
}

const WEEKDAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;

function weekdayIndex(day: keyof typeof WEEKDAY_INDEX): number {
  return WEEKDAY_INDEX[day];
}

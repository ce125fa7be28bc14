import { invalid, notFound } from "../shared/errors.ts";
import { DAY, isoInstant, type ZoneClock, zoneClock } from "../shared/zone.ts";
import { type LayerRule, layerPieces, layerRule } from "./layer.ts";
import type { LayerShift, Schedule, Shift, ShiftSource } from "./schedule.ts";

/**
 * The rendered schedule: layers stacked (later layers on top), overrides on
 * top of every layer (later overrides on top of earlier ones), cut into
 * segments that tile the asked range exactly. Gaps nobody covers are segments
 * too, with `userId: null`.
 */

/** The longest range one call renders: two years and a bit, enough for a year either side of now. */
export const MAX_RANGE_DAYS = 732;
const MAX_RANGE = MAX_RANGE_DAYS * DAY;
const MAX_REACH = MAX_RANGE / 2;

interface Segment {
  start: number;
  end: number;
  userId: string | null;
  source: ShiftSource;
}

interface Compiled {
  clock: ZoneClock;
  layers: Array<{ rule: LayerRule; source: ShiftSource }>;
  overrides: Segment[];
}

const NOBODY: ShiftSource = { kind: "none" };

function compile(schedule: Schedule): Compiled {
  const clock = zoneClock(schedule.timeZone);
  return {
    clock,
    layers: schedule.layers.map((layer) => ({
      rule: layerRule(layer, clock),
      source: { kind: "layer", layerId: layer.id },
    })),
    overrides: schedule.overrides.map((override) => ({
      start: Date.parse(override.start),
      end: Date.parse(override.end),
      userId: override.userId,
      source: { kind: "override", overrideId: override.id },
    })),
  };
}

function render(compiled: Compiled, from: number, to: number): Segment[] {
  // Tracks from bottom to top; each track's segments are sorted and disjoint.
  const tracks: Segment[][] = compiled.layers.map(({ rule, source }) =>
    layerPieces(rule, compiled.clock, from, to).map((piece) => ({
      start: piece.start,
      end: piece.end,
      userId: piece.userId,
      source,
    })),
  );
  for (const override of compiled.overrides) {
    if (override.end > from && override.start < to) {
      tracks.push([{ ...override, start: Math.max(override.start, from), end: Math.min(override.end, to) }]);
    }
  }

  const points: number[] = [from, to];
  for (const track of tracks) {
    for (const segment of track) points.push(segment.start, segment.end);
  }
  // A typed array sorts numbers natively, without a comparator: most of the cost here otherwise.
  const cuts = Float64Array.from(points).sort();
  const cursors = tracks.map(() => 0);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    if (end === start) continue;
    let top: Segment | undefined;
    for (let t = tracks.length - 1; t >= 0 && !top; t--) {
      const track = tracks[t]!;
      let c = cursors[t]!;
      while (c < track.length && track[c]!.end <= start) c++;
      cursors[t] = c;
      // Every segment's ends are cuts, so one that has started covers all of [start, end).
      if (c < track.length && track[c]!.start <= start) top = track[c];
    }
    const userId = top ? top.userId : null;
    const source = top ? top.source : NOBODY;
    const last = segments.at(-1);
    if (last && last.userId === userId && last.source === source) last.end = end;
    else segments.push({ start, end, userId, source });
  }
  return segments;
}

function instant(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms))
    throw invalid(`${name} is not a valid time.`, [{ path: name, message: "not a valid time" }]);
  return ms;
}

function range(from: Date, to: Date): [number, number] {
  const start = instant(from, "from");
  const end = instant(to, "to");
  if (end <= start)
    throw invalid("The range ends before it starts.", [{ path: "to", message: "must be after from" }]);
  if (end - start > MAX_RANGE) {
    throw invalid(`Ask for at most ${MAX_RANGE_DAYS} days at a time.`, [
      { path: "to", message: `at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  }
  return [start, end];
}

function toShift(segment: Segment): Shift {
  return {
    userId: segment.userId,
    start: isoInstant(segment.start),
    end: isoInstant(segment.end),
    source: copy(segment.source),
  };
}

function copy(source: ShiftSource): ShiftSource {
  if (source.kind === "layer") return { kind: "layer", layerId: source.layerId };
  if (source.kind === "override") return { kind: "override", overrideId: source.overrideId };
  return { kind: "none" };
}

/** Who is on call over [from, to): contiguous segments that exactly cover the range, in order. */
export function coverage(schedule: Schedule, from: Date, to: Date): Shift[] {
  const [start, end] = range(from, to);
  return render(compile(schedule), start, end).map(toShift);
}

/**
 * Who is on call at an instant, and from when until when. The segment is the
 * one `coverage` would give; one that does not change for a year either side
 * is cut there.
 */
export function onCallAt(schedule: Schedule, at: Date): Shift {
  const t = instant(at, "at");
  const compiled = compile(schedule);
  for (let reach = DAY; ; reach = Math.min(reach * 2, MAX_REACH)) {
    const from = t - reach;
    const to = t + reach;
    const segment = render(compiled, from, to).find((s) => s.start <= t && t < s.end)!;
    if ((segment.start > from && segment.end < to) || reach === MAX_REACH) return toShift(segment);
  }
}

/** One layer's own shifts over [from, to), before stacking: its rotation, cut by its restrictions and end. */
export function layerShifts(schedule: Schedule, layerId: string, from: Date, to: Date): LayerShift[] {
  const [start, end] = range(from, to);
  const layer = schedule.layers.find((l) => l.id === layerId);
  if (!layer) throw notFound(`Layer ${layerId} of schedule ${schedule.id}`);
  const clock = zoneClock(schedule.timeZone);
  return layerPieces(layerRule(layer, clock), clock, start, end).map((piece) => ({
    userId: piece.userId,
    start: isoInstant(piece.start),
    end: isoInstant(piece.end),
    source: { kind: "layer", layerId },
    shiftNumber: piece.shiftNumber,
  }));
}

/** The stretches of [from, to) one user is on call for, after stacking and overrides. */
export function userShifts(schedule: Schedule, userId: string, from: Date, to: Date): Shift[] {
  return coverage(schedule, from, to).filter((shift) => shift.userId === userId);
}

import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  coverage,
  type Layer,
  layerShifts,
  onCallAt,
  parseSchedule,
  type Restriction,
  type Schedule,
  type Shift,
  WEEKDAYS,
} from "./index.ts";

/**
 * Schedules in zones with every kind of daylight saving (none, northern,
 * southern, 45-minute offsets, changes at midnight), over ranges that span
 * their offset changes. Expected answers come from an oracle written with
 * luxon's DateTime alone, instant by instant, sharing no code with the engine.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "America/Santiago",
] as const;

/** The instants a zone's offset changes in 2025-2027, to the minute, found by sampling with luxon. */
function offsetChanges(zone: string): number[] {
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  const changes: number[] = [];
  let previous = offset(Date.UTC(2025, 0, 1));
  for (let t = Date.UTC(2025, 0, 1) + DAY; t < Date.UTC(2028, 0, 1); t += DAY) {
    const current = offset(t);
    if (current !== previous) {
      let lo = t - DAY;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
        if (offset(mid) === previous) lo = mid;
        else hi = mid;
      }
      changes.push(hi);
    }
    previous = current;
  }
  return changes;
}

const CHANGES = new Map(ZONES.map((zone) => [zone, offsetChanges(zone)]));

it("knows the offset changes the ranges are built around", () => {
  for (const zone of ZONES) expect(CHANGES.get(zone)!.length, zone).toBe(zone === "Asia/Kolkata" ? 0 : 6);
});

// ---------------------------------------------------------------------------
// The oracle: who is on call at one instant, by the rules, with luxon only.

const wallOf = (t: number, zone: string) => {
  const d = DateTime.fromMillis(t, { zone });
  return Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second, d.millisecond);
};

const localCache = new Map<string, number>();

/** The instant a local day and time happen: the first if twice, the moment of the change if never. */
function localInstant(day: DateTime, time: string, zone: string): number {
  const key = `${zone} ${day.toISODate()} ${time}`;
  const cached = localCache.get(key);
  if (cached !== undefined) return cached;
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wanted = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  let t = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone },
  ).toMillis();
  if (wallOf(t, zone) !== wanted) {
    // luxon moves a time in a gap forward by the gap's length; walk back to the change.
    while (wallOf(t - MINUTE, zone) > wanted) t -= MINUTE;
  } else {
    const earlier = [2 * HOUR, HOUR, 30 * MINUTE].find((back) => wallOf(t - back, zone) === wanted);
    if (earlier !== undefined) t -= earlier;
  }
  localCache.set(key, t);
  return t;
}

const calendarDay = (date: string) => DateTime.fromISO(date, { zone: "utc" });

function oracleHandoff(layer: Layer, n: number, zone: string): number {
  const start = calendarDay(layer.handoff.startDate);
  if (layer.rotation.type === "custom") {
    return localInstant(start, layer.handoff.time, zone) + n * layer.rotation.hours * HOUR;
  }
  const step = layer.rotation.type === "daily" ? 1 : 7;
  return localInstant(start.plus({ days: n * step }), layer.handoff.time, zone);
}

function oracleShiftNumber(layer: Layer, t: number, zone: string): number {
  if (layer.rotation.type === "custom") {
    return Math.floor((t - oracleHandoff(layer, 0, zone)) / (layer.rotation.hours * HOUR));
  }
  const local = DateTime.fromMillis(t, { zone });
  const today = calendarDay(local.toISODate()!);
  const days = Math.round(today.diff(calendarDay(layer.handoff.startDate), "days").days);
  const step = layer.rotation.type === "daily" ? 1 : 7;
  let n = Math.floor(days / step);
  while (oracleHandoff(layer, n, zone) > t) n -= 1;
  while (oracleHandoff(layer, n + 1, zone) <= t) n += 1;
  return n;
}

function oracleInWindow(restrictions: readonly Restriction[], t: number, zone: string): boolean {
  const today = calendarDay(DateTime.fromMillis(t, { zone }).toISODate()!);
  for (let offset = -2; offset <= 1; offset++) {
    const day = today.plus({ days: offset });
    for (const r of restrictions) {
      if (r.type === "weekly" && !r.days.includes(WEEKDAYS[day.weekday - 1]!)) continue;
      const start = localInstant(day, r.start, zone);
      const end = localInstant(r.end <= r.start ? day.plus({ days: 1 }) : day, r.end, zone);
      if (start <= t && t < end) return true;
    }
  }
  return false;
}

function oracleAt(schedule: Schedule, t: number): Pick<Shift, "userId" | "source"> {
  for (const o of [...schedule.overrides].reverse()) {
    if (Date.parse(o.start) <= t && t < Date.parse(o.end)) {
      return { userId: o.userId, source: { kind: "override", overrideId: o.id } };
    }
  }
  for (const layer of [...schedule.layers].reverse()) {
    if (layer.endsAt && t >= Date.parse(layer.endsAt)) continue;
    if (layer.restrictions?.length && !oracleInWindow(layer.restrictions, t, schedule.timeZone)) continue;
    const n = oracleShiftNumber(layer, t, schedule.timeZone);
    const userId = layer.members[((n % layer.members.length) + layer.members.length) % layer.members.length]!;
    return { userId, source: { kind: "layer", layerId: layer.id } };
  }
  return { userId: null, source: { kind: "none" } };
}

// ---------------------------------------------------------------------------
// Generators.

const pad = (n: number) => String(n).padStart(2, "0");
/** Times in and around the gaps and overlaps of the zones above, and any other. */
const time = fc.oneof(
  fc.constantFrom(
    "00:00",
    "00:30",
    "01:30",
    "02:00",
    "02:30",
    "02:45",
    "03:00",
    "03:15",
    "03:30",
    "09:00",
    "23:30",
  ),
  fc
    .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
    .map(({ h, m }) => `${pad(h)}:${pad(m)}`),
);
const date = fc
  .integer({ min: Date.UTC(2024, 5, 1) / DAY, max: Date.UTC(2028, 5, 1) / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));
const rotation = fc.oneof(
  fc.constant({ type: "daily" as const }),
  fc.constant({ type: "weekly" as const }),
  fc.integer({ min: 1, max: 400 }).map((hours) => ({ type: "custom" as const, hours })),
);
const restriction = fc.oneof(
  fc.record({ type: fc.constant("daily" as const), start: time, end: time }),
  fc.record({
    type: fc.constant("weekly" as const),
    days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    start: time,
    end: time,
  }),
);
const USERS = ["ana", "ben", "chi", "dev", "eve"];
const members = fc.array(fc.constantFrom(...USERS), { minLength: 1, maxLength: 4 });
/** A fraction of the range, a little beyond either end too. */
const fraction = fc.integer({ min: -150, max: 1150 }).map((n) => n / 1000);

const layerSpec = fc.record({
  members,
  rotation,
  handoff: fc.record({ startDate: date, time }),
  restrictions: fc.option(fc.array(restriction, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  endsAt: fc.option(fraction, { nil: undefined, freq: 4 }),
});

/** A range around one of the zone's offset changes: mostly days, sometimes months, to any millisecond. */
const range = (zone: (typeof ZONES)[number]) => {
  const changes = CHANGES.get(zone)!;
  const anchors = changes.length > 0 ? changes : [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)];
  return fc
    .record({
      anchor: fc.constantFrom(...anchors),
      before: fc.integer({ min: 1, max: 10 * DAY }),
      after: fc.oneof(fc.integer({ min: 1, max: 10 * DAY }), fc.integer({ min: 10 * DAY, max: 200 * DAY })),
    })
    .map(({ anchor, before, after }) => ({ from: anchor - before, to: anchor + after }));
};

interface Scenario {
  schedule: Schedule;
  from: number;
  to: number;
}

const at = (from: number, to: number, f: number) => Math.round(from + f * (to - from));
const isoAt = (from: number, to: number, f: number) => new Date(at(from, to, f)).toISOString();

const scenario = (options: { restrictions?: boolean; overrides?: boolean } = {}): fc.Arbitrary<Scenario> =>
  fc.constantFrom(...ZONES).chain((zone) =>
    fc
      .record({
        span: range(zone),
        layers: fc.array(layerSpec, { minLength: 1, maxLength: 3 }),
        overrides: fc.array(
          fc.record({
            userId: fc.constantFrom(...USERS),
            start: fraction,
            length: fc.oneof(fc.integer({ min: 1, max: 3 * HOUR }), fc.integer({ min: HOUR, max: 5 * DAY })),
          }),
          { maxLength: options.overrides === false ? 0 : 4 },
        ),
      })
      .map(({ span: { from, to }, layers, overrides }) => ({
        from,
        to,
        schedule: parseSchedule({
          id: "property",
          name: "Property",
          timeZone: zone,
          layers: layers.map((layer, i) => ({
            id: `layer-${i}`,
            name: `Layer ${i}`,
            members: layer.members,
            rotation: layer.rotation,
            handoff: layer.handoff,
            ...(layer.restrictions && options.restrictions !== false
              ? { restrictions: layer.restrictions }
              : {}),
            ...(layer.endsAt !== undefined ? { endsAt: isoAt(from, to, layer.endsAt) } : {}),
          })),
          overrides: overrides.map((o, i) => {
            const start = at(from, to, o.start);
            return {
              id: `override-${i}`,
              userId: o.userId,
              start: new Date(start).toISOString(),
              end: new Date(start + o.length).toISOString(),
            };
          }),
        }),
      })),
  );

// ---------------------------------------------------------------------------

const ms = (iso: string) => Date.parse(iso);
const show = (t: number) => new Date(t).toISOString();

// Checks collect what is wrong and assert once: an `expect` per segment costs more than the engine.

/** What keeps segments from tiling [from, to): a gap, an overlap, an empty segment, a wrong end. */
function tilingProblems(
  segments: ReadonlyArray<{ start: string; end: string }>,
  from: number,
  to: number,
): string[] {
  if (segments.length === 0) return ["no segments"];
  const problems: string[] = [];
  if (ms(segments[0]!.start) !== from) problems.push(`starts at ${segments[0]!.start}, not ${show(from)}`);
  if (ms(segments.at(-1)!.end) !== to) problems.push(`ends at ${segments.at(-1)!.end}, not ${show(to)}`);
  for (const [i, segment] of segments.entries()) {
    if (ms(segment.end) <= ms(segment.start)) problems.push(`empty or reversed at ${segment.start}`);
    const previous = segments[i - 1];
    if (previous && previous.end !== segment.start) problems.push(`${previous.end} then ${segment.start}`);
  }
  return problems;
}

const sameSource = (a: Shift["source"], b: Shift["source"]) => JSON.stringify(a) === JSON.stringify(b);

/** The segment holding an instant, by binary search. */
function segmentAt(segments: readonly Shift[], t: number): Shift {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ms(segments[mid]!.start) <= t) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo]!;
}

describe("coverage across DST changes", () => {
  it("tiles the range exactly, with adjacent segments of one user and source merged", () => {
    fc.assert(
      fc.property(scenario(), ({ schedule, from, to }) => {
        const segments = coverage(schedule, new Date(from), new Date(to));
        const problems = tilingProblems(segments, from, to);
        for (const [i, segment] of segments.entries()) {
          if ((segment.userId === null) !== (segment.source.kind === "none")) {
            problems.push(`${segment.start}: user ${segment.userId} from ${segment.source.kind}`);
          }
          const previous = segments[i - 1];
          if (previous && previous.userId === segment.userId && sameSource(previous.source, segment.source)) {
            problems.push(`${segment.start}: not merged with the segment before`);
          }
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("lays a layer without restrictions as shifts that tile its time, one member after another", () => {
    fc.assert(
      fc.property(scenario({ restrictions: false, overrides: false }), ({ schedule, from, to }) => {
        for (const layer of schedule.layers) {
          const until = Math.min(to, layer.endsAt ? ms(layer.endsAt) : to);
          const shifts = layerShifts(schedule, layer.id, new Date(from), new Date(to));
          if (until <= from) {
            expect(shifts).toEqual([]);
            continue;
          }
          const problems = tilingProblems(shifts, from, until);
          const k = layer.members.length;
          for (const [i, shift] of shifts.entries()) {
            if (i > 0 && shift.shiftNumber !== shifts[i - 1]!.shiftNumber + 1) {
              problems.push(`${shift.start}: shift ${shift.shiftNumber} after ${shifts[i - 1]!.shiftNumber}`);
            }
            if (shift.userId !== layer.members[((shift.shiftNumber % k) + k) % k]) {
              problems.push(`${shift.start}: shift ${shift.shiftNumber} held by ${shift.userId}`);
            }
          }
          expect(problems).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("hands daily and weekly shifts off at the local time, or the first valid instant after it", () => {
    const dailyOrWeekly = fc.constantFrom(...ZONES).chain((zone) =>
      fc.record({
        zone: fc.constant(zone),
        span: range(zone),
        type: fc.constantFrom("daily" as const, "weekly" as const),
        handoff: fc.record({ startDate: date, time }),
      }),
    );
    fc.assert(
      fc.property(dailyOrWeekly, ({ zone, span: { from, to }, type, handoff }) => {
        const schedule = parseSchedule({
          id: "handoffs",
          name: "Handoffs",
          timeZone: zone,
          layers: [{ id: "l", name: "L", members: ["ana", "ben"], rotation: { type }, handoff }],
        });
        const step = type === "daily" ? 1 : 7;
        const [hour, minute] = handoff.time.split(":").map(Number) as [number, number];
        const shifts = layerShifts(schedule, "l", new Date(from), new Date(to));
        const problems: string[] = [];
        for (const shift of shifts) {
          const start = ms(shift.start);
          if (start === from) continue; // cut by the range, not a handoff
          const day = calendarDay(handoff.startDate).plus({ days: shift.shiftNumber * step });
          const wanted = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
          const wall = wallOf(start, zone);
          const jumpedOver = wallOf(start - 1, zone) < wanted && wall > wanted && wall - wanted <= HOUR;
          // The first instant showing that time, if it shows twice.
          const first = [30 * MINUTE, HOUR, 2 * HOUR].every((back) => wallOf(start - back, zone) !== wanted);
          // Or, if it does not exist, the clocks jump over it right at the handoff.
          if (wall === wanted ? !first : !jumpedOver) {
            problems.push(`shift ${shift.shiftNumber} starts ${shift.start}, ${show(wall)} on the wall`);
          }
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with the instant-by-instant oracle, and onCallAt with coverage, anywhere in the range", () => {
    fc.assert(
      fc.property(
        scenario(),
        fc.array(fc.integer({ min: 0, max: 999_999 }), { minLength: 4, maxLength: 12 }),
        ({ schedule, from, to }, picks) => {
          const segments = coverage(schedule, new Date(from), new Date(to));
          const boundaries = segments.slice(0, 8).flatMap((s) => [ms(s.start), ms(s.end) - 1]);
          const instants = [...picks.map((p) => at(from, to - 1, p / 999_999)), ...boundaries];
          for (const [i, t] of instants.entries()) {
            const segment = segmentAt(segments, t);
            const expected = oracleAt(schedule, t);
            expect({ userId: segment.userId, source: segment.source }, show(t)).toEqual(expected);
            if (i % 2 === 1) continue; // onCallAt costs more: every other instant
            const now = onCallAt(schedule, new Date(t));
            // The same segment, seen through a window of its own.
            expect({
              userId: now.userId,
              source: now.source,
              start: show(Math.max(ms(now.start), from)),
              end: show(Math.min(ms(now.end), to)),
            }).toEqual({
              userId: segment.userId,
              source: segment.source,
              start: segment.start,
              end: segment.end,
            });
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it("lets overrides win over every layer, the later of two overlapping ones on top", () => {
    fc.assert(
      fc.property(scenario(), ({ schedule, from, to }) => {
        const segments = coverage(schedule, new Date(from), new Date(to));
        const problems: string[] = [];
        for (const segment of segments) {
          // Segments change wherever an override starts or ends, so checking each start is checking everywhere.
          const t = ms(segment.start);
          const winner = schedule.overrides.findLast((o) => ms(o.start) <= t && t < ms(o.end));
          const won = segment.source.kind === "override" ? segment.source.overrideId : undefined;
          if (won !== winner?.id || (winner && segment.userId !== winner.userId)) {
            problems.push(
              `${segment.start}: ${segment.userId} from ${won ?? segment.source.kind}, not ${winner?.id}`,
            );
          }
        }
        for (const o of schedule.overrides) {
          const middle = Math.floor((ms(o.start) + ms(o.end)) / 2);
          if (middle >= from && middle < to && segmentAt(segments, middle).source.kind !== "override") {
            problems.push(`${show(middle)}: override ${o.id} does not show`);
          }
        }
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

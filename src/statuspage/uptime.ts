import { DAY, isoInstant, zoneClock } from "../shared/zone.ts";
import { worstStatus } from "./component-status.ts";
import type { ComponentStatus, UptimeDay } from "./model.ts";

/**
 * Daily uptime bars from recorded status changes, time-weighted: each day
 * counts the seconds spent in each status, not samples. Days are calendar days
 * in the page's time zone (so a DST day has 23 or 25 hours). Before the first
 * record, and after `now`, there is no data.
 */
export const UPTIME_DAYS = 90;
/** Atlassian's weighting: a partial outage counts as 30% down, a major outage fully. */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;

export interface StatusRecord {
  at: string;
  status: ComponentStatus;
}

export interface IncidentSpan {
  id: string;
  name: string;
  impact: ComponentStatus;
  start: number;
  /** Epoch ms, or Infinity while open. */
  end: number;
}

function zero(): Record<ComponentStatus, number> {
  return {
    operational: 0,
    degraded_performance: 0,
    partial_outage: 0,
    major_outage: 0,
    under_maintenance: 0,
  };
}

/** The first instant of each of the last `count` days (oldest first) and the end of today, in `zone`. */
export function dayBounds(
  now: Date,
  zone: string,
  count = UPTIME_DAYS,
): { dates: string[]; starts: number[] } {
  const clock = zoneClock(zone);
  const todayWall = Math.floor(clock.toWall(now.getTime()) / DAY) * DAY;
  const dates: string[] = [];
  const starts: number[] = [];
  for (let i = count - 1; i >= -1; i--) {
    const wall = todayWall - i * DAY;
    if (i >= 0) dates.push(isoInstant(wall).slice(0, 10));
    starts.push(clock.fromWall(wall));
  }
  return { dates, starts };
}

/**
 * `records` are one component's changes, oldest first; the first is when it was
 * first seen. `incidents` are the public incidents that touched it.
 */
export function uptimeDays(
  records: StatusRecord[],
  incidents: IncidentSpan[],
  now: Date,
  zone: string,
  count = UPTIME_DAYS,
  bounds: { dates: string[]; starts: number[] } = dayBounds(now, zone, count),
): { days: UptimeDay[]; percent: number | null } {
  const { dates, starts } = bounds;
  const nowMs = now.getTime();
  const points = records.map((r) => ({ at: Date.parse(r.at), status: r.status }));
  const days: UptimeDay[] = [];
  let covered = 0;
  let down = 0;
  let cursor = 0;
  // Index of the last record at or before the window's start.
  while (cursor + 1 < points.length && (points[cursor + 1]?.at ?? Infinity) <= (starts[0] ?? 0)) cursor++;

  for (let d = 0; d < dates.length; d++) {
    const dayStart = starts[d] ?? 0;
    const dayEnd = Math.min(starts[d + 1] ?? 0, nowMs);
    const seconds = zero();
    const seen = new Set<ComponentStatus>();
    let i = cursor;
    while (i < points.length) {
      const point = points[i];
      if (!point || point.at >= dayEnd) break;
      const from = Math.max(point.at, dayStart);
      const to = Math.min(points[i + 1]?.at ?? Infinity, dayEnd);
      if (to > from) {
        seconds[point.status] += (to - from) / 1000;
        seen.add(point.status);
      }
      if ((points[i + 1]?.at ?? Infinity) > dayEnd) break;
      i++;
    }
    cursor = i;
    const total = Object.values(seconds).reduce((a, b) => a + b, 0);
    covered += total;
    down += seconds.major_outage + PARTIAL_OUTAGE_WEIGHT * seconds.partial_outage;
    const dayIncidents = incidents
      .filter((span) => span.start < (starts[d + 1] ?? 0) && span.end > dayStart)
      .map(({ id, name, impact }) => ({ id, name, impact }));
    days.push({
      date: dates[d] ?? "",
      seconds,
      worst: total > 0 ? worstStatus(seen) : "no_data",
      incidents: dayIncidents,
    });
  }
  const percent = covered > 0 ? Math.floor(((covered - down) / covered) * 10_000) / 100 : null;
  return { days, percent };
}

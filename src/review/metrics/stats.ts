import type { Distribution } from "./model.ts";

export const WEEK_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * Nearest-rank percentile of values already sorted ascending: the value at
 * 1-based rank ⌈p/100 × n⌉, at least rank 1; null for no values. `percent`
 * is a whole number (50, 90), so `percent * n` is an exact integer and the
 * division by 100 is exact whenever the rank is a whole number.
 */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((percent * n) / 100));
  return sorted[rank - 1]!;
}

/** Summarizes the values (sorting a copy). */
export function distribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
}

export function median(values: number[]): number | null {
  return nearestRank(Float64Array.from(values).sort(), 50);
}

export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Seconds between two epoch-ms instants, never negative. */
export function seconds(fromMs: number, toMs: number): number {
  return toMs > fromMs ? (toMs - fromMs) / 1000 : 0;
}

/** Monday 00:00 UTC of the week holding `ms`. */
export function mondayOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  // 1970-01-01 was a Thursday: getUTCDay() 0 = Sunday … 6 = Saturday.
  const weekday = new Date(day).getUTCDay();
  return day - ((weekday + 6) % 7) * DAY_MS;
}

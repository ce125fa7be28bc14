/**
 * When to try a failed job again. Delays follow Standard Webhooks' schedule by
 * default (about three days in all), each with ±20 % jitter so that many jobs
 * failing together do not come back together.
 */
export interface RetryPolicy {
  /** Delay before attempt n+1 after attempt n failed; its length is the number of retries. */
  delaysMs: readonly number[];
  jitter: number;
}

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

export const STANDARD_WEBHOOKS_RETRIES: RetryPolicy = {
  delaysMs: [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H],
  jitter: 0.2,
};

/** For timers and reminders: a few quick tries, then give up. */
export const SHORT_RETRIES: RetryPolicy = { delaysMs: [5 * S, 30 * S, 2 * M], jitter: 0.2 };

/** The delay before the next attempt, or null when the schedule is used up. */
export function nextDelay(
  policy: RetryPolicy,
  failedAttempts: number,
  random: () => number = Math.random,
): number | null {
  const base = policy.delaysMs[failedAttempts - 1];
  if (base === undefined) return null;
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/**
 * Thrown by a job that should be tried again at a given time (a provider's
 * 429 or 503 with Retry-After), instead of on the policy's schedule.
 */
export class RetryLater extends Error {
  readonly afterMs: number;
  constructor(message: string, afterMs: number) {
    super(message);
    this.name = "RetryLater";
    this.afterMs = afterMs;
  }
}

/** Thrown by a job that must not be tried again (a 400 or a 410 from the provider). */
export class GiveUp extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GiveUp";
  }
}

/** Reads an HTTP Retry-After header: seconds, or an HTTP date. */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

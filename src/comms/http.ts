import { GiveUp, RetryLater, retryAfterMs } from "../jobs/retry.ts";

/** What providers' HTTP answers mean for a delivery, in one place for every adapter. */

const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * Returns the response when it is a success, else throws: RetryLater for 429
 * (and 502/503/504 with Retry-After), GiveUp for 410 and for other 4xx (the
 * provider refused this request; sending it again will not help), and a plain
 * error for 3xx (redirects are not followed), 408 and 5xx (retried on schedule).
 */
export async function expectSuccess(response: Response, provider: string, now: Date): Promise<Response> {
  if (response.status >= 200 && response.status < 300) return response;
  const body = snippet(await response.text().catch(() => ""));
  const what = `${provider} answered ${response.status}${body ? `: ${body}` : ""}`;
  const after = retryAfterMs(response.headers.get("retry-after"), now);
  if (response.status === 429) throw new RetryLater(what, after ?? DEFAULT_RATE_LIMIT_WAIT_MS);
  if ([502, 503, 504].includes(response.status) && after !== null) throw new RetryLater(what, after);
  if (response.status === 410) throw new GiveUp(`${what} (the endpoint is gone)`);
  if (response.status >= 400 && response.status < 500 && response.status !== 408) throw new GiveUp(what);
  throw new Error(what);
}

/** JSON body of a successful answer, checked to be an object. */
export async function jsonBody(response: Response, provider: string): Promise<Record<string, unknown>> {
  const data: unknown = await response.json().catch(() => null);
  if (typeof data !== "object" || data === null)
    throw new Error(`${provider} answered with a body that is not JSON`);
  return data as Record<string, unknown>;
}

import { z } from "zod";
import { GiveUp, RetryLater } from "../../jobs/retry.ts";
import { expectSuccess, jsonBody } from "../http.ts";
import { shorten } from "../measure.ts";
import type { AdapterContext, Limit, MessageFacts, Rendering } from "./types.ts";

/**
 * What the social (Mastodon, Bluesky, X) and service-desk (Jira Service
 * Management, Zendesk) adapters share: settings fields, fitting text to a
 * limit, and reading providers' answers, rate-limit headers included.
 */

export const USER_AGENT = "Runsheet";
/** A provider that has not answered in 15 s is retried later rather than holding a worker. */
export const TIMEOUT_MS = 15_000;
const DRILL_PREFIX = "[DRILL] ";

/** A secret as the plan resolves it: a non-empty string. */
export const Secret = z.string().min(1, "set this secret (write { env: NAME } in the plan)");

/** An http(s) base URL, kept without its trailing slash so paths can be appended. */
export const BaseUrl = z
  .url({ protocol: /^https?$/, error: "write an http:// or https:// URL" })
  .transform((url) => url.replace(/\/+$/, ""));

/** Ids that YAML may read as numbers (`service_desk_id: 4`), kept as the string the API takes. */
export const NumericId = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^\d+$/, "write the numeric id"));

export function withDrillPrefix(facts: MessageFacts, text: string): string {
  return facts.incident.drill ? `${DRILL_PREFIX}${text}` : text;
}

/**
 * The text of a post: the update's body, or (when the author left it blank,
 * which providers refuse) the subject or title with the incident's link.
 */
export function postText(facts: MessageFacts): string {
  const body = facts.body.trim();
  if (body) return withDrillPrefix(facts, body);
  const heading = facts.subject.trim() || facts.incident.title.trim() || facts.incident.reference;
  return withDrillPrefix(facts, `${heading} ${facts.incident.url}`.trim());
}

export interface Fitted {
  text: string;
  length: number;
  fullLength: number;
  limit: Limit;
  shortened: boolean;
}

/** Shortens `full` to `limit` by `measure`, keeping the incident's link whole at the end. */
export function fitText(
  full: string,
  facts: MessageFacts,
  limit: Limit,
  measure: (s: string) => number,
): Fitted {
  const fullLength = measure(full);
  const text = fullLength > limit.max ? shorten(full, limit.max, measure, facts.incident.url) : full;
  return { text, length: measure(text), fullLength, limit, shortened: fullLength > limit.max };
}

export function rendering(fitted: Fitted, payload: unknown, subject?: string): Rendering {
  return { ...fitted, payload, ...(subject === undefined ? {} : { subject }) };
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** Headers of a JSON request; `authorization` is null for the one request that logs in. */
export function jsonHeaders(
  authorization: string | null,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(authorization === null ? {} : { Authorization: authorization }),
    "Content-Type": "application/json",
    Accept: "application/json",
    "User-Agent": USER_AGENT,
    ...extra,
  };
}

/** ctx.fetch with the JSON body, the timeout and Runsheet's headers every adapter sends. */
export function send(
  ctx: AdapterContext,
  method: "POST" | "PUT",
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Response> {
  return ctx.fetch(url, {
    method,
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

const RESET_HEADERS = ["x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset"];
/** Reset values below this are seconds to wait (IETF draft); above it, Unix times (X, Bluesky). */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/**
 * The wait a provider's rate-limit reset header asks for: X and Bluesky send
 * a Unix time in seconds, Mastodon an ISO 8601 time, the IETF draft seconds.
 */
export function rateLimitResetMs(headers: Headers, now: Date): number | null {
  for (const name of RESET_HEADERS) {
    const value = headers.get(name)?.trim();
    if (!value) continue;
    const number = Number(value);
    if (Number.isFinite(number)) {
      const at = number > EPOCH_SECONDS_THRESHOLD ? number * 1000 : now.getTime() + number * 1000;
      return Math.max(0, at - now.getTime());
    }
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  return null;
}

/**
 * expectSuccess, plus the reset headers of providers that rate-limit without
 * Retry-After (X, Mastodon, Bluesky), so a 429 waits exactly as long as asked.
 */
export async function expectDelivered(response: Response, provider: string, now: Date): Promise<Response> {
  if (response.status === 429 && !response.headers.has("retry-after")) {
    const wait = rateLimitResetMs(response.headers, now);
    if (wait !== null) {
      const body = (await response.text().catch(() => "")).slice(0, 300);
      throw new RetryLater(`${provider} answered 429 (rate limited)${body ? `: ${body}` : ""}`, wait);
    }
  }
  return expectSuccess(response, provider, now);
}

/** The successful answer's JSON, checked against what the provider documents. */
export async function answer<T>(response: Response, provider: string, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await jsonBody(response, provider));
  if (!parsed.success) {
    throw new Error(
      `${provider} answered ${response.status} with an unexpected body: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * The payload render produced, read back at delivery (it may have been stored
 * as JSON in between). One that does not match can never be sent: give up.
 */
export function storedPayload<T>(rendering: Rendering, provider: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(rendering.payload);
  if (!parsed.success) {
    throw new GiveUp(
      `the ${provider} rendering is not a ${provider} payload: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

/**
 * A ticket's subject on one line (Jira refuses line breaks in a summary), with
 * the incident's reference and title when the template left it blank.
 */
export function ticketSubject(facts: MessageFacts): string {
  const subject = oneLine(facts.subject) || oneLine(`${facts.incident.reference} ${facts.incident.title}`);
  return withDrillPrefix(facts, subject || "Incident");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

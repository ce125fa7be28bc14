import { z } from "zod";
import { expectSuccess } from "../http.ts";
import { shorten, URL_PATTERN } from "../measure.ts";
import type { AdapterContext, DeliveryOutcome, MessageFacts, Rendering } from "./types.ts";

/**
 * What the chat and webhook adapters share: the lines every message is built
 * from, fitting the author's text into a provider's limit, and the one way they
 * send a request.
 */

/** Providers see who is calling; some rate-limit or block requests without a User-Agent. */
export const USER_AGENT = "Runsheet";
/** Standard Webhooks asks receivers to answer within 15–30 s; chat providers answer in well under that. */
export const TIMEOUT_MS = 15_000;

/** A provider's webhook URL as the provider shows it: absolute, http(s). */
export const HttpUrl = z.url({
  protocol: /^https?$/,
  error: "write the full http(s) URL, as the provider shows it",
});

/**
 * Chat providers limit "characters" without saying how they count: services in
 * JavaScript or Java count UTF-16 units, others code points. A string never has
 * fewer UTF-16 units than code points, so counting units keeps a message under
 * the limit whichever way the provider counts.
 */
export function chatLength(text: string): number {
  return text.length;
}

const PHASE_LABELS: Record<MessageFacts["phase"], string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

export function phaseLabel(phase: MessageFacts["phase"]): string {
  return PHASE_LABELS[phase];
}

/** Chat messages of a drill say so first, so nobody mistakes practice for an outage. */
export function drillPrefix(facts: MessageFacts): string {
  return facts.incident.drill ? "[DRILL] " : "";
}

/** Titles are at most 200 characters when declared; this bound only protects the layouts. */
const HEADLINE_MAX = 300;

/** Reference and phase first, so a cut (Slack's 150-character header) only ever takes the title's end. */
export function headline(facts: MessageFacts): string {
  const { reference, title } = facts.incident;
  return shorten(`${reference} · ${phaseLabel(facts.phase)} · ${title}`, HEADLINE_MAX, chatLength);
}

/** Severity names come from the plan; the bound keeps a card's field valid whatever it says. */
export function severityText(facts: MessageFacts, max = 100): string {
  return shorten(facts.incident.severityName.trim(), max, chatLength) || "—";
}

/**
 * "API (major outage), Web (partial outage)", summarised as "… and 3 more" past
 * `max`: the incident page lists them all, and one plan with a hundred
 * components must not crowd the update out of a chat message.
 */
export function componentsText(facts: MessageFacts, max = 1_000, separator = ", "): string {
  const items = facts.incident.components.map((c) => `${c.name} (${c.impact.replaceAll("_", " ")})`);
  const all = items.join(separator);
  if (chatLength(all) <= max) return all;
  const summary = (kept: number) =>
    kept > 0
      ? `${items.slice(0, kept).join(separator)} and ${items.length - kept} more`
      : `${items.length} components`;
  // Lengths only grow with `kept`, so the first that does not fit ends the search.
  let kept = 0;
  while (kept + 1 < items.length && chatLength(summary(kept + 1)) <= max) kept += 1;
  return summary(kept);
}

/** Applies `change` to the text between links, so links reach the provider exactly as written. */
export function outsideLinks(text: string, change: (text: string) => string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += change(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + change(text.slice(last));
}

export interface Fitted {
  /** The author's text, or its longest prefix that fits, then "…" and the link. */
  body: string;
  length: number;
  fullLength: number;
  shortened: boolean;
}

/**
 * Fits the author's text into a message: `measure(body)` is the provider's
 * measure of the whole message built around `body`. Only the author's text is
 * cut, and it then ends with "…" and `tail` (the incident's link, whole), so a
 * reader can always find the rest.
 */
export function fitBody(body: string, tail: string, max: number, measure: (body: string) => number): Fitted {
  const fullLength = measure(body);
  if (fullLength <= max) return { body, length: fullLength, fullLength, shortened: false };
  // Every measure here counts each UTF-16 unit of the body at least once, so no more than `max`
  // units can survive; segmenting only those (plus one, so the rest still overflows) keeps
  // shortening a pasted log cheap.
  const head = body.slice(0, max + 1);
  // The head alone may fit (the measure trims trailing space): then only the whole body overflows.
  const cut = shorten(measure(head) > max ? head : body, max, measure, tail);
  return { body: cut, length: measure(cut), fullLength, shortened: true };
}

export interface TextStyle {
  bold(text: string): string;
  /** Neutralises the provider's notify-everyone syntax in what users wrote. */
  defuse(text: string): string;
}

/**
 * A message that is one text (Mattermost, Google Chat): headline, severity and
 * components, the author's text, and the incident's link last. When it is too
 * long, the author's text is cut and the link follows the "…".
 */
export function fitTextMessage(
  facts: MessageFacts,
  max: number,
  style: TextStyle,
): Fitted & { text: string } {
  const components = componentsText(facts);
  const details = [
    `${style.bold("Severity:")} ${severityText(facts)}`,
    ...(components ? [`${style.bold("Components:")} ${components}`] : []),
  ].join(" · ");
  const head = `${drillPrefix(facts)}${style.bold(headline(facts))}`;
  const textOf = (body: string) => style.defuse([head, details, body.trim()].filter(Boolean).join("\n\n"));
  const url = facts.incident.url;
  const fitted = fitBody(`${facts.body.trim()}\n\n${url}`.trim(), url, max, (body) =>
    chatLength(textOf(body)),
  );
  return { ...fitted, text: textOf(fitted.body) };
}

/** `url` with `params` set, keeping what the provider already put in its query (keys, tokens). */
export function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

export interface Post {
  url: string;
  /** The serialised payload: the bytes the preview showed (and, for webhooks, that were signed). */
  body: string;
  provider: string;
  headers?: Record<string, string>;
}

/**
 * POSTs JSON and returns the successful response, or throws as `expectSuccess`
 * says. Redirects are not followed: a 3xx is a failure, so a webhook URL cannot
 * bounce a signed message somewhere else.
 */
export async function postJson(ctx: AdapterContext, post: Post): Promise<Response> {
  const response = await ctx.fetch(post.url, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...post.headers },
    body: post.body,
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return expectSuccess(response, post.provider, ctx.now());
}

/** Posts a rendering to an incoming webhook that answers with nothing worth keeping (Slack, Teams, Mattermost). */
export async function postToWebhook(
  ctx: AdapterContext,
  url: string,
  rendering: Rendering,
  provider: string,
): Promise<DeliveryOutcome> {
  const response = await postJson(ctx, { url, body: JSON.stringify(rendering.payload), provider });
  await discard(response);
  return {};
}

/**
 * The JSON of a successful answer, or null. The message exists once the
 * provider said 2xx, so an answer we cannot read is not a reason to send again.
 */
export async function answerJson(response: Response): Promise<unknown> {
  return response.json().catch(() => null);
}

/** Reads and drops a body nobody needs, so the connection goes back to the pool. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

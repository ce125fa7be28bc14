import type { Phase } from "../../plan/schema.ts";
import { escapeHtml } from "../../shared/html.ts";
import type { Links } from "../links.ts";
import type { MaintenanceStatus, PageSnapshot } from "../model.ts";

/**
 * The page's history as RSS 2.0 and Atom 1.0: incidents and maintenances,
 * newest first. A feed is read far from the page (a reader, a chat bot, an
 * email digest), so every link in it is absolute, built from the page's public
 * URL, and every entry's id is its incident URL, which never changes.
 *
 * Entry content is HTML (a published postmortem's title and link, then the
 * updates: phase, time, text), escaped once as HTML and once more as XML, so
 * no user text can become markup in either.
 */

/** A feed lists at most this many entries. */
export const FEED_LIMIT = 50;

const PHASE_LABELS: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
} satisfies Record<Phase | MaintenanceStatus, string>;

interface FeedEntry {
  kind: "incident" | "maintenance";
  url: string;
  title: string;
  published: number;
  updated: number;
  /** Escaped HTML. */
  html: string;
}

/**
 * `links` is where the page's own files are, relative or rooted; a feed read
 * elsewhere needs absolute URLs, so it builds them from `page.url` instead and
 * takes `links` only to be called like the other renderers.
 */
export function renderRss(snapshot: PageSnapshot, _links: Links): string {
  const base = pageUrl(snapshot);
  const { page } = snapshot;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    `<title>${xml(`${page.name} status`)}</title>`,
    `<link>${xml(`${base}/`)}</link>`,
    `<description>${xml(page.description || `Incident and maintenance history of ${page.name}`)}</description>`,
    "<language>en</language>",
    `<lastBuildDate>${rfc822(Date.parse(snapshot.updatedAt))}</lastBuildDate>`,
    "<generator>Runsheet</generator>",
    `<atom:link href="${xml(`${base}/history.rss`)}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const entry of entries(snapshot, base)) {
    out.push(
      "<item>",
      `<title>${xml(entry.title)}</title>`,
      `<link>${xml(entry.url)}</link>`,
      `<guid isPermaLink="true">${xml(entry.url)}</guid>`,
      `<pubDate>${rfc822(entry.published)}</pubDate>`,
      `<category>${entry.kind}</category>`,
      `<description>${xml(entry.html)}</description>`,
      "</item>",
    );
  }
  out.push("</channel>", "</rss>", "");
  return out.join("\n");
}

/** Atom 1.0 (RFC 4287); `links` as for renderRss. */
export function renderAtom(snapshot: PageSnapshot, _links: Links): string {
  const base = pageUrl(snapshot);
  const { page } = snapshot;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `<id>${xml(`${base}/history`)}</id>`,
    `<title>${xml(`${page.name} status`)}</title>`,
  ];
  if (page.description) out.push(`<subtitle>${xml(page.description)}</subtitle>`);
  out.push(
    `<updated>${rfc3339(Date.parse(snapshot.updatedAt))}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xml(`${base}/history.atom`)}"/>`,
    `<link rel="alternate" type="text/html" href="${xml(`${base}/history`)}"/>`,
    `<author><name>${xml(page.name)}</name></author>`,
    "<generator>Runsheet</generator>",
  );
  for (const entry of entries(snapshot, base)) {
    out.push(
      "<entry>",
      `<id>${xml(entry.url)}</id>`,
      `<title type="text">${xml(entry.title)}</title>`,
      `<updated>${rfc3339(entry.updated)}</updated>`,
      `<published>${rfc3339(entry.published)}</published>`,
      `<link rel="alternate" type="text/html" href="${xml(entry.url)}"/>`,
      `<category term="${entry.kind}"/>`,
      `<content type="html">${xml(entry.html)}</content>`,
      "</entry>",
    );
  }
  out.push("</feed>", "");
  return out.join("\n");
}

/** The page's public URL without a trailing slash. */
function pageUrl(snapshot: PageSnapshot): string {
  return snapshot.page.url.replace(/\/+$/, "");
}

/** Incidents and maintenances together, newest (by creation) first, at most FEED_LIMIT. */
function entries(snapshot: PageSnapshot, base: string): FeedEntry[] {
  const when = timeFormatter(snapshot.page.timeZone);
  const candidates: Array<{ published: number; index: number; build: () => FeedEntry }> = [];
  snapshot.incidents.forEach((incident, index) => {
    const published = Date.parse(incident.createdAt);
    candidates.push({
      published,
      index,
      build: () => {
        const url = `${base}/incidents/${encodeURIComponent(incident.id)}`;
        const parts: string[] = [];
        const { postmortem } = incident;
        if (postmortem) {
          parts.push(
            `<p><strong>Postmortem published</strong> <small>${html(when(postmortem.publishedAt))}</small><br><a href="${html(`${url}#postmortem`)}">${html(postmortem.title ?? "Read the postmortem")}</a></p>`,
          );
        }
        if (incident.components.length > 0) {
          parts.push(
            `<p><strong>Affected:</strong> ${incident.components.map((c) => html(c.name)).join(", ")}</p>`,
          );
        }
        for (const update of incident.updates) parts.push(updateHtml(update, when));
        return {
          kind: "incident",
          url,
          title: incident.name,
          published,
          updated: Math.max(
            published,
            Date.parse(incident.updatedAt),
            postmortem ? Date.parse(postmortem.publishedAt) : 0,
          ),
          html: parts.join(""),
        };
      },
    });
  });
  const offset = snapshot.incidents.length;
  snapshot.maintenances.forEach((maintenance, index) => {
    const published = Date.parse(maintenance.createdAt);
    candidates.push({
      published,
      index: offset + index,
      build: () => {
        const parts = [
          `<p><strong>Scheduled:</strong> ${html(when(maintenance.scheduledFor))} to ${html(when(maintenance.scheduledUntil))}</p>`,
        ];
        if (maintenance.components.length > 0) {
          parts.push(
            `<p><strong>Affected:</strong> ${maintenance.components.map((c) => html(c.name)).join(", ")}</p>`,
          );
        }
        for (const update of maintenance.updates) parts.push(updateHtml(update, when));
        return {
          kind: "maintenance",
          url: `${base}/incidents/${encodeURIComponent(maintenance.id)}`,
          title: maintenance.name,
          published,
          updated: Math.max(published, Date.parse(maintenance.updatedAt)),
          html: parts.join(""),
        };
      },
    });
  });
  candidates.sort((a, b) => b.published - a.published || a.index - b.index);
  return candidates.slice(0, FEED_LIMIT).map((candidate) => candidate.build());
}

function updateHtml(
  update: { status: string; createdAt: string; body: string },
  when: (iso: string) => string,
) {
  const label = PHASE_LABELS[update.status] ?? update.status;
  const body = html(update.body).replace(/\r\n?|\n/g, "<br>");
  return `<p><strong>${html(label)}</strong> <small>${html(when(update.createdAt))}</small><br>${body}</p>`;
}

/**
 * "27 Nov 2026, 11:30 GMT" in the page's time zone. One formatter per zone,
 * kept across calls with the minutes it has written: Intl costs microseconds a
 * call, and the same update times come back on every render.
 */
const timeFormatters = new Map<string, (iso: string) => string>();
const MAX_CACHED_TIMES = 20_000;

function timeFormatter(timeZone: string): (iso: string) => string {
  const cached = timeFormatters.get(timeZone);
  if (cached) return cached;
  const intl = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });
  const written = new Map<number, string>();
  const format = (iso: string) => {
    const minute = Math.floor(Date.parse(iso) / 60_000);
    let text = written.get(minute);
    if (text === undefined) {
      text = intl.format(minute * 60_000);
      if (written.size >= MAX_CACHED_TIMES) written.clear();
      written.set(minute, text);
    }
    return text;
  };
  timeFormatters.set(timeZone, format);
  return format;
}

/** Characters XML 1.0 forbids anywhere (controls, lone surrogates, U+FFFE/U+FFFF). */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** A cheap first look: any surrogate or illegal character (most text has neither). */
const MAYBE_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;
const XML_SPECIAL = /[&<>"']/;

/** User text as HTML text (the feed escapes it once more as XML). */
const html = escapeHtml;

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Text for XML element content or a double-quoted attribute, without what XML 1.0 cannot carry. */
function xml(text: string): string {
  const legal = MAYBE_ILLEGAL.test(text) ? text.replace(ILLEGAL_XML, "") : text;
  return XML_SPECIAL.test(legal) ? legal.replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char) : legal;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 822 (with a four-digit year, as RSS 2.0 recommends): "Fri, 27 Nov 2026 11:30:00 +0000". */
function rfc822(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** RFC 3339 in UTC: "2026-11-27T11:30:00.000Z". */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

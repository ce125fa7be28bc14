import { safeHref } from "../../shared/html.ts";
import { historyKey, incidentKey, type Links } from "../links.ts";
import type {
  ComponentStatus,
  PageIncident,
  PageIncidentUpdate,
  PageMaintenance,
  PageMaintenanceUpdate,
  PageSnapshot,
} from "../model.ts";
import { metaCsp, pageCss } from "./html-css.ts";
import {
  e,
  IMPACT_TONE,
  IMPACT_WORDS,
  MAINTENANCE_WORDS,
  PHASE_WORDS,
  paragraphs,
  STATUS_TONE,
  STATUS_WORDS,
  type Tone,
  timeTag,
  windowTags,
} from "./html-format.ts";

/**
 * The pieces every status page is made of: the document shell (head, header,
 * footer, the stale notice), status labels with their icons, and the notices
 * of incidents and maintenances with their updates.
 */

/** One rendering: the snapshot, where links go, and the zone times are shown in. */
export interface View {
  snapshot: PageSnapshot;
  links: Links;
  timeZone: string;
}

export function viewOf(snapshot: PageSnapshot, links: Links): View {
  return { snapshot, links, timeZone: snapshot.page.timeZone };
}

// One icon per status, drawn once per page and referenced by <use>: a filled circle (coloured by
// the status) with a glyph, so a status reads by its shape and its words as well as its colour.
const GLYPHS: Record<Tone, string> = {
  ok: "M5.8 10.4l2.8 2.8 5.6-6",
  dg: "M6 10h8",
  po: "M10 5.6v5.2M10 14.4v.01",
  mo: "M6.8 6.8l6.4 6.4M13.2 6.8l-6.4 6.4",
  um: "M10 5.5V10l3 2.2",
  nd: "M10 9.2v5M10 5.8v.01",
};

const SPRITE = `<svg class="sprite" aria-hidden="true" focusable="false">${Object.entries(GLYPHS)
  .map(
    ([tone, d]) =>
      `<symbol id="i-${tone}" viewBox="0 0 20 20"><circle cx="10" cy="10" r="10" stroke="none"/><path fill="none" d="${d}"/></symbol>`,
  )
  .join("")}</svg>`;

/** A status icon; `glyph` when the shape should differ from the colour's usual one. */
export function icon(tone: Tone, glyph: Tone = tone): string {
  return `<svg class="i ${tone}" aria-hidden="true"><use href="#i-${glyph}"/></svg>`;
}

export function statusLabel(status: ComponentStatus): string {
  const tone = STATUS_TONE[status];
  return `<span class="st ${tone}">${icon(tone)}${STATUS_WORDS[status]}</span>`;
}

function tag(text: string, tone?: Tone): string {
  return `<span class="tag">${tone ? icon(tone) : ""}${e(text)}</span>`;
}

export function incidentHref(view: View, id: string): string {
  return e(view.links.page(incidentKey(id)));
}

export interface Shell {
  /** The document's title, before " — <page name>". Null on the home page. */
  title: string | null;
  main: string;
  /** Which header link is the current page. */
  current?: "subscribe";
}

export function documentOf(view: View, shell: Shell): string {
  const { page } = view.snapshot;
  const title = shell.title === null ? `${page.name} status` : `${shell.title} — ${page.name} status`;
  const rss = e(view.links.file("history.rss"));
  const atom = e(view.links.file("history.atom"));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${e(metaCsp(page))}">
<title>${e(title)}</title>
${page.description ? `<meta name="description" content="${e(page.description)}">\n` : ""}<meta name="color-scheme" content="light dark">
<link rel="alternate" type="application/rss+xml" title="${e(page.name)} incident history (RSS)" href="${rss}">
<link rel="alternate" type="application/atom+xml" title="${e(page.name)} incident history (Atom)" href="${atom}">
<style>${pageCss(page)}</style>
</head>
<body>
${SPRITE}
<a class="skip" href="#main">Skip to main content</a>
${header(view, shell)}
<main id="main" class="wrap">
${staleNotice(view)}${shell.main}
</main>
${footer(view)}
</body>
</html>
`;
}

function header(view: View, shell: Shell): string {
  const { page } = view.snapshot;
  const logo = page.logoUrl ? safeHref(page.logoUrl) : undefined;
  const brand = logo ? `<img src="${e(logo)}" alt="${e(page.name)}">` : e(page.name);
  const items = page.links.flatMap((link) => {
    const href = safeHref(link.url);
    return href ? [`<li><a href="${e(href)}">${e(link.label)}</a></li>`] : [];
  });
  const current = shell.current === "subscribe" ? ' aria-current="page"' : "";
  return `<header class="top"><div class="wrap">
<a class="brand" href="${e(view.links.page(""))}">${brand}</a>
<nav aria-label="${e(page.name)}">${items.length > 0 ? `<ul>${items.join("")}</ul>` : ""}<a class="btn" href="${e(view.links.page("subscribe"))}"${current}>Subscribe to updates</a></nav>
</div></header>`;
}

function footer(view: View): string {
  const { links, snapshot } = view;
  return `<footer class="foot wrap">
<nav aria-label="Feeds and API"><ul>
<li><a href="${e(links.file("history.rss"))}">RSS feed</a></li>
<li><a href="${e(links.file("history.atom"))}">Atom feed</a></li>
<li><a href="${e(links.file("api/v2/summary.json"))}">JSON API</a></li>
<li><a href="${e(links.page(historyKey(1)))}">Incident history</a></li>
</ul></nav>
<p>Updated ${timeTag(snapshot.generatedAt, view.timeZone)}</p>
<p>Powered by Runsheet</p>
</footer>`;
}

function staleNotice(view: View): string {
  if (view.snapshot.stale === null) return "";
  return `<p class="stale" role="status">${icon("dg", "po")}<span>Live updates are paused. This page shows the status as of ${timeTag(view.snapshot.generatedAt, view.timeZone)}.</span></p>\n`;
}

/** A list of the updates, newest first. */
export function incidentUpdates(view: View, updates: readonly PageIncidentUpdate[]): string {
  const items = newestFirst(updates).map((update) => {
    const changes = (update.affectedComponents ?? []).map(
      (c) => `${e(c.name)}: ${STATUS_WORDS[c.oldStatus]} → ${STATUS_WORDS[c.newStatus]}`,
    );
    return `<li><strong class="phase">${PHASE_WORDS[update.status]}</strong><div>${paragraphs(update.body)}</div>${
      changes.length > 0 ? `<p class="changes">${changes.join("<br>")}</p>` : ""
    }<p class="meta">${timeTag(update.createdAt, view.timeZone)}</p></li>`;
  });
  return items.length === 0 ? "" : `<ol class="updates">${items.join("")}</ol>`;
}

export function maintenanceUpdates(view: View, updates: readonly PageMaintenanceUpdate[]): string {
  const items = newestFirst(updates).map(
    (update) =>
      `<li><strong class="phase">${MAINTENANCE_WORDS[update.status]}</strong><div>${paragraphs(update.body)}</div><p class="meta">${timeTag(update.createdAt, view.timeZone)}</p></li>`,
  );
  return items.length === 0 ? "" : `<ol class="updates">${items.join("")}</ol>`;
}

export function newestFirst<T extends { createdAt: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The tone of an incident: its impact while open, green once resolved. */
export function incidentTone(incident: PageIncident): Tone {
  return incident.status === "resolved" ? "ok" : IMPACT_TONE[incident.impact];
}

export function incidentTags(incident: PageIncident): string {
  const phase = tag(PHASE_WORDS[incident.status], incident.status === "resolved" ? "ok" : undefined);
  const impact = tag(IMPACT_WORDS[incident.impact], IMPACT_TONE[incident.impact]);
  return `<p class="tags">${phase}${impact}<span class="ref">${e(incident.reference)}</span></p>`;
}

export function maintenanceTone(maintenance: PageMaintenance): Tone {
  return maintenance.status === "completed" ? "ok" : "um";
}

export function maintenanceTags(maintenance: PageMaintenance): string {
  return `<p class="tags">${tag(MAINTENANCE_WORDS[maintenance.status], maintenanceTone(maintenance))}${tag("Maintenance")}</p>`;
}

export function affectedComponents(incident: PageIncident): string {
  if (incident.components.length === 0) return "";
  const items = incident.components.map((c) => `<li>${e(c.name)} ${statusLabel(c.impact)}</li>`);
  return `<ul class="affects" aria-label="Affected components">${items.join("")}</ul>`;
}

export function maintenanceComponents(maintenance: PageMaintenance): string {
  if (maintenance.components.length === 0) return "";
  return `<p><span class="meta">Components:</span> ${maintenance.components.map((c) => e(c.name)).join(", ")}</p>`;
}

/** An open incident as the home page shows it: everything, every update. */
export function incidentNotice(view: View, incident: PageIncident): string {
  return `<article class="card notice ${incidentTone(incident)}">
<h3><a href="${incidentHref(view, incident.id)}">${e(incident.name)}</a></h3>
${incidentTags(incident)}${affectedComponents(incident)}${incidentUpdates(view, incident.updates)}
</article>`;
}

export function maintenanceNotice(view: View, maintenance: PageMaintenance): string {
  return `<article class="card notice ${maintenanceTone(maintenance)}">
<h3><a href="${incidentHref(view, maintenance.id)}">${e(maintenance.name)}</a></h3>
${maintenanceTags(maintenance)}<p><span class="meta">Scheduled:</span> ${windowTags(maintenance.scheduledFor, maintenance.scheduledUntil, view.timeZone)}</p>
${maintenanceComponents(maintenance)}${maintenanceUpdates(view, maintenance.updates)}
</article>`;
}

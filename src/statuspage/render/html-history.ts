import { historyKey } from "../links.ts";
import type { PageIncident, PageMaintenance } from "../model.ts";
import {
  clip,
  e,
  formatDate,
  formatMonth,
  localDate,
  MAINTENANCE_WORDS,
  monthIndex,
  monthOfIndex,
  PHASE_WORDS,
  shiftDate,
  timeTag,
  windowTags,
} from "./html-format.ts";
import {
  incidentHref,
  incidentTags,
  incidentTone,
  maintenanceTags,
  maintenanceTone,
  newestFirst,
  type View,
} from "./html-parts.ts";

/**
 * What happened before: the home page's last seven days and the history pages,
 * twelve months each. An incident belongs to the day (and month) it was
 * created on in the page's time zone, a maintenance to the day it was
 * scheduled for, as on Statuspage.
 */

const MONTHS_PER_PAGE = 12;
const PAST_DAYS = 7;
const SUMMARY_CHARS = 280;

interface PastItem {
  /** YYYY-MM-DD in the page's time zone. */
  date: string;
  /** For ordering within a day, newest first. */
  at: string;
  render(headingLevel: 3 | 4): string;
}

function incidentItem(view: View, incident: PageIncident): PastItem {
  return {
    date: localDate(incident.createdAt, view.timeZone),
    at: incident.createdAt,
    render: (level) => {
      const last = newestFirst(incident.updates)[0];
      const summary = last
        ? `<p><strong>${PHASE_WORDS[last.status]}</strong> – ${e(clip(last.body, SUMMARY_CHARS))}</p>`
        : "";
      const when = incident.resolvedAt
        ? windowTags(incident.startedAt, incident.resolvedAt, view.timeZone)
        : `Started ${timeTag(incident.startedAt, view.timeZone)} · ongoing`;
      return `<article class="${level === 3 ? "card notice" : "past notice card"} ${incidentTone(incident)}"><h${level}><a href="${incidentHref(view, incident.id)}">${e(incident.name)}</a></h${level}>${level === 3 ? incidentTags(incident) : ""}${summary}<p class="meta">${when}</p></article>`;
    },
  };
}

function maintenanceItem(view: View, maintenance: PageMaintenance): PastItem {
  return {
    date: localDate(maintenance.scheduledFor, view.timeZone),
    at: maintenance.scheduledFor,
    render: (level) => {
      const last = newestFirst(maintenance.updates)[0];
      const summary = last
        ? `<p><strong>${MAINTENANCE_WORDS[last.status]}</strong> – ${e(clip(last.body, SUMMARY_CHARS))}</p>`
        : "";
      const from = maintenance.startedAt ?? maintenance.scheduledFor;
      const until = maintenance.completedAt ?? maintenance.scheduledUntil;
      return `<article class="${level === 3 ? "card notice" : "past notice card"} ${maintenanceTone(maintenance)}"><h${level}><a href="${incidentHref(view, maintenance.id)}">${e(maintenance.name)}</a></h${level}>${level === 3 ? maintenanceTags(maintenance) : ""}${summary}<p class="meta">${windowTags(from, until, view.timeZone)}</p></article>`;
    },
  };
}

function byDate(items: PastItem[]): Map<string, PastItem[]> {
  const out = new Map<string, PastItem[]>();
  for (const item of items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))) {
    const list = out.get(item.date);
    if (list) list.push(item);
    else out.set(item.date, [item]);
  }
  return out;
}

/** The home page's "Past incidents": the last seven days, today first, each with its resolved incidents. */
export function pastIncidentsSection(view: View): string {
  const { snapshot } = view;
  const today = localDate(snapshot.generatedAt, view.timeZone);
  // A cheap first cut on the UTC strings (no zone is more than a day off UTC), the exact one by local day below.
  const since = new Date(Date.parse(snapshot.generatedAt) - (PAST_DAYS + 1) * 86_400_000).toISOString();
  const items = [
    ...snapshot.incidents
      .filter((i) => i.status === "resolved" && !(i.createdAt < since))
      .map((i) => incidentItem(view, i)),
    ...snapshot.maintenances
      .filter((m) => m.status === "completed" && !(m.scheduledFor < since))
      .map((m) => maintenanceItem(view, m)),
  ];
  const byDay = byDate(items);
  const days: string[] = [];
  for (let back = 0; back < PAST_DAYS && today !== ""; back++) {
    const date = shiftDate(today, -back);
    const entries = byDay.get(date) ?? [];
    const body =
      entries.length === 0
        ? `<p class="none">No incidents reported.</p>`
        : entries.map((item) => item.render(4)).join("\n");
    days.push(`<div class="day"><h3>${formatDate(date)}</h3>\n${body}</div>`);
  }
  return `<section aria-labelledby="past">
<h2 id="past">Past incidents</h2>
<div class="past-days">
${days.join("\n")}
</div>
<p class="more"><a href="${e(view.links.page(historyKey(1)))}">Incident history</a></p>
</section>`;
}

/** Everything the history pages list, by month (YYYY-MM), and how many pages reach the oldest. */
function historyByMonth(view: View): { months: Map<string, PastItem[]>; pages: number; newest: number } {
  const { snapshot } = view;
  const newest = monthIndex(localDate(snapshot.generatedAt, view.timeZone));
  const items = [
    ...snapshot.incidents.map((i) => incidentItem(view, i)),
    ...snapshot.maintenances.filter((m) => m.status === "completed").map((m) => maintenanceItem(view, m)),
  ].filter((item) => item.date !== "");
  const months = new Map<string, PastItem[]>();
  let oldest = newest;
  for (const [date, list] of byDate(items)) {
    const month = date.slice(0, 7);
    oldest = Math.min(oldest, monthIndex(month));
    months.set(month, [...(months.get(month) ?? []), ...list]);
  }
  const pages = Number.isNaN(newest) ? 1 : Math.floor((newest - oldest) / MONTHS_PER_PAGE) + 1;
  return { months, pages, newest };
}

/** The history page's main content, or null when there is no such page. */
export function historyMain(view: View, page: number): { title: string; main: string } | null {
  if (!Number.isInteger(page) || page < 1) return null;
  const { months, pages, newest } = historyByMonth(view);
  if (page > pages) return null;
  const last = newest - MONTHS_PER_PAGE * (page - 1);
  const sections: string[] = [];
  for (let index = last; index > last - MONTHS_PER_PAGE; index--) {
    const month = monthOfIndex(index);
    const items = months.get(month) ?? [];
    const body =
      items.length === 0
        ? `<p class="none">No incidents reported</p>`
        : items.map((item) => item.render(3)).join("\n");
    sections.push(
      `<section class="month" aria-labelledby="m-${month}"><h2 id="m-${month}">${formatMonth(month)}</h2>\n${body}\n</section>`,
    );
  }
  const range = `${formatMonth(monthOfIndex(last - MONTHS_PER_PAGE + 1))} to ${formatMonth(monthOfIndex(last))}`;
  const newer =
    page > 1
      ? `<a href="${e(view.links.page(historyKey(page - 1)))}" rel="prev"><span aria-hidden="true">← </span>Newer incidents</a>`
      : "<span></span>";
  const older =
    page < pages
      ? `<a href="${e(view.links.page(historyKey(page + 1)))}" rel="next">Older incidents<span aria-hidden="true"> →</span></a>`
      : "";
  const nav = pages > 1 ? `\n<nav class="pages" aria-label="History pages">${newer}${older}</nav>` : "";
  return {
    title: page === 1 ? "Incident history" : `Incident history, page ${page}`,
    main: `<h1>Incident history</h1>
<p class="intro">${range}${pages > 1 ? ` · page ${page} of ${pages}` : ""}</p>
${sections.join("\n")}${nav}`,
  };
}

import type { Links } from "../links.ts";
import type { PageComponent, PageIncident, PageMaintenance, PageSnapshot } from "../model.ts";
import { componentsSection } from "./html-components.ts";
import { e, INDICATOR_TONE, timeTag, windowTags } from "./html-format.ts";
import { historyMain, pastIncidentsSection } from "./html-history.ts";
import {
  affectedComponents,
  documentOf,
  icon,
  incidentNotice,
  incidentTags,
  incidentTone,
  incidentUpdates,
  maintenanceComponents,
  maintenanceNotice,
  maintenanceTags,
  maintenanceTone,
  maintenanceUpdates,
  type View,
  viewOf,
} from "./html-parts.ts";

/**
 * The public status page as server-rendered HTML: pure functions of a
 * snapshot, no script, one hashed stylesheet (see pageCsp). Every piece of
 * text from the snapshot is escaped and every URL from it passes safeHref;
 * the one exception is a postmortem, which the snapshot carries already
 * sanitized. Served pages and the static export differ only in their Links.
 */

export { pageCsp, pageCss } from "./html-css.ts";

export function renderHomePage(snapshot: PageSnapshot, links: Links): string {
  const view = viewOf(snapshot, links);
  const { page, status } = snapshot;
  const tone = INDICATOR_TONE[status.indicator];
  const active = snapshot.incidents.filter((i) => i.status !== "resolved");
  const running = snapshot.maintenances.filter((m) => m.status === "in_progress" || m.status === "verifying");
  const upcoming = snapshot.maintenances
    .filter((m) => m.status === "scheduled")
    .sort((a, b) => (a.scheduledFor < b.scheduledFor ? -1 : a.scheduledFor > b.scheduledFor ? 1 : 0));
  const main = [
    `<h1 class="sr">${e(page.name)} status</h1>`,
    page.description ? `<p class="intro">${e(page.description)}</p>` : "",
    `<div class="banner ${tone}">${icon(tone)}<h2>${e(status.description)}</h2></div>`,
    notices(
      "active",
      "Active incidents",
      active.map((i) => incidentNotice(view, i)),
    ),
    notices(
      "maintenance-now",
      "Maintenance in progress",
      running.map((m) => maintenanceNotice(view, m)),
    ),
    notices(
      "maintenance-soon",
      "Scheduled maintenance",
      upcoming.map((m) => maintenanceNotice(view, m)),
    ),
    componentsSection(view),
    pastIncidentsSection(view),
  ];
  return documentOf(view, { title: null, main: main.filter((part) => part !== "").join("\n") });
}

function notices(id: string, heading: string, cards: string[]): string {
  if (cards.length === 0) return "";
  return `<section aria-labelledby="${id}">\n<h2 id="${id}">${heading}</h2>\n${cards.join("\n")}\n</section>`;
}

/** A page of the incident history (1 is the newest), or null when there is no such page. */
export function renderHistoryPage(snapshot: PageSnapshot, links: Links, page: number): string | null {
  const view = viewOf(snapshot, links);
  const history = historyMain(view, page);
  return history === null ? null : documentOf(view, history);
}

/** An incident's or a maintenance's page (they share one key space), or null for an unknown id. */
export function renderIncidentPage(snapshot: PageSnapshot, links: Links, id: string): string | null {
  const view = viewOf(snapshot, links);
  const incident = snapshot.incidents.find((i) => i.id === id);
  if (incident) return documentOf(view, { title: incident.name, main: incidentMain(view, incident) });
  const maintenance = snapshot.maintenances.find((m) => m.id === id);
  if (maintenance)
    return documentOf(view, { title: maintenance.name, main: maintenanceMain(view, maintenance) });
  return null;
}

function backLink(view: View): string {
  return `<p class="back"><a href="${e(view.links.page(""))}"><span aria-hidden="true">← </span>Current status</a></p>`;
}

function fact(term: string, value: string): string {
  return `<dt>${term}</dt><dd>${value}</dd>`;
}

function incidentMain(view: View, incident: PageIncident): string {
  const facts = [
    fact("Started", timeTag(incident.startedAt, view.timeZone)),
    incident.resolvedAt ? fact("Resolved", timeTag(incident.resolvedAt, view.timeZone)) : "",
    fact("Affected components", affectedComponents(incident) || "None"),
  ];
  const postmortem = incident.postmortem
    ? `<section class="card" aria-labelledby="postmortem">
<h2 id="postmortem">Postmortem${incident.postmortem.title ? `: ${e(incident.postmortem.title)}` : ""}</h2>
<p class="meta">Published ${timeTag(incident.postmortem.publishedAt, view.timeZone)}</p>
<div class="prose">${incident.postmortem.html}</div>
</section>`
    : "";
  return `${backLink(view)}
<div class="card notice ${incidentTone(incident)}">
<h1>${e(incident.name)}</h1>
${incidentTags(incident)}<dl class="facts">${facts.join("")}</dl>
</div>
${postmortem}${updatesSection(incidentUpdates(view, incident.updates))}`;
}

function maintenanceMain(view: View, maintenance: PageMaintenance): string {
  const facts = [
    fact("Scheduled", windowTags(maintenance.scheduledFor, maintenance.scheduledUntil, view.timeZone)),
    maintenance.startedAt ? fact("Started", timeTag(maintenance.startedAt, view.timeZone)) : "",
    maintenance.completedAt ? fact("Completed", timeTag(maintenance.completedAt, view.timeZone)) : "",
  ];
  return `${backLink(view)}
<div class="card notice ${maintenanceTone(maintenance)}">
<h1>${e(maintenance.name)}</h1>
${maintenanceTags(maintenance)}<dl class="facts">${facts.join("")}</dl>
${maintenanceComponents(maintenance)}</div>
${updatesSection(maintenanceUpdates(view, maintenance.updates))}`;
}

function updatesSection(list: string): string {
  const body = list === "" ? `<p class="none">No updates yet.</p>` : list;
  return `<section class="card" aria-labelledby="updates">\n<h2 id="updates">Updates</h2>\n${body}\n</section>`;
}

export function renderSubscribePage(snapshot: PageSnapshot, links: Links): string {
  const view = viewOf(snapshot, links);
  const { page } = snapshot;
  const forms: string[] = [];
  if (page.subscribe.email) {
    forms.push(
      subscribeForm(
        view,
        "email",
        "By email",
        `<div class="field"><label for="email">Email address</label>
<input id="email" name="email" type="email" required autocomplete="email" spellcheck="false"></div>`,
      ),
    );
  }
  if (page.subscribe.webhook) {
    forms.push(
      subscribeForm(
        view,
        "webhook",
        "By webhook",
        `<div class="field"><label for="webhookUrl">Webhook URL</label>
<input id="webhookUrl" name="webhookUrl" type="url" required autocomplete="off" spellcheck="false" placeholder="https://" aria-describedby="webhookUrl-hint">
<p class="hint" id="webhookUrl-hint">An https address. Each update is sent to it as a POST request.</p></div>`,
      ),
    );
  }
  const intro =
    forms.length > 0
      ? `Get a message when ${e(page.name)} reports, updates or resolves an incident or plans maintenance.`
      : `This page offers no email or webhook subscriptions. Follow it in a feed reader instead.`;
  const main = `<h1>Subscribe to updates</h1>
<p class="intro">${intro}</p>
${forms.join("\n")}
<section class="card" aria-labelledby="feeds">
<h2 id="feeds">Feeds</h2>
<p>Follow the incident history in any feed reader:</p>
<ul class="feeds"><li><a href="${e(links.file("history.rss"))}">RSS feed</a></li><li><a href="${e(links.file("history.atom"))}">Atom feed</a></li></ul>
</section>`;
  return documentOf(view, { title: "Subscribe to updates", main, current: "subscribe" });
}

function subscribeForm(view: View, kind: string, heading: string, field: string): string {
  return `<section class="card" aria-labelledby="by-${kind}">
<h2 id="by-${kind}">${heading}</h2>
<form method="post" action="${e(view.links.subscribeAction)}">
${field}
${componentChoice(view, kind)}<button class="btn" type="submit">Subscribe</button>
</form>
</section>`;
}

/** Checkboxes by group; none ticked means every component, which the form says. */
function componentChoice(view: View, kind: string): string {
  const { components, groups } = view.snapshot;
  if (components.length === 0) return "";
  const box = (c: PageComponent) =>
    `<label><input type="checkbox" name="components" value="${e(c.id)}"> ${e(c.name)}</label>`;
  const known = new Set(groups.map((g) => g.id));
  const parts = groups.flatMap((group) => {
    const members = components.filter((c) => c.groupId === group.id);
    return members.length === 0
      ? []
      : [
          `<fieldset><legend>${e(group.name)}</legend><div class="checks">${members.map(box).join("")}</div></fieldset>`,
        ];
  });
  const loose = components.filter((c) => c.groupId === null || !known.has(c.groupId));
  if (loose.length > 0) {
    const checks = `<div class="checks">${loose.map(box).join("")}</div>`;
    parts.push(
      parts.length === 0 ? checks : `<fieldset><legend>Other components</legend>${checks}</fieldset>`,
    );
  }
  const hint = `${kind}-components-hint`;
  return `<fieldset aria-describedby="${hint}"><legend>Components</legend>
<p class="hint" id="${hint}">Tick the components you care about. Leave them all unticked to hear about every component.</p>
${parts.join("\n")}
</fieldset>
`;
}

export function renderNotFoundPage(snapshot: PageSnapshot, links: Links): string {
  const view = viewOf(snapshot, links);
  const main = `<div class="lost">
<h1>Page not found</h1>
<p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
<a class="btn" href="${e(links.page(""))}">Go to the current status</a>
</div>`;
  return documentOf(view, { title: "Page not found", main });
}

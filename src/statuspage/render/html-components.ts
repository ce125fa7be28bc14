import type { PageComponent, PageGroup, UptimeDay } from "../model.ts";
import {
  e,
  formatDate,
  formatDuration,
  formatUptime,
  SEVERITY_ORDER,
  STATUS_TONE,
  STATUS_WORDS,
} from "./html-format.ts";
import { incidentHref, statusLabel, type View } from "./html-parts.ts";

/**
 * The components, grouped, with 90 daily uptime bars each. The bars are most
 * of the home page's markup (20 components make 1,800 of them), so a plain
 * day is one short list item; only days with something to tell carry more.
 * Each bar is focusable and its tooltip is a child shown by CSS on hover and
 * focus, so it needs no script and a screen reader reads it as the bar's text.
 */

export function componentsSection(view: View): string {
  const blocks = componentBlocks(view);
  if (blocks.length === 0) return "";
  const showcased = view.snapshot.components.some((c) => c.showcase && visible(c));
  return `<section aria-labelledby="components">
<h2 id="components">Components</h2>
${showcased ? `<a class="jump" href="#past">Skip the daily uptime bars</a>\n` : ""}${blocks.join("\n")}
</section>`;
}

function visible(component: PageComponent): boolean {
  return !(component.onlyShowIfDegraded && component.status === "operational");
}

/**
 * Groups in the order they first appear in the plan (which is snapshot.groups'
 * order), components outside a group where they stand, runs of them sharing a card.
 */
function componentBlocks(view: View): string[] {
  const { components, groups } = view.snapshot;
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const shown = new Set<string>();
  const blocks: string[] = [];
  let loose: string[] = [];
  const flushLoose = () => {
    if (loose.length > 0)
      blocks.push(`<div class="card group"><ul class="comps">${loose.join("")}</ul></div>`);
    loose = [];
  };
  for (const component of components) {
    const group = component.groupId === null ? undefined : groupById.get(component.groupId);
    if (group === undefined) {
      if (visible(component)) loose.push(componentItem(view, component));
      continue;
    }
    if (shown.has(group.id)) continue;
    shown.add(group.id);
    const members = components.filter((c) => c.groupId === group.id && visible(c));
    if (members.length === 0) continue;
    flushLoose();
    blocks.push(groupBlock(view, group, members));
  }
  flushLoose();
  return blocks;
}

function groupBlock(view: View, group: PageGroup, members: PageComponent[]): string {
  return `<div class="card group"><div class="group-head"><h3>${e(group.name)}</h3>${statusLabel(group.status)}</div><ul class="comps">${members
    .map((c) => componentItem(view, c))
    .join("")}</ul></div>`;
}

function componentItem(view: View, component: PageComponent): string {
  const name = e(component.name);
  const head = `<div class="row"><span class="name">${name}</span>${statusLabel(component.status)}</div>${
    component.description ? `<p class="desc">${e(component.description)}</p>` : ""
  }`;
  if (!component.showcase || component.uptime.length === 0) return `<li>${head}</li>`;
  const bars = component.uptime.map((day) => bar(view, day)).join("");
  const days = component.uptime.length;
  const narrowDays = Math.min(days, 30);
  return `<li>${head}<ol class="bars" aria-label="${name}, status by day">${bars}</ol><p class="axis"><span aria-hidden="true"><span class="d90">${days} days ago</span><span class="d30">${narrowDays} days ago</span></span><span class="up">${formatUptime(component.uptimePercent)}</span><span aria-hidden="true">Today</span></p></li>`;
}

function bar(view: View, day: UptimeDay): string {
  const date = formatDate(day.date);
  if (day.worst === "no_data") return `<li tabindex="0" class="nd"><span><b>${date}</b>No data</span></li>`;
  if (day.worst === "operational" && day.incidents.length === 0) {
    return `<li tabindex="0"><span><b>${date}</b>No downtime</span></li>`;
  }
  const lines: string[] = [];
  if (day.worst !== "operational") {
    const worst = day.worst;
    const seconds = day.seconds[worst] ?? 0;
    lines.push(seconds > 0 ? `${STATUS_WORDS[worst]} ${formatDuration(seconds)}` : STATUS_WORDS[worst]);
    for (const status of SEVERITY_ORDER) {
      const other = day.seconds[status] ?? 0;
      if (status !== worst && other > 0) lines.push(`${STATUS_WORDS[status]} ${formatDuration(other)}`);
    }
  } else {
    lines.push("No downtime");
  }
  const incidents = day.incidents
    .map((i) => `<a href="${incidentHref(view, i.id)}">${e(i.name)}</a>`)
    .join("");
  const tone = day.worst === "operational" ? "" : ` class="${STATUS_TONE[day.worst]}"`;
  return `<li tabindex="0"${tone}><span><b>${date}</b>${lines.map((line) => `<i>${line}</i>`).join("")}${incidents}</span></li>`;
}

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportLinks, historyKey, incidentKey, servedLinks } from "../links.ts";
import type { PageComponent, PageIncident, PageSnapshot } from "../model.ts";
import { sampleSnapshot, uptimeDays } from "../test-fixtures.ts";
import {
  pageCsp,
  pageCss,
  renderHistoryPage,
  renderHomePage,
  renderIncidentPage,
  renderNotFoundPage,
  renderSubscribePage,
} from "./html.ts";
import { contrast } from "./html-css.ts";

const links = servedLinks("/");
const OPEN_ID = "0194f000-0000-7000-8000-000000000001";
const RESOLVED_ID = "0194e000-0000-7000-8000-000000000002";
const MAINTENANCE_ID = "0194f100-0000-7000-8000-000000000003";

function allPages(snapshot: PageSnapshot, linksFor: (key: string) => typeof links = () => links): string[] {
  return [
    renderHomePage(snapshot, linksFor("")),
    renderHistoryPage(snapshot, linksFor("history"), 1)!,
    renderIncidentPage(snapshot, linksFor(incidentKey(OPEN_ID)), OPEN_ID)!,
    renderIncidentPage(snapshot, linksFor(incidentKey(MAINTENANCE_ID)), MAINTENANCE_ID)!,
    renderSubscribePage(snapshot, linksFor("subscribe")),
    renderNotFoundPage(snapshot, linksFor("")),
  ];
}

/** The markup of the element that opens with `start`, up to its matching `</tag>` (no nesting of the same tag). */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  if (from < 0) throw new Error(`not found: ${start}`);
  return html.slice(from, html.indexOf(end, from) + end.length);
}

/** A resolved incident created at `createdAt`, named `name`. */
function pastIncident(id: string, name: string, createdAt: string): PageIncident {
  const base = sampleSnapshot().incidents[1]!;
  const resolvedAt = new Date(Date.parse(createdAt) + 3_600_000).toISOString();
  return {
    ...base,
    id,
    name,
    createdAt,
    startedAt: createdAt,
    updatedAt: resolvedAt,
    resolvedAt,
    updates: base.updates.map((u, i) => ({
      ...u,
      id: `${id}-${i}`,
      createdAt: i === 0 ? resolvedAt : createdAt,
    })),
  };
}

describe("every page", () => {
  it("escapes user text", () => {
    const snapshot = sampleSnapshot();
    snapshot.page.name = `Quill "mark" <b>`;
    for (const html of [renderHomePage(snapshot, links), renderIncidentPage(snapshot, links, OPEN_ID)!]) {
      expect(html).toContain("a &lt;certificate&gt; expired");
      expect(html).not.toContain("<certificate>");
      expect(html).toContain("Quill &quot;mark&quot; &lt;b&gt;");
      expect(html).not.toContain('Quill "mark" <b>');
    }
  });

  it("has no script at all", () => {
    for (const html of allPages(sampleSnapshot())) {
      expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
      expect(html.toLowerCase()).not.toContain("<script");
      expect(html).not.toMatch(/\son[a-z]+=/i);
    }
  });

  it("carries exactly the stylesheet the CSP allows by hash", () => {
    const snapshot = sampleSnapshot();
    for (const html of allPages(snapshot)) {
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(styles).toEqual([pageCss(snapshot.page)]);
      const hash = createHash("sha256").update(styles[0]!, "utf8").digest("base64");
      expect(pageCsp(snapshot.page)).toContain(`style-src 'sha256-${hash}';`);
      expect(html).not.toMatch(/\sstyle=/);
    }
  });

  it("shows the stale notice only when the snapshot is stale", () => {
    const fresh = sampleSnapshot();
    const stale = sampleSnapshot({ stale: { since: "2026-11-27T11:45:00.000Z" } });
    const notice = `Live updates are paused. This page shows the status as of <time datetime="2026-11-27T12:00:00.000Z">27 Nov 2026, 12:00 WET</time>`;
    for (const html of allPages(fresh)) expect(html).not.toContain("Live updates are paused");
    for (const html of allPages(stale)) {
      expect(html).toContain(notice);
      expect(html).toMatch(/<p class="stale" role="status">/);
    }
  });

  it("links relatively in the static export, and the form posts to the running page", () => {
    const snapshot = sampleSnapshot();
    const pages = allPages(snapshot, (key) => exportLinks(key, snapshot.page.url));
    for (const html of pages) {
      const urls = [...html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)].map((m) => m[1]!);
      expect(urls.length).toBeGreaterThan(5);
      expect(urls.filter((url) => url.startsWith("/"))).toEqual([]);
    }
    const subscribe = renderSubscribePage(snapshot, exportLinks("subscribe", snapshot.page.url));
    expect(subscribe).toContain(`action="https://status.example.com/subscribe"`);
    expect(subscribe).toContain(`href="../index.html"`);
    expect(pages[0]).toContain(`href="history/index.html"`);
  });

  it("never links to a URL that is not http(s)", () => {
    const snapshot = sampleSnapshot();
    snapshot.page.links = [
      { label: "Evil", url: "javascript:alert(1)" },
      { label: "Help", url: "https://help.example.com/" },
    ];
    snapshot.page.logoUrl = "javascript:alert(2)";
    const html = renderHomePage(snapshot, links);
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain(">Evil<");
    expect(html).toContain(`<a href="https://help.example.com/">Help</a>`);
    expect(html).not.toContain("<img");
    snapshot.page.logoUrl = "https://cdn.example.com/logo.png";
    expect(renderHomePage(snapshot, links)).toContain(
      `<img src="https://cdn.example.com/logo.png" alt="Quillmark">`,
    );
  });

  it("offers the feeds in the head and the footer", () => {
    const html = renderHomePage(sampleSnapshot(), links);
    expect(html).toContain(`<link rel="alternate" type="application/rss+xml"`);
    expect(html).toContain(
      `type="application/atom+xml" title="Quillmark incident history (Atom)" href="/history.atom"`,
    );
    const footer = between(html, "<footer", "</footer>");
    expect(footer).toContain(`href="/history.rss"`);
    expect(footer).toContain(`href="/api/v2/summary.json"`);
    expect(footer).toContain(
      `Updated <time datetime="2026-11-27T12:00:00.000Z">27 Nov 2026, 12:00 WET</time>`,
    );
    expect(footer).toContain("Powered by Runsheet");
  });
});

describe("pageCss and pageCsp", () => {
  it("put a valid brand colour into the stylesheet and fall back for anything else", () => {
    const page = sampleSnapshot().page;
    expect(pageCss({ ...page, brandColor: "#AB12cd" })).toContain("--brand:#ab12cd;");
    const fallback = pageCss({ ...page, brandColor: "#000;}html{visibility:hidden" });
    expect(fallback).toContain("--brand:#1f5fbf;");
    expect(fallback).not.toContain("visibility:hidden");
    expect(pageCss({ ...page, brandColor: "#ab12cd" })).not.toBe(fallback);
  });

  it("derives link colours that read on the page in both themes, whatever the brand colour", () => {
    const page = sampleSnapshot().page;
    for (const brandColor of ["#ffff00", "#000000", "#777777", "#1f5fbf", "#ff00ff"]) {
      const css = pageCss({ ...page, brandColor });
      const [light, dark] = [...css.matchAll(/--link:(#[0-9a-f]{6});/g)].map((m) => m[1]!);
      const [onBrand] = [...css.matchAll(/--on-brand:(#[0-9a-f]{6});/g)].map((m) => m[1]!);
      for (const bg of ["#ffffff", "#f6f8fa", "#eef1f4"])
        expect(contrast(light!, bg)).toBeGreaterThanOrEqual(4.5);
      for (const bg of ["#0d1117", "#151b23", "#212830"])
        expect(contrast(dark!, bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(onBrand!, brandColor)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("lists every directive, with the origin of the page's URL for the form", () => {
    const page = { ...sampleSnapshot().page, url: "https://status.example.com/base" };
    const hash = createHash("sha256").update(pageCss(page), "utf8").digest("base64");
    expect(pageCsp(page)).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self' https: data:; form-action 'self' https://status.example.com; base-uri 'none'; frame-ancestors 'none'`,
    );
  });

  it("shows only the last 30 bars on narrow screens", () => {
    const css = pageCss(sampleSnapshot().page);
    const narrow = css.slice(css.indexOf("@media (max-width:599.98px)"));
    expect(narrow).toContain(".bars li:nth-child(-n+60){display:none}");
    expect(narrow).toContain(".d90{display:none}");
  });
});

describe("renderHomePage", () => {
  it("shows the open incident with both updates, newest first, even when given oldest first", () => {
    const snapshot = sampleSnapshot();
    snapshot.incidents[0]!.updates.reverse();
    const html = renderHomePage(snapshot, links);
    const active = between(html, `<section aria-labelledby="active">`, "</section>");
    expect(active).toContain(`<a href="/incidents/${OPEN_ID}">Card payments failing for some customers</a>`);
    const identified = active.indexOf(`<strong class="phase">Identified</strong>`);
    const investigating = active.indexOf(`<strong class="phase">Investigating</strong>`);
    expect(identified).toBeGreaterThan(0);
    expect(investigating).toBeGreaterThan(identified);
    expect(active).toContain("<p>Some card payments fail.<br>We are looking into it.</p>");
    expect(active).toContain(`<time datetime="2026-11-27T11:30:00.000Z">27 Nov 2026, 11:30 WET</time>`);
    expect(active).toContain("Major impact");
    expect(active).not.toContain("Login slow");
  });

  it("shows the overall status by colour, icon and words", () => {
    const html = renderHomePage(sampleSnapshot(), links);
    expect(html).toContain(
      `<div class="banner po"><svg class="i po" aria-hidden="true"><use href="#i-po"/></svg><h2>Partial System Outage</h2></div>`,
    );
    const calm = renderHomePage(
      sampleSnapshot({ status: { indicator: "none", description: "All Systems Operational" } }),
      links,
    );
    expect(calm).toContain(`<div class="banner ok">`);
  });

  it("lists scheduled maintenance with its window and components", () => {
    const html = renderHomePage(sampleSnapshot(), links);
    const soon = between(html, `<section aria-labelledby="maintenance-soon">`, "</section>");
    expect(soon).toContain("Database upgrade");
    expect(soon).toContain(
      `<time datetime="2026-11-29T02:00:00.000Z">29 Nov 2026, 02:00</time> – <time datetime="2026-11-29T03:00:00.000Z">03:00 WET</time>`,
    );
    expect(soon).toContain("Public API");
    expect(html).not.toContain(`aria-labelledby="maintenance-now"`);
  });

  it("hides an operational component shown only when degraded, and shows it when it is not", () => {
    const hidden = sampleSnapshot();
    hidden.components[4]!.onlyShowIfDegraded = true;
    expect(renderHomePage(sampleSnapshot(), links)).toContain(`<span class="name">Login and accounts</span>`);
    expect(renderHomePage(hidden, links)).not.toContain(`<span class="name">Login and accounts</span>`);
    hidden.components[4]!.status = "degraded_performance";
    expect(renderHomePage(hidden, links)).toContain(`<span class="name">Login and accounts</span>`);
  });

  it("draws 90 focusable bars for each showcased component, none for the others", () => {
    const snapshot = sampleSnapshot();
    snapshot.components[1]!.showcase = false;
    const html = renderHomePage(snapshot, links);
    const lists = [
      ...html.matchAll(/<ol class="bars" aria-label="([^"]*), status by day">([\s\S]*?)<\/ol>/g),
    ];
    expect(lists.map((m) => m[1])).toEqual([
      "Web app",
      "Card payments",
      "Bank payouts",
      "Login and accounts",
    ]);
    for (const list of lists) expect(list[2]!.match(/<li tabindex="0"/g)).toHaveLength(90);
    expect(html).toContain(`<span class="d90">90 days ago</span><span class="d30">30 days ago</span>`);
    expect(html).toContain("100.0 % uptime");
  });

  it("tells, in each bar, the day, its worst status, the time away from operational and its incidents", () => {
    const snapshot = sampleSnapshot();
    const card = snapshot.components[2]!;
    card.uptime = uptimeDays("2026-11-27", 90, {
      "2026-11-27": {
        worst: "partial_outage",
        seconds: {
          operational: 38_400,
          degraded_performance: 900,
          partial_outage: 4_800,
          major_outage: 0,
          under_maintenance: 0,
        },
        incidents: [{ id: OPEN_ID, name: "Card payments <failing>", impact: "partial_outage" }],
      },
    });
    card.uptimePercent = 99.934;
    const html = renderHomePage(snapshot, links);
    expect(html).toContain(
      `<li tabindex="0" class="po"><span><b>27 Nov 2026</b><i>Partial outage 1 h 20 min</i><i>Degraded performance 15 min</i><a href="/incidents/${OPEN_ID}">Card payments &lt;failing&gt;</a></span></li>`,
    );
    expect(html).toContain(`<li tabindex="0"><span><b>26 Nov 2026</b>No downtime</span></li>`);
    expect(html).toContain("99.93 % uptime");
  });

  it("says No data for a component without uptime data and for days before it existed", () => {
    const snapshot = sampleSnapshot();
    const web = snapshot.components[0]!;
    web.uptimePercent = null;
    web.uptime[0] = { ...web.uptime[0]!, worst: "no_data" };
    const item = between(renderHomePage(snapshot, links), `<span class="name">Web app</span>`, "</li></ul>");
    expect(item).toContain(`<li tabindex="0" class="nd"><span><b>30 Aug 2026</b>No data</span></li>`);
    expect(item).toContain(`<span class="up">No data</span>`);
  });

  it("groups components in the groups' order, each with its status, and lists ungrouped ones", () => {
    const html = renderHomePage(sampleSnapshot(), links);
    const apps = html.indexOf("<h3>Apps</h3>");
    const payments = html.indexOf("<h3>Payments</h3>");
    const login = html.indexOf(`<span class="name">Login and accounts</span>`);
    expect(apps).toBeGreaterThan(0);
    expect(payments).toBeGreaterThan(apps);
    expect(login).toBeGreaterThan(payments);
    expect(html).toContain(
      `<h3>Payments</h3><span class="st po"><svg class="i po" aria-hidden="true"><use href="#i-po"/></svg>Partial outage</span>`,
    );
  });

  it("lists the last seven days of past incidents in the page's time zone", () => {
    const yesterday = pastIncident("past-1", "Search slow", "2026-11-26T09:00:00.000Z");
    const tooOld = pastIncident("past-2", "Ancient", "2026-11-19T09:00:00.000Z");
    const snapshot = sampleSnapshot();
    snapshot.incidents.push(yesterday, tooOld);
    const past = between(renderHomePage(snapshot, links), `<section aria-labelledby="past">`, "</section>");
    expect(past.match(/<h3>/g)).toHaveLength(7);
    expect(past.indexOf("<h3>27 Nov 2026</h3>")).toBeLessThan(past.indexOf("<h3>21 Nov 2026</h3>"));
    const day = between(past, "<h3>26 Nov 2026</h3>", "</div>");
    expect(day).toContain(`<a href="/incidents/past-1">Search slow</a>`);
    expect(day).toContain("<strong>Resolved</strong> – Sign-in is fast again.");
    expect(between(past, "<h3>27 Nov 2026</h3>", "</div>")).toContain("No incidents reported.");
    expect(past).not.toContain("Ancient");
    expect(past).not.toContain("Card payments failing");
    expect(past).toContain(`<a href="/history">Incident history</a>`);
  });

  it("stays compact with 20 components, 2 open and 50 past incidents", () => {
    const html = renderHomePage(bigSnapshot(), links);
    expect(html.match(/<li tabindex="0"/g)).toHaveLength(20 * 90);
    expect(Buffer.byteLength(html)).toBeLessThan(150_000);
  });
});

describe("renderHistoryPage", () => {
  const boundary = pastIncident("boundary", "Late-night outage", "2026-10-31T23:30:00.000Z");

  function monthOf(html: string, month: string): string {
    return between(html, `<section class="month" aria-labelledby="m-${month}">`, "</section>");
  }

  it("groups incidents by month in the page's time zone", () => {
    const tokyo = sampleSnapshot({ incidents: [boundary] });
    tokyo.page.timeZone = "Asia/Tokyo";
    const inTokyo = renderHistoryPage(tokyo, links, 1)!;
    expect(monthOf(inTokyo, "2026-11")).toContain("Late-night outage");
    expect(monthOf(inTokyo, "2026-10")).not.toContain("Late-night outage");

    const utc = sampleSnapshot({ incidents: [boundary] });
    utc.page.timeZone = "UTC";
    const inUtc = renderHistoryPage(utc, links, 1)!;
    expect(monthOf(inUtc, "2026-10")).toContain("Late-night outage");
    expect(monthOf(inUtc, "2026-11")).not.toContain("Late-night outage");
  });

  it("shows twelve months on page 1, newest first, saying when a month had nothing", () => {
    const html = renderHistoryPage(sampleSnapshot(), links, 1)!;
    const months = [...html.matchAll(/<h2 id="m-(\d{4}-\d{2})">/g)].map((m) => m[1]);
    expect(months).toEqual([
      "2026-11",
      "2026-10",
      "2026-09",
      "2026-08",
      "2026-07",
      "2026-06",
      "2026-05",
      "2026-04",
      "2026-03",
      "2026-02",
      "2026-01",
      "2025-12",
    ]);
    expect(monthOf(html, "2026-10")).toContain(`<a href="/incidents/${RESOLVED_ID}">Login slow</a>`);
    expect(monthOf(html, "2026-11")).toContain("Card payments failing for some customers");
    expect(monthOf(html, "2026-09")).toContain("No incidents reported");
  });

  it("lists completed maintenance, not scheduled maintenance", () => {
    const snapshot = sampleSnapshot();
    snapshot.maintenances.push({
      ...snapshot.maintenances[0]!,
      id: "done",
      name: "Network work",
      status: "completed",
      scheduledFor: "2026-08-10T01:00:00.000Z",
      scheduledUntil: "2026-08-10T02:00:00.000Z",
    });
    const html = renderHistoryPage(snapshot, links, 1)!;
    expect(monthOf(html, "2026-08")).toContain("Network work");
    expect(html).not.toContain("Database upgrade");
  });

  it("has as many pages as reach the oldest incident, and null beyond them", () => {
    const snapshot = sampleSnapshot();
    expect(renderHistoryPage(snapshot, links, 2)).toBeNull();
    expect(renderHistoryPage(snapshot, links, 0)).toBeNull();
    expect(renderHistoryPage(snapshot, links, -1)).toBeNull();
    expect(renderHistoryPage(snapshot, links, 1.5)).toBeNull();
    expect(renderHistoryPage(sampleSnapshot({ incidents: [], maintenances: [] }), links, 1)).not.toBeNull();

    snapshot.incidents.push(pastIncident("old", "Old outage", "2025-11-15T12:00:00.000Z"));
    const first = renderHistoryPage(snapshot, links, 1)!;
    const second = renderHistoryPage(snapshot, links, 2)!;
    expect(first).not.toContain("Old outage");
    expect(first).toContain(`<a href="/history/2" rel="next">`);
    expect(monthOf(second, "2025-11")).toContain("Old outage");
    expect(second).toContain(`<a href="/history" rel="prev">`);
    expect(second).not.toContain(`rel="next"`);
    expect(renderHistoryPage(snapshot, links, 3)).toBeNull();
    expect(historyKey(2)).toBe("history/2");
  });
});

describe("renderIncidentPage", () => {
  it("shows an incident with its impact, components and every update, newest first", () => {
    const html = renderIncidentPage(sampleSnapshot(), links, OPEN_ID)!;
    expect(html).toContain("<h1>Card payments failing for some customers</h1>");
    expect(html).toContain("<title>Card payments failing for some customers — Quillmark status</title>");
    expect(html).toContain("INC-42");
    expect(html).toContain(`<li>Card payments <span class="st po">`);
    const updates = between(html, `<section class="card" aria-labelledby="updates">`, "</section>");
    expect(updates.indexOf("We found the cause")).toBeLessThan(updates.indexOf("Some card payments fail."));
    expect(updates.indexOf("We found the cause")).toBeGreaterThan(0);
    expect(html).not.toContain("Postmortem");
  });

  it("inserts a published postmortem as given, in its own section", () => {
    const snapshot = sampleSnapshot();
    snapshot.incidents[1]!.postmortem = {
      publishedAt: "2026-10-05T10:00:00.000Z",
      html: `<h2>What happened</h2><p>A <em>certificate</em> expired.</p>`,
    };
    const html = renderIncidentPage(snapshot, links, RESOLVED_ID)!;
    const section = between(html, `<section class="card" aria-labelledby="postmortem">`, "</section>");
    expect(section).toContain(
      `<div class="prose"><h2>What happened</h2><p>A <em>certificate</em> expired.</p></div>`,
    );
    expect(section).toContain(
      `Published <time datetime="2026-10-05T10:00:00.000Z">5 Oct 2026, 11:00 WEST</time>`,
    );
    expect(section).toContain(`<h2 id="postmortem">Postmortem</h2>`);
  });

  it("titles a postmortem that has a title, escaped", () => {
    const snapshot = sampleSnapshot();
    snapshot.incidents[1]!.postmortem = {
      publishedAt: "2026-10-05T10:00:00.000Z",
      html: "<p>Why</p>",
      title: "An expired <certificate>",
    };
    const html = renderIncidentPage(snapshot, links, RESOLVED_ID)!;
    expect(html).toContain(`<h2 id="postmortem">Postmortem: An expired &lt;certificate&gt;</h2>`);
  });

  it("shows a maintenance with its window", () => {
    const html = renderIncidentPage(sampleSnapshot(), links, MAINTENANCE_ID)!;
    expect(html).toContain("<h1>Database upgrade</h1>");
    expect(html).toContain(
      `<dt>Scheduled</dt><dd><time datetime="2026-11-29T02:00:00.000Z">29 Nov 2026, 02:00</time>`,
    );
    expect(html).toContain(`<strong class="phase">Scheduled</strong>`);
  });

  it("returns null for an unknown id", () => {
    expect(renderIncidentPage(sampleSnapshot(), links, "nope")).toBeNull();
    expect(renderIncidentPage(sampleSnapshot(), links, "INC-42")).toBeNull();
  });
});

describe("renderSubscribePage", () => {
  it("offers an email and a webhook form, posting components by id, grouped", () => {
    const html = renderSubscribePage(sampleSnapshot(), links);
    const forms = [...html.matchAll(/<form method="post" action="\/subscribe">([\s\S]*?)<\/form>/g)].map(
      (m) => m[1]!,
    );
    expect(forms).toHaveLength(2);
    expect(forms[0]).toContain(`<label for="email">Email address</label>`);
    expect(forms[0]).toContain(`<input id="email" name="email" type="email" required`);
    expect(forms[1]).toContain(`<label for="webhookUrl">Webhook URL</label>`);
    expect(forms[1]).toContain(`name="webhookUrl" type="url"`);
    for (const form of forms) {
      expect(form.match(/<input type="checkbox" name="components" value="[^"]+">/g)).toHaveLength(5);
      expect(form).toContain(`<legend>Payments</legend>`);
      expect(form).toContain(`value="card-payments"> Card payments</label>`);
      expect(form).toContain("Leave them all unticked to hear about every component.");
      expect(form).not.toContain(" checked");
    }
    expect(html).toContain(`<a href="/history.rss">RSS feed</a>`);
    expect(html).toContain(`<a href="/history.atom">Atom feed</a>`);
  });

  it("offers only the kinds of subscription the page allows", () => {
    const snapshot = sampleSnapshot();
    snapshot.page.subscribe = { email: false, webhook: true };
    const webhookOnly = renderSubscribePage(snapshot, links);
    expect(webhookOnly).not.toContain(`name="email"`);
    expect(webhookOnly).toContain(`name="webhookUrl"`);
    snapshot.page.subscribe = { email: false, webhook: false };
    const none = renderSubscribePage(snapshot, links);
    expect(none).not.toContain("<form");
    expect(none).toContain(`<a href="/history.rss">RSS feed</a>`);
  });
});

describe("renderNotFoundPage", () => {
  it("says so and links home", () => {
    const html = renderNotFoundPage(sampleSnapshot(), servedLinks("/status"));
    expect(html).toContain("<h1>Page not found</h1>");
    expect(html).toContain(`<a class="btn" href="/status/">Go to the current status</a>`);
  });
});

/** 20 components (18 in 4 groups) with 90 days each, 2 open incidents and 50 past ones. */
function bigSnapshot(): PageSnapshot {
  const base = sampleSnapshot();
  const bad = {
    worst: "partial_outage" as const,
    seconds: {
      operational: 81_600,
      degraded_performance: 0,
      partial_outage: 4_800,
      major_outage: 0,
      under_maintenance: 0,
    },
    incidents: [{ id: "past-3", name: "Card payments failing again", impact: "partial_outage" as const }],
  };
  const components: PageComponent[] = Array.from({ length: 20 }, (_, i) => ({
    ...base.components[0]!,
    id: `component-${i}`,
    name: `Component number ${i}`,
    groupId: i < 18 ? ["apps", "payments", "data", "infra"][i % 4]! : null,
    position: i + 1,
    uptime: uptimeDays("2026-11-27", 90, { "2026-11-20": bad, "2026-10-02": bad }),
  }));
  const groups = ["apps", "payments", "data", "infra"].map((id, i) => ({
    ...base.groups[0]!,
    id,
    name: id,
    position: i + 1,
    componentIds: components.filter((c) => c.groupId === id).map((c) => c.id),
  }));
  const open = base.incidents[0]!;
  const past = Array.from({ length: 50 }, (_, k) =>
    pastIncident(
      `past-${k}`,
      `Past incident ${k}`,
      new Date(Date.parse("2026-11-26T09:00:00Z") - k * 5 * 86_400_000).toISOString(),
    ),
  );
  return { ...base, components, groups, incidents: [open, { ...open, id: "open-2" }, ...past] };
}

import type { Impact, Phase } from "../plan/schema.ts";

/**
 * Everything the public status page shows, read from the store in one go.
 * Every rendering (HTML pages, the Statuspage v2 JSON, feeds, badge, the
 * static export) is a pure function of one snapshot, so a visitor never waits
 * on the database and a burst of changes costs one read and one render.
 *
 * Only what is public is in a snapshot: private incidents, drills and updates
 * not published to a statuspage channel never get this far. All times are
 * ISO-8601 UTC strings ("2026-11-27T03:12:00.000Z").
 */

/** A component's status, in Statuspage's value set. */
export type ComponentStatus = Impact;

/** Statuspage's page indicator (`status.indicator`). */
export type Indicator = "none" | "minor" | "major" | "critical";

/** Statuspage's incident impact. */
export type IncidentImpact = "none" | "minor" | "major" | "critical";

export type MaintenanceStatus = "scheduled" | "in_progress" | "verifying" | "completed";

export interface PageInfo {
  /** Stable id for the page (Statuspage's `page.id`). */
  id: string;
  name: string;
  /** Absolute URL of the page's root, without a trailing slash ("https://status.example.com"). */
  url: string;
  /** IANA time zone in which days (uptime bars, history months) and times are shown. */
  timeZone: string;
  /** Short text under the page title. */
  description: string | null;
  /** http(s) URL of a logo image, or null to show the name as text. */
  logoUrl: string | null;
  /** Accent colour as #rrggbb (links, buttons, focus rings). */
  brandColor: string;
  /** Links in the header/footer (the company site, support, terms). */
  links: Array<{ label: string; url: string }>;
  /** Whether the subscribe form offers email (needs an email channel) and webhooks. */
  subscribe: { email: boolean; webhook: boolean };
}

export interface UptimeDay {
  /** The calendar day in the page's time zone, YYYY-MM-DD. */
  date: string;
  /** Seconds spent in each status that day (time-weighted from recorded changes). Sums to the covered part of the day. */
  seconds: Record<ComponentStatus, number>;
  /** The worst status seen that day, or "no_data" before the component existed (or a day still in the future). */
  worst: ComponentStatus | "no_data";
  /** Public incidents that touched this component that day. */
  incidents: Array<{ id: string; name: string; impact: ComponentStatus }>;
}

export interface PageComponent {
  id: string;
  name: string;
  description: string | null;
  /** The group's id, or null for a component outside any group. */
  groupId: string | null;
  status: ComponentStatus;
  /** Order on the page (plan order), starting at 1. */
  position: number;
  /** Show the uptime bars (Statuspage's `showcase`). */
  showcase: boolean;
  onlyShowIfDegraded: boolean;
  /** YYYY-MM-DD the component was first recorded, or null. */
  startDate: string | null;
  createdAt: string;
  updatedAt: string;
  /** 90 days, oldest first, ending today in the page's time zone. */
  uptime: UptimeDay[];
  /** Uptime over those days in percent (major outage counts fully, partial outage 30%), or null without data. */
  uptimePercent: number | null;
}

export interface PageGroup {
  /** Derived from the group's name ("payments"). */
  id: string;
  name: string;
  /** The worst status of its components. */
  status: ComponentStatus;
  position: number;
  componentIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AffectedComponent {
  code: string;
  name: string;
  oldStatus: ComponentStatus;
  newStatus: ComponentStatus;
}

export interface PageIncidentUpdate {
  id: string;
  status: Phase;
  body: string;
  createdAt: string;
  /** Components whose status this update changed, or null when none did. */
  affectedComponents: AffectedComponent[] | null;
}

export interface PageIncident {
  id: string;
  /** "INC-42": shown small beside the name. */
  reference: string;
  name: string;
  status: Phase;
  impact: IncidentImpact;
  createdAt: string;
  updatedAt: string;
  startedAt: string;
  monitoringAt: string | null;
  resolvedAt: string | null;
  /** Absolute URL of the incident's page. */
  shortlink: string;
  components: Array<{ id: string; name: string; impact: ComponentStatus }>;
  /** Every public update, newest first. */
  updates: PageIncidentUpdate[];
  /** The published public postmortem, as sanitized HTML (and its title, when it has one), or null. */
  postmortem: { publishedAt: string; html: string; title?: string } | null;
}

export interface PageMaintenanceUpdate {
  id: string;
  status: MaintenanceStatus;
  body: string;
  createdAt: string;
}

export interface PageMaintenance {
  id: string;
  name: string;
  status: MaintenanceStatus;
  createdAt: string;
  updatedAt: string;
  scheduledFor: string;
  scheduledUntil: string;
  startedAt: string | null;
  completedAt: string | null;
  shortlink: string;
  components: Array<{ id: string; name: string }>;
  /** Newest first. */
  updates: PageMaintenanceUpdate[];
}

export interface PageSnapshot {
  page: PageInfo;
  status: { indicator: Indicator; description: string };
  /** Plan order. */
  components: PageComponent[];
  /** Plan order of first appearance. */
  groups: PageGroup[];
  /** Every public incident, newest (by createdAt) first; unresolved ones have status !== "resolved". */
  incidents: PageIncident[];
  /** Every maintenance, newest scheduledFor first. */
  maintenances: PageMaintenance[];
  /** When this snapshot was read. */
  generatedAt: string;
  /** The newest change anything on the page shows (Statuspage's `page.updated_at`). */
  updatedAt: string;
  /** Set when the store could not be read: the page shows the last good snapshot and says since when. */
  stale: { since: string } | null;
}

import { IANAZone } from "luxon";
import type {
  ComponentStatus,
  PageComponent,
  PageGroup,
  PageIncident,
  PageMaintenance,
  PageSnapshot,
} from "../model.ts";
import type {
  V2Bodies,
  V2Component,
  V2GroupComponent,
  V2Incident,
  V2LeafComponent,
  V2Maintenance,
  V2Page,
  V2Path,
} from "./v2-schema.ts";

/**
 * The Atlassian Statuspage public v2 API, rendered from one snapshot. Status
 * clients written for Statuspage read these bodies unchanged, so the shapes
 * follow Statuspage's, field for field, and timestamps carry the page time
 * zone's offset as Statuspage's do. Each incident and component is rendered
 * once and shared by every body that lists it.
 */

/** Paths of the bodies, relative to the page root (serve them under the base path). */
export const V2_PATHS = [
  "api/v2/summary.json",
  "api/v2/status.json",
  "api/v2/components.json",
  "api/v2/incidents.json",
  "api/v2/incidents/unresolved.json",
  "api/v2/scheduled-maintenances.json",
  "api/v2/scheduled-maintenances/upcoming.json",
  "api/v2/scheduled-maintenances/active.json",
] as const satisfies readonly V2Path[];

/** Statuspage lists at most this many incidents and maintenances. */
export const V2_LIST_LIMIT = 50;

export function renderV2(snapshot: PageSnapshot): V2Bodies {
  const inZone = zoneTimestamps(snapshot.page.timeZone);
  // Many rows share timestamps (components created together, updates and their incidents).
  const seen = new Map<string, string>();
  const time: Timestamp = (iso) => {
    let out = seen.get(iso);
    if (out === undefined) {
      out = inZone(iso);
      seen.set(iso, out);
    }
    return out;
  };
  const pageId = snapshot.page.id;
  const page: V2Page = {
    id: pageId,
    name: snapshot.page.name,
    url: snapshot.page.url,
    time_zone: snapshot.page.timeZone,
    updated_at: time(snapshot.updatedAt),
  };
  const status = { indicator: snapshot.status.indicator, description: snapshot.status.description };

  const { rows: components, byId } = componentRows(snapshot, pageId, time);

  // A snapshot holds the whole public history: render only what some body lists, each once.
  const incidentOnce = once((incident: PageIncident) => incidentBody(incident, pageId, byId, time));
  const incidentsByNewest = byNewest(snapshot.incidents, (incident) => incident.createdAt);
  const recent = incidentsByNewest.slice(0, V2_LIST_LIMIT).map(incidentOnce);
  const open = incidentsByNewest.filter((incident) => incident.status !== "resolved").map(incidentOnce);

  const maintenanceOnce = once((maintenance: PageMaintenance) =>
    maintenanceBody(maintenance, pageId, byId, time),
  );
  const maintenancesByNewest = byNewest(snapshot.maintenances, (maintenance) => maintenance.scheduledFor);
  const recentMaintenances = maintenancesByNewest.slice(0, V2_LIST_LIMIT).map(maintenanceOnce);
  const pending = maintenancesByNewest.filter((maintenance) => maintenance.status !== "completed");
  const upcoming = pending.filter((maintenance) => maintenance.status === "scheduled").map(maintenanceOnce);
  const active = pending.filter((maintenance) => maintenance.status !== "scheduled").map(maintenanceOnce);

  return {
    "api/v2/summary.json": {
      page,
      components,
      incidents: open,
      scheduled_maintenances: pending.map(maintenanceOnce),
      status,
    },
    "api/v2/status.json": { page, status },
    "api/v2/components.json": { page, components },
    "api/v2/incidents.json": { page, incidents: recent },
    "api/v2/incidents/unresolved.json": { page, incidents: open },
    "api/v2/scheduled-maintenances.json": {
      page,
      scheduled_maintenances: recentMaintenances,
    },
    "api/v2/scheduled-maintenances/upcoming.json": { page, scheduled_maintenances: upcoming },
    "api/v2/scheduled-maintenances/active.json": { page, scheduled_maintenances: active },
  };
}

type Timestamp = (iso: string) => string;

/**
 * Components in page order, each group's row just before its first component,
 * as Statuspage lists them; and every row by id, for incidents to reuse.
 */
function componentRows(
  snapshot: PageSnapshot,
  pageId: string,
  time: Timestamp,
): { rows: V2Component[]; byId: Map<string, V2Component> } {
  const groups = new Map(snapshot.groups.map((group) => [group.id, group]));
  const rows: V2Component[] = [];
  const byId = new Map<string, V2Component>();
  const add = (row: V2Component) => {
    rows.push(row);
    if (!byId.has(row.id)) byId.set(row.id, row);
  };
  const listedGroups = new Set<string>();
  for (const component of snapshot.components) {
    const group = component.groupId === null ? undefined : groups.get(component.groupId);
    if (group && !listedGroups.has(group.id)) {
      listedGroups.add(group.id);
      add(groupRow(group, pageId, time));
    }
    add(leafRow(component, group ? group.id : null, pageId, time));
  }
  // A group none of whose components is listed still has a row, as an empty group does on Statuspage.
  for (const group of snapshot.groups) {
    if (!listedGroups.has(group.id)) add(groupRow(group, pageId, time));
  }
  return { rows, byId };
}

function leafRow(
  component: PageComponent,
  groupId: string | null,
  pageId: string,
  time: Timestamp,
): V2LeafComponent {
  return {
    id: component.id,
    name: component.name,
    status: component.status,
    created_at: time(component.createdAt),
    updated_at: time(component.updatedAt),
    position: component.position,
    description: component.description,
    showcase: component.showcase,
    start_date: component.startDate,
    group_id: groupId,
    page_id: pageId,
    group: false,
    only_show_if_degraded: component.onlyShowIfDegraded,
  };
}

function groupRow(group: PageGroup, pageId: string, time: Timestamp): V2GroupComponent {
  return {
    id: group.id,
    name: group.name,
    status: group.status,
    created_at: time(group.createdAt),
    updated_at: time(group.updatedAt),
    position: group.position,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: true,
    only_show_if_degraded: false,
    components: [...group.componentIds],
  };
}

/**
 * The affected components in component shape. A component no longer on the
 * page (removed from the plan since) keeps its name and the status it had in
 * the incident, so the incident still says what it touched.
 */
function affectedRows(
  affected: Array<{ id: string; name: string }>,
  fallbackStatus: (index: number) => ComponentStatus,
  byId: Map<string, V2Component>,
  pageId: string,
  createdAt: string,
): V2Component[] {
  return affected.map(
    (component, index) =>
      byId.get(component.id) ?? {
        id: component.id,
        name: component.name,
        status: fallbackStatus(index),
        created_at: createdAt,
        updated_at: createdAt,
        position: 0,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId,
        group: false,
        only_show_if_degraded: false,
      },
  );
}

function incidentBody(
  incident: PageIncident,
  pageId: string,
  byId: Map<string, V2Component>,
  time: Timestamp,
): V2Incident {
  const createdAt = time(incident.createdAt);
  return {
    id: incident.id,
    name: incident.name,
    // Statuspage moves a resolved incident to "postmortem" once its postmortem is published.
    status: incident.status === "resolved" && incident.postmortem !== null ? "postmortem" : incident.status,
    created_at: createdAt,
    updated_at: time(incident.updatedAt),
    monitoring_at: incident.monitoringAt === null ? null : time(incident.monitoringAt),
    resolved_at: incident.resolvedAt === null ? null : time(incident.resolvedAt),
    impact: incident.impact,
    shortlink: incident.shortlink,
    started_at: time(incident.startedAt),
    page_id: pageId,
    incident_updates: incident.updates.map((update) => {
      const at = time(update.createdAt);
      return {
        id: update.id,
        status: update.status,
        body: update.body,
        incident_id: incident.id,
        created_at: at,
        updated_at: at,
        display_at: at,
        affected_components:
          update.affectedComponents === null
            ? null
            : update.affectedComponents.map((affected) => ({
                code: affected.code,
                name: affected.name,
                old_status: affected.oldStatus,
                new_status: affected.newStatus,
              })),
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      };
    }),
    components: affectedRows(
      incident.components,
      (index) => incident.components[index]?.impact ?? "operational",
      byId,
      pageId,
      createdAt,
    ),
  };
}

function maintenanceBody(
  maintenance: PageMaintenance,
  pageId: string,
  byId: Map<string, V2Component>,
  time: Timestamp,
): V2Maintenance {
  const createdAt = time(maintenance.createdAt);
  const underway = maintenance.status === "in_progress" || maintenance.status === "verifying";
  return {
    id: maintenance.id,
    name: maintenance.name,
    status: maintenance.status,
    created_at: createdAt,
    updated_at: time(maintenance.updatedAt),
    monitoring_at: null,
    resolved_at: maintenance.completedAt === null ? null : time(maintenance.completedAt),
    impact: "maintenance",
    shortlink: maintenance.shortlink,
    // Statuspage's started_at defaults to the creation time until the work starts.
    started_at: time(maintenance.startedAt ?? maintenance.createdAt),
    page_id: pageId,
    incident_updates: maintenance.updates.map((update) => {
      const at = time(update.createdAt);
      return {
        id: update.id,
        status: update.status,
        body: update.body,
        incident_id: maintenance.id,
        created_at: at,
        updated_at: at,
        display_at: at,
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      };
    }),
    components: affectedRows(
      maintenance.components,
      () => (underway ? "under_maintenance" : "operational"),
      byId,
      pageId,
      createdAt,
    ),
    scheduled_for: time(maintenance.scheduledFor),
    scheduled_until: time(maintenance.scheduledUntil),
  };
}

/** `render`, called at most once per item. */
function once<T extends object, R>(render: (item: T) => R): (item: T) => R {
  const done = new Map<T, R>();
  return (item) => {
    let out = done.get(item);
    if (out === undefined) {
      out = render(item);
      done.set(item, out);
    }
    return out;
  };
}

/** A stable newest-first copy; ties keep the snapshot's order. */
function byNewest<T>(items: readonly T[], at: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, ms: Date.parse(at(item)) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map((entry) => entry.item);
}

/**
 * Per-zone formatters, kept across calls (a zone's rules do not change while
 * the process runs). Asking a zone for its offset costs microseconds, and a
 * page holds hundreds of timestamps, so each formatter remembers the offset
 * of every UTC hour it has seen: an hour with the same offset at both ends
 * has it throughout (tzdata never changes twice within an hour), and an hour
 * holding a transition is asked exactly, every time.
 */
const zoneFormatters = new Map<string, Timestamp>();

const HOUR = 3_600_000;
/** Hours remembered per zone: years of history, a few megabytes at most. */
const MAX_CACHED_HOURS = 100_000;

/** "2026-11-27T11:30:00.000Z" in America/Los_Angeles → "2026-11-27T03:30:00.000-08:00". */
export function zoneTimestamps(timeZone: string): Timestamp {
  const cached = zoneFormatters.get(timeZone);
  if (cached) return cached;
  const offsetAt = zoneOffset(timeZone);
  const hours = new Map<number, number | null>();
  const offsetOf = (ms: number): number => {
    const hour = Math.floor(ms / HOUR);
    let known = hours.get(hour);
    if (known === undefined) {
      const start = offsetAt(hour * HOUR);
      known = start === offsetAt(hour * HOUR + HOUR - 1) ? start : null;
      if (hours.size >= MAX_CACHED_HOURS) hours.clear();
      hours.set(hour, known);
    }
    return known ?? offsetAt(ms);
  };
  const format: Timestamp = (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw new Error(`not a timestamp: "${iso}"`);
    const offset = offsetOf(ms);
    const local = new Date(ms + offset * 60_000).toISOString();
    return `${local.slice(0, 23)}${formatOffset(offset)}`;
  };
  zoneFormatters.set(timeZone, format);
  return format;
}

/** The zone's UTC offset in minutes at an instant, from luxon's IANA zone. */
function zoneOffset(timeZone: string): (ms: number) => number {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`unknown time zone "${timeZone}"`);
  // Whole minutes: only local mean times before 1900 had seconds in their offsets.
  return (ms) => Math.round(zone.offset(ms));
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, "0");
  const mins = String(abs % 60).padStart(2, "0");
  return `${sign}${hours}:${mins}`;
}

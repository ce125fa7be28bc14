import { createHash } from "node:crypto";
import type { Phase, Plan } from "../plan/schema.ts";
import { renderPostmortemMarkdown } from "../review/postmortems/render.ts";
import type { Db } from "../store/open.ts";
import { readTime } from "../store/values.ts";
import { incidentImpact, pageStatus, worstStatus } from "./component-status.ts";
import type {
  AffectedComponent,
  ComponentStatus,
  MaintenanceStatus,
  PageComponent,
  PageGroup,
  PageIncident,
  PageMaintenance,
  PageSnapshot,
} from "./model.ts";
import { dayBounds, type IncidentSpan, type StatusRecord, UPTIME_DAYS, uptimeDays } from "./uptime.ts";

export interface SnapshotSource {
  db: Db;
  plan: Plan;
  now: Date;
  /** Absolute URL of the page's root, no trailing slash. */
  pageUrl: string;
  /** Whether the plan can send subscriber email (an email channel without a fixed `to`). */
  emailSubscriptions: boolean;
}

/** "Payments" → "payments": a group's id is its name, made URL-safe. */
export function groupId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return slug || createHash("sha256").update(name).digest("hex").slice(0, 8);
}

/** Reads everything the public page shows: a handful of queries, no per-incident round trips. */
export async function loadSnapshot(source: SnapshotSource): Promise<PageSnapshot> {
  const { db, plan, now, pageUrl } = source;
  const nowIso = now.toISOString();
  const settings = plan.status_page;
  const timeZone = settings.timezone ?? plan.organization.timezone;
  const bounds = dayBounds(now, timeZone, UPTIME_DAYS);
  const { starts } = bounds;
  const windowStart = new Date(starts[0] ?? now.getTime()).toISOString();

  // On the page: every public incident with an update published there, or a published public postmortem.
  const publicIncidents = db
    .selectFrom("incidents as i")
    .where("i.private", "=", false)
    .where("i.drill", "=", false)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("status_updates as pu")
            .select("pu.id")
            .whereRef("pu.incident_id", "=", "i.id")
            .where("pu.public", "=", true),
        ),
        eb.exists(
          eb
            .selectFrom("postmortems as pp")
            .select("pp.id")
            .whereRef("pp.incident_id", "=", "i.id")
            .where("pp.public_status", "=", "published"),
        ),
      ]),
    );

  const [incidentRows, updateRows, impactRows, changeRows, stateRows, maintenanceRows, postmortemRows] =
    await Promise.all([
      publicIncidents
        .select([
          "i.id",
          "i.reference",
          "i.title",
          "i.status",
          "i.declared_at",
          "i.impact_started_at",
          "i.monitoring_at",
          "i.resolved_at",
        ])
        .orderBy("i.declared_at", "desc")
        .orderBy("i.id", "desc")
        .execute(),
      db
        .selectFrom("status_updates as u")
        .innerJoin("incidents as i", "i.id", "u.incident_id")
        .select(["u.id", "u.incident_id", "u.phase", "u.body", "u.created_at"])
        .where("u.public", "=", true)
        .where("i.private", "=", false)
        .where("i.drill", "=", false)
        .orderBy("u.created_at", "desc")
        .orderBy("u.id", "desc")
        .execute(),
      publicIncidents
        .innerJoin("incident_components as ic", "ic.incident_id", "i.id")
        .select(["ic.incident_id", "ic.component_id", "ic.impact"])
        .execute(),
      db
        .selectFrom("component_status_changes")
        .select(["component_id", "old_status", "status", "at", "update_id"])
        .where((eb) => eb.or([eb("at", ">=", windowStart), eb("update_id", "is not", null)]))
        .orderBy("at")
        .orderBy("id")
        .execute(),
      db.selectFrom("component_states").selectAll().execute(),
      db.selectFrom("maintenances").selectAll().orderBy("scheduled_for", "desc").execute(),
      db
        .selectFrom("postmortems as p")
        .innerJoin("incidents as i", "i.id", "p.incident_id")
        .select([
          "p.id",
          "p.incident_id",
          "p.version",
          "p.public_title",
          "p.public_body",
          "p.public_published_at",
        ])
        .where("p.public_status", "=", "published")
        .where("i.private", "=", false)
        .where("i.drill", "=", false)
        .execute(),
    ]);
  const maintenanceIds = maintenanceRows.map((m) => m.id);
  const [maintenanceComponentRows, maintenanceUpdateRows] = maintenanceIds.length
    ? await Promise.all([
        db.selectFrom("maintenance_components").selectAll().execute(),
        db
          .selectFrom("maintenance_updates")
          .select(["id", "maintenance_id", "status", "body", "created_at"])
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .execute(),
      ])
    : [[], []];

  const names = new Map(plan.components.map((c) => [c.id, c.name]));
  const states = new Map(stateRows.map((row) => [row.component_id, row]));
  const statusOf = (id: string): ComponentStatus =>
    (states.get(id)?.status as ComponentStatus) ?? "operational";

  // Incidents, with their public updates and the components each update changed.
  const affectedByUpdate = new Map<string, AffectedComponent[]>();
  for (const change of changeRows) {
    if (!change.update_id || !change.old_status || !names.has(change.component_id)) continue;
    const list = affectedByUpdate.get(change.update_id) ?? [];
    list.push({
      code: change.component_id,
      name: names.get(change.component_id) ?? change.component_id,
      oldStatus: change.old_status as ComponentStatus,
      newStatus: change.status as ComponentStatus,
    });
    affectedByUpdate.set(change.update_id, list);
  }
  const updatesByIncident = new Map<string, PageIncident["updates"]>();
  for (const row of updateRows) {
    const list = updatesByIncident.get(row.incident_id) ?? [];
    list.push({
      id: row.id,
      status: row.phase as Phase,
      body: row.body,
      createdAt: readTime(row.created_at),
      affectedComponents: affectedByUpdate.get(row.id) ?? null,
    });
    updatesByIncident.set(row.incident_id, list);
  }
  const componentsByIncident = new Map<string, PageIncident["components"]>();
  for (const row of impactRows) {
    if (!names.has(row.component_id)) continue;
    const list = componentsByIncident.get(row.incident_id) ?? [];
    list.push({
      id: row.component_id,
      name: names.get(row.component_id) ?? row.component_id,
      impact: row.impact as ComponentStatus,
    });
    componentsByIncident.set(row.incident_id, list);
  }
  // Public postmortems, sanitized once per saved version (see review/postmortems/render.ts).
  const postmortems = new Map<string, NonNullable<PageIncident["postmortem"]>>();
  for (const row of postmortemRows) {
    if (row.public_body === null || row.public_published_at === null) continue;
    postmortems.set(row.incident_id, {
      publishedAt: readTime(row.public_published_at),
      html: renderPostmortemMarkdown(row.public_body),
      ...(row.public_title ? { title: row.public_title } : {}),
    });
  }
  const incidents: PageIncident[] = incidentRows.map((row) => {
    const updates = updatesByIncident.get(row.id) ?? [];
    const components = componentsByIncident.get(row.id) ?? [];
    const resolvedAt = readTime(row.resolved_at);
    const latestPhase = updates[0]?.status;
    const status: Phase =
      row.status === "resolved"
        ? "resolved"
        : latestPhase && latestPhase !== "resolved"
          ? latestPhase
          : row.status;
    const updatedAt =
      [updates[0]?.createdAt, resolvedAt].filter(Boolean).sort().at(-1) ?? readTime(row.declared_at);
    return {
      id: row.id,
      reference: row.reference,
      name: row.title,
      status,
      impact: incidentImpact(components.map((c) => c.impact)),
      createdAt: readTime(row.declared_at),
      updatedAt,
      startedAt: readTime(row.impact_started_at),
      monitoringAt: readTime(row.monitoring_at),
      resolvedAt,
      shortlink: `${pageUrl}/incidents/${row.id}`,
      components,
      updates,
      postmortem: postmortems.get(row.id) ?? null,
    };
  });

  // Maintenances.
  const maintenanceComponents = new Map<string, PageMaintenance["components"]>();
  for (const row of maintenanceComponentRows) {
    if (!names.has(row.component_id)) continue;
    const list = maintenanceComponents.get(row.maintenance_id) ?? [];
    list.push({ id: row.component_id, name: names.get(row.component_id) ?? row.component_id });
    maintenanceComponents.set(row.maintenance_id, list);
  }
  const maintenanceUpdates = new Map<string, PageMaintenance["updates"]>();
  for (const row of maintenanceUpdateRows) {
    const list = maintenanceUpdates.get(row.maintenance_id) ?? [];
    list.push({
      id: row.id,
      status: row.status as MaintenanceStatus,
      body: row.body,
      createdAt: readTime(row.created_at),
    });
    maintenanceUpdates.set(row.maintenance_id, list);
  }
  const maintenances: PageMaintenance[] = maintenanceRows.map((row) => ({
    id: row.id,
    name: row.title,
    status: row.status,
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
    scheduledFor: readTime(row.scheduled_for),
    scheduledUntil: readTime(row.scheduled_until),
    startedAt: readTime(row.started_at),
    completedAt: readTime(row.completed_at),
    shortlink: `${pageUrl}/incidents/${row.id}`,
    components: maintenanceComponents.get(row.id) ?? [],
    updates: maintenanceUpdates.get(row.id) ?? [],
  }));

  // Components with their uptime, from the recorded changes.
  const recordsByComponent = new Map<string, StatusRecord[]>();
  for (const change of changeRows) {
    if (readTime(change.at) < windowStart && change.old_status !== null) continue;
    const list = recordsByComponent.get(change.component_id) ?? [];
    if (list.length === 0 && change.old_status !== null) {
      // The status it had when the window opened.
      const firstSeen = states.get(change.component_id)?.first_seen_at;
      list.push({ at: laterOf(windowStart, firstSeen), status: change.old_status as ComponentStatus });
    }
    list.push({ at: readTime(change.at), status: change.status as ComponentStatus });
    recordsByComponent.set(change.component_id, list);
  }
  const spansByComponent = new Map<string, IncidentSpan[]>();
  for (const incident of incidents) {
    const start = Date.parse(incident.startedAt);
    const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.POSITIVE_INFINITY;
    for (const c of incident.components) {
      const list = spansByComponent.get(c.id) ?? [];
      list.push({ id: incident.id, name: incident.name, impact: c.impact, start, end });
      spansByComponent.set(c.id, list);
    }
  }
  const components: PageComponent[] = plan.components.map((c, index) => {
    const state = states.get(c.id);
    const records = recordsByComponent.get(c.id) ?? [];
    if (records.length === 0 && state) {
      records.push({
        at: laterOf(windowStart, state.first_seen_at),
        status: state.status as ComponentStatus,
      });
    }
    const { days, percent } = uptimeDays(
      records,
      (spansByComponent.get(c.id) ?? []).reverse(),
      now,
      timeZone,
    );
    const createdAt = state ? readTime(state.first_seen_at) : nowIso;
    return {
      id: c.id,
      name: c.name,
      description: c.description ?? null,
      groupId: c.group ? groupId(c.group) : null,
      status: statusOf(c.id),
      position: index + 1,
      showcase: c.show_uptime,
      onlyShowIfDegraded: c.only_show_if_degraded,
      startDate: state ? createdAt.slice(0, 10) : null,
      createdAt,
      updatedAt: state ? readTime(state.since) : nowIso,
      uptime: days,
      uptimePercent: percent,
    };
  });

  const groups: PageGroup[] = [];
  for (const component of components) {
    const name = plan.components[component.position - 1]?.group;
    if (!name || !component.groupId) continue;
    let group = groups.find((g) => g.id === component.groupId);
    if (!group) {
      group = {
        id: component.groupId,
        name,
        status: "operational",
        position: groups.length + 1,
        componentIds: [],
        createdAt: component.createdAt,
        updatedAt: component.updatedAt,
      };
      groups.push(group);
    }
    group.componentIds.push(component.id);
    group.status = worstStatus([group.status, component.status]);
    if (component.createdAt < group.createdAt) group.createdAt = component.createdAt;
    if (component.updatedAt > group.updatedAt) group.updatedAt = component.updatedAt;
  }

  const open = incidents.filter((i) => i.status !== "resolved");
  const maintenanceActive = maintenances.some((m) => m.status === "in_progress" || m.status === "verifying");
  const updatedAt =
    [
      ...incidents.slice(0, 1).map((i) => i.updatedAt),
      ...open.map((i) => i.updatedAt),
      ...maintenances.map((m) => m.updatedAt),
      ...components.map((c) => c.updatedAt),
    ]
      .sort()
      .at(-1) ?? nowIso;

  return {
    page: {
      id: createHash("sha256").update(pageUrl).digest("hex").slice(0, 12),
      name: settings.name ?? plan.organization.name,
      url: pageUrl,
      timeZone,
      description: settings.description ?? null,
      logoUrl: settings.logo_url ?? null,
      brandColor: settings.brand_color,
      links: settings.links,
      subscribe: { email: source.emailSubscriptions, webhook: true },
    },
    status: pageStatus(
      components.map((c) => c.status),
      open.length,
      maintenanceActive,
    ),
    components,
    groups,
    incidents,
    maintenances,
    generatedAt: nowIso,
    updatedAt,
    stale: null,
  };
}

function laterOf(a: string, b: string | undefined | null): string {
  if (!b) return a;
  const bIso = readTime(b);
  return bIso > a ? bIso : a;
}

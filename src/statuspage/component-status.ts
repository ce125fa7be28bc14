import type { Impact } from "../plan/schema.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { ComponentStatusValue } from "../store/schema.ts";
import type { ComponentStatus, IncidentImpact, Indicator } from "./model.ts";

/**
 * A component's status is derived, never typed in: the worst impact any open,
 * public incident records for it, else under_maintenance while a maintenance
 * that names it is in progress, else operational. An incident is public once
 * one of its updates was published to a statuspage channel, and never when it
 * is private or a drill.
 *
 * Every verb that can change a derived status calls syncComponentStatuses in
 * its own transaction, which records each change with its time: the uptime
 * history is computed from these rows, time-weighted.
 */

/** Worse statuses rank higher; an incident's impact outranks maintenance. */
const RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = "operational";
  for (const status of statuses) if (RANK[status] > RANK[worst]) worst = status;
  return worst;
}

export function incidentImpact(impacts: Iterable<Impact>): IncidentImpact {
  switch (worstStatus(impacts)) {
    case "major_outage":
      return "critical";
    case "partial_outage":
      return "major";
    case "degraded_performance":
      return "minor";
    default:
      return "none";
  }
}

/** The page's indicator and its words, as Statuspage computes them from components and open incidents. */
export function pageStatus(
  statuses: ComponentStatus[],
  openIncidents: number,
  maintenanceActive: boolean,
): { indicator: Indicator; description: string } {
  const worst = worstStatus(statuses);
  if (worst === "major_outage") return { indicator: "critical", description: "Major System Outage" };
  if (worst === "partial_outage") return { indicator: "major", description: "Partial System Outage" };
  if (worst === "degraded_performance" || openIncidents > 0)
    return { indicator: "minor", description: "Minor Service Outage" };
  if (maintenanceActive || worst === "under_maintenance")
    return { indicator: "none", description: "Service Under Maintenance" };
  return { indicator: "none", description: "All Systems Operational" };
}

/** The statuses the open public incidents and active maintenances give the named components now. */
export async function derivedStatuses(db: Db, componentIds: string[]): Promise<Map<string, ComponentStatus>> {
  const out = new Map<string, ComponentStatus>(componentIds.map((id) => [id, "operational"]));
  const maintained = await db
    .selectFrom("maintenance_components as mc")
    .innerJoin("maintenances as m", "m.id", "mc.maintenance_id")
    .select("mc.component_id")
    .where("m.status", "in", ["in_progress", "verifying"])
    .execute();
  for (const row of maintained) {
    if (out.has(row.component_id)) out.set(row.component_id, "under_maintenance");
  }
  const impacted = await db
    .selectFrom("incident_components as ic")
    .innerJoin("incidents as i", "i.id", "ic.incident_id")
    .select(["ic.component_id", "ic.impact"])
    .where("i.status", "!=", "resolved")
    .where("i.private", "=", false)
    .where("i.drill", "=", false)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("status_updates as u")
          .select("u.id")
          .whereRef("u.incident_id", "=", "i.id")
          .where("u.public", "=", true),
      ),
    )
    .execute();
  for (const row of impacted) {
    const current = out.get(row.component_id);
    if (current !== undefined)
      out.set(row.component_id, worstStatus([current, row.impact as ComponentStatus]));
  }
  return out;
}

export interface StatusChange {
  componentId: string;
  oldStatus: ComponentStatus | null;
  status: ComponentStatus;
}

/**
 * Records every component whose derived status differs from its recorded one.
 * Call it inside the transaction that made the change; `updateId` names the
 * public update that caused it, shown with that update as its affected components.
 * A component seen for the first time is recorded as it is now.
 */
export async function syncComponentStatuses(
  tx: Db,
  componentIds: string[],
  at: string,
  updateId: string | null = null,
): Promise<StatusChange[]> {
  if (componentIds.length === 0) return [];
  const derived = await derivedStatuses(tx, componentIds);
  const recorded = new Map(
    (await tx.selectFrom("component_states").select(["component_id", "status"]).execute()).map((row) => [
      row.component_id,
      row.status as ComponentStatus,
    ]),
  );
  const changes: StatusChange[] = [];
  for (const [componentId, status] of derived) {
    const old = recorded.get(componentId);
    if (old === status) continue;
    changes.push({ componentId, oldStatus: old ?? null, status });
  }
  if (changes.length === 0) return changes;
  for (const change of changes) {
    if (change.oldStatus === null) {
      await tx
        .insertInto("component_states")
        .values({ component_id: change.componentId, status: change.status, since: at, first_seen_at: at })
        .execute();
    } else {
      await tx
        .updateTable("component_states")
        .set({ status: change.status as ComponentStatusValue, since: at })
        .where("component_id", "=", change.componentId)
        .execute();
    }
  }
  await tx
    .insertInto("component_status_changes")
    .values(
      changes.map((change) => ({
        id: newId(),
        component_id: change.componentId,
        old_status: change.oldStatus,
        status: change.status,
        at,
        update_id: change.oldStatus === null ? null : updateId,
      })),
    )
    .execute();
  return changes;
}

import type { Impact } from "../../api/types";
import { MAINTENANCE_LABELS } from "./maintenance-form";
import type { MaintenanceStatus } from "./queries";

/**
 * As the public page words them. The declare form has the same words, but importing them from
 * there made the bundler move React into a chunk of its own, which the first screen then loads.
 */
const STATUS_LABELS: Record<Impact, string> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

export function componentStatusLabel(status: string): string {
  return STATUS_LABELS[status as Impact] ?? status.replaceAll("_", " ");
}

/** A component's status as the public page shows it, colored by how bad it is. */
export function ComponentStatusBadge({ status }: { status: string }) {
  return (
    <span className="badge badge-component" data-status={status}>
      <span className="visually-hidden">Status: </span>
      {componentStatusLabel(status)}
    </span>
  );
}

export function MaintenanceBadge({ status }: { status: MaintenanceStatus }) {
  return (
    <span className="badge badge-maintenance" data-status={status}>
      <span className="visually-hidden">Status: </span>
      {MAINTENANCE_LABELS[status]}
    </span>
  );
}

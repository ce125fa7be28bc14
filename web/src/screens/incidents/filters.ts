import type { IncidentFilters } from "../../api/queries";
import type { Status } from "../../api/types";

/** The list's filters, kept in the URL so a filtered view can be shared and survives a reload. */
export type StatusFilter = "" | "active" | "resolved" | Status;

export interface ListFilters {
  status: StatusFilter;
  severity: string;
  mine: boolean;
  drill: "" | "true" | "false";
}

const STATUS_VALUES: readonly StatusFilter[] = [
  "",
  "active",
  "resolved",
  "investigating",
  "identified",
  "monitoring",
];

export function readFilters(params: URLSearchParams): ListFilters {
  const status = params.get("status") ?? "";
  const drill = params.get("drill") ?? "";
  return {
    status: (STATUS_VALUES as readonly string[]).includes(status) ? (status as StatusFilter) : "",
    severity: params.get("severity") ?? "",
    mine: params.get("mine") === "true",
    drill: drill === "true" || drill === "false" ? drill : "",
  };
}

export function writeFilters(filters: ListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.severity) params.set("severity", filters.severity);
  if (filters.mine) params.set("mine", "true");
  if (filters.drill) params.set("drill", filters.drill);
  return params;
}

/**
 * The API queries behind the list. Without a status filter the list shows the
 * active incidents first, then the most recent resolved ones: two queries.
 */
export function listQueries(filters: ListFilters): { active: IncidentFilters | null; rest: IncidentFilters } {
  const common: IncidentFilters = {
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.mine ? { mine: "true" as const } : {}),
    ...(filters.drill ? { drill: filters.drill } : {}),
  };
  if (filters.status === "") {
    return {
      active: { ...common, status: "active", limit: 200 },
      rest: { ...common, status: "resolved", limit: 25 },
    };
  }
  return { active: null, rest: { ...common, status: filters.status, limit: 100 } };
}

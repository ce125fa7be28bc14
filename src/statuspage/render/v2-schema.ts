import { z } from "zod";

/**
 * The public Statuspage v2 bodies as Runsheet serves them, described strictly:
 * every field, no extra ones, every value set closed. Tests parse each rendered
 * body with these, and the API docs can be generated from them. Field names and
 * value sets are Atlassian Statuspage's, so existing status clients (widgets,
 * dashboards, "is it down?" bots) read a Runsheet page unchanged.
 */

/** ISO 8601 with milliseconds and the page time zone's UTC offset: "2026-11-27T03:30:00.000-08:00". */
export const V2_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

export const V2Timestamp = z
  .string()
  .regex(V2_TIMESTAMP_PATTERN, "ISO 8601 with milliseconds and a UTC offset");
const NullableTimestamp = V2Timestamp.nullable();

export const V2_INDICATORS = ["none", "minor", "major", "critical"] as const;
export const V2_COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const;
export const V2_INCIDENT_STATUSES = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
  "postmortem",
] as const;
export const V2_MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"] as const;
export const V2_INCIDENT_IMPACTS = ["none", "minor", "major", "critical"] as const;

export const V2Indicator = z.enum(V2_INDICATORS);
export const V2ComponentStatus = z.enum(V2_COMPONENT_STATUSES);
export const V2IncidentStatus = z.enum(V2_INCIDENT_STATUSES);
export const V2MaintenanceStatus = z.enum(V2_MAINTENANCE_STATUSES);
export const V2IncidentImpact = z.enum(V2_INCIDENT_IMPACTS);

export const V2Page = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  url: z.url({ protocol: /^https?$/ }),
  time_zone: z.string().min(1),
  updated_at: V2Timestamp,
});
export type V2Page = z.infer<typeof V2Page>;

export const V2Status = z.strictObject({
  indicator: V2Indicator,
  description: z.string(),
});
export type V2Status = z.infer<typeof V2Status>;

const componentFields = {
  id: z.string().min(1),
  name: z.string(),
  status: V2ComponentStatus,
  created_at: V2Timestamp,
  updated_at: V2Timestamp,
  position: z.int().nonnegative(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.iso.date().nullable(),
  page_id: z.string().min(1),
  only_show_if_degraded: z.boolean(),
};

/** A component, inside a group (`group_id` set) or not. */
export const V2LeafComponent = z.strictObject({
  ...componentFields,
  group_id: z.string().min(1).nullable(),
  group: z.literal(false),
  /** Never present on a component; declared so `row.components` reads as undefined on any row. */
  components: z.never().optional(),
});
export type V2LeafComponent = z.infer<typeof V2LeafComponent>;

/** A group row: listed among the components, naming its children. */
export const V2GroupComponent = z.strictObject({
  ...componentFields,
  group_id: z.null(),
  group: z.literal(true),
  components: z.array(z.string().min(1)),
});
export type V2GroupComponent = z.infer<typeof V2GroupComponent>;

export const V2Component = z.discriminatedUnion("group", [V2LeafComponent, V2GroupComponent]);
export type V2Component = z.infer<typeof V2Component>;

export const V2AffectedComponent = z.strictObject({
  code: z.string().min(1),
  name: z.string(),
  old_status: V2ComponentStatus,
  new_status: V2ComponentStatus,
});
export type V2AffectedComponent = z.infer<typeof V2AffectedComponent>;

function updateSchema<S extends z.ZodType>(status: S) {
  return z.strictObject({
    id: z.string().min(1),
    status,
    body: z.string(),
    incident_id: z.string().min(1),
    created_at: V2Timestamp,
    updated_at: V2Timestamp,
    display_at: V2Timestamp,
    affected_components: z.array(V2AffectedComponent).nullable(),
    deliver_notifications: z.literal(true),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  });
}

export const V2IncidentUpdate = updateSchema(V2IncidentStatus);
export type V2IncidentUpdate = z.infer<typeof V2IncidentUpdate>;
export const V2MaintenanceUpdate = updateSchema(V2MaintenanceStatus);
export type V2MaintenanceUpdate = z.infer<typeof V2MaintenanceUpdate>;

const incidentFields = {
  id: z.string().min(1),
  name: z.string(),
  created_at: V2Timestamp,
  updated_at: V2Timestamp,
  monitoring_at: NullableTimestamp,
  resolved_at: NullableTimestamp,
  shortlink: z.url({ protocol: /^https?$/ }),
  started_at: V2Timestamp,
  page_id: z.string().min(1),
  components: z.array(V2Component),
};

export const V2Incident = z.strictObject({
  ...incidentFields,
  status: V2IncidentStatus,
  impact: V2IncidentImpact,
  incident_updates: z.array(V2IncidentUpdate),
});
export type V2Incident = z.infer<typeof V2Incident>;

export const V2Maintenance = z.strictObject({
  ...incidentFields,
  status: V2MaintenanceStatus,
  impact: z.literal("maintenance"),
  incident_updates: z.array(V2MaintenanceUpdate),
  scheduled_for: V2Timestamp,
  scheduled_until: V2Timestamp,
});
export type V2Maintenance = z.infer<typeof V2Maintenance>;

export const V2SummaryBody = z.strictObject({
  page: V2Page,
  components: z.array(V2Component),
  incidents: z.array(V2Incident),
  scheduled_maintenances: z.array(V2Maintenance),
  status: V2Status,
});
export type V2SummaryBody = z.infer<typeof V2SummaryBody>;

export const V2StatusBody = z.strictObject({ page: V2Page, status: V2Status });
export type V2StatusBody = z.infer<typeof V2StatusBody>;

export const V2ComponentsBody = z.strictObject({ page: V2Page, components: z.array(V2Component) });
export type V2ComponentsBody = z.infer<typeof V2ComponentsBody>;

export const V2IncidentsBody = z.strictObject({ page: V2Page, incidents: z.array(V2Incident) });
export type V2IncidentsBody = z.infer<typeof V2IncidentsBody>;

export const V2MaintenancesBody = z.strictObject({
  page: V2Page,
  scheduled_maintenances: z.array(V2Maintenance),
});
export type V2MaintenancesBody = z.infer<typeof V2MaintenancesBody>;

/** The schema of each body, by its path under the page root. */
export const V2_BODY_SCHEMAS = {
  "api/v2/summary.json": V2SummaryBody,
  "api/v2/status.json": V2StatusBody,
  "api/v2/components.json": V2ComponentsBody,
  "api/v2/incidents.json": V2IncidentsBody,
  "api/v2/incidents/unresolved.json": V2IncidentsBody,
  "api/v2/scheduled-maintenances.json": V2MaintenancesBody,
  "api/v2/scheduled-maintenances/upcoming.json": V2MaintenancesBody,
  "api/v2/scheduled-maintenances/active.json": V2MaintenancesBody,
} as const;

export type V2Path = keyof typeof V2_BODY_SCHEMAS;
export type V2Bodies = { [P in V2Path]: z.infer<(typeof V2_BODY_SCHEMAS)[P]> };

import type { components } from "./schema";

/** The API's shapes, as the OpenAPI document names them. */
type Schemas = components["schemas"];
export type Incident = Schemas["Incident"];
export type IncidentRole = Schemas["IncidentRole"];
export type ChecklistItem = Schemas["ChecklistItem"];
export type TimelineEntry = Schemas["TimelineEntry"];
export type StatusUpdate = Schemas["StatusUpdate"];
export type User = Schemas["User"];
export type UserRef = Schemas["UserRef"];
export type ApiToken = Schemas["ApiToken"];
export type PlanVersion = Schemas["PlanVersion"];
export type PlanDocument = Schemas["PlanDocument"];
export type Problem = Schemas["Problem"];
export type ChannelPreview = Schemas["ChannelPreview"];
export type Delivery = Schemas["Delivery"];
export type FieldIssue = Problem["errors"][number];
export type Alert = Schemas["Alert"];
export type AlertDetail = Schemas["AlertDetail"];
export type Integration = Schemas["Integration"];
export type CreatedIntegration = Schemas["CreatedIntegration"];
export type ContactMethod = Schemas["ContactMethod"];
export type NotificationRule = Schemas["NotificationRule"];
/** A page: one person asked to take an incident's role. */
export type Paging = Schemas["Page"];

export type Status = Incident["status"];
export type Impact = Incident["components"][number]["impact"];
export type DetectedBy = Incident["detectedBy"];
export type Phase = StatusUpdate["phase"];
export type OrgRole = User["role"];

export const STATUSES: readonly Status[] = ["investigating", "identified", "monitoring", "resolved"];
export const ENTRY_KINDS = ["change", "decision", "fix", "note"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const IMPACTS: readonly Impact[] = [
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
  "operational",
];

import type { Generated } from "kysely";

/**
 * The tables as domain code sees them. Column values here are what the store
 * hands out after normalising both dialects: times are ISO-8601 UTC strings,
 * JSON columns are read with readJson, booleans with readBool (SQLite keeps 1/0).
 */
export type Bool = boolean | number;
export type Json = unknown;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  timezone: string;
  role: "admin" | "responder" | "viewer";
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface SessionsTable {
  id: string; // sha-256 of the cookie value
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  label: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface PlanVersionsTable {
  id: string;
  version: number;
  source: "file" | "api";
  content_hash: string;
  yaml: string;
  created_at: string;
  created_by: string | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface IncidentsTable {
  id: string;
  number: number;
  reference: string;
  title: string;
  summary: string | null;
  severity: string;
  status: "investigating" | "identified" | "monitoring" | "resolved";
  detected_by: "monitoring" | "customer" | "employee";
  criteria: Json;
  impact_started_at: string;
  declared_at: string;
  identified_at: string | null;
  monitoring_at: string | null;
  resolved_at: string | null;
  private: Bool;
  drill: Bool;
  declared_by: string | null;
  plan_version: number;
  version: number;
  updated_at: string;
  /** The plan criterion whose alerts declared it; later matching alerts attach while it is open. */
  alert_criterion: string | null;
  /** Closed after resolution, once its review and public-postmortem decision are done. */
  closed_at: string | null;
  closed_by: string | null;
  /** The earlier incident this one repeats while that one's action items were still open. */
  repeat_of: string | null;
}

export interface IncidentComponentsTable {
  incident_id: string;
  component_id: string;
  impact: string;
}

export interface IncidentRolesTable {
  incident_id: string;
  role_id: string;
  name: string;
  lead: Bool;
  position: number;
  holder_id: string | null;
  assigned_at: string | null;
}

export interface RoleAssignmentsTable {
  id: string;
  incident_id: string;
  role_id: string;
  user_id: string | null;
  started_at: string;
  ended_at: string | null;
  assigned_by: string | null;
}

export interface ChecklistItemsTable {
  id: string;
  incident_id: string;
  role_id: string;
  position: number;
  text: string;
  done: Bool;
  done_by: string | null;
  done_at: string | null;
}

export interface TimelineEntriesTable {
  id: string;
  incident_id: string;
  kind: string;
  body: string;
  final: Bool;
  confirmed_by: string | null;
  confirmed_at: string | null;
  author_id: string | null;
  data: Json;
  created_at: string;
}

export interface StatusUpdatesTable {
  id: string;
  incident_id: string;
  phase: string;
  subject: string | null;
  body: string;
  audience: "internal" | "external";
  author_id: string | null;
  created_at: string;
  /** When this update was due by the severity's cadence (null for the first). */
  due_at: string | null;
  /** Published to the status page. */
  public: Bool;
}

export interface UpdateChannelsTable {
  update_id: string;
  channel_id: string;
  channel_type: string;
  rendering: Json;
}

export interface DeliveriesTable {
  id: string;
  update_id: string;
  incident_id: string;
  channel_id: string;
  target_key: string;
  target_address: string | null;
  state: "queued" | "delivered" | "failed" | "dead";
  job_id: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  provider_message_id: string | null;
  thread_id: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface SubscribersTable {
  id: string;
  kind: "email" | "webhook";
  address: string;
  components: Json | null;
  state: "pending" | "confirmed" | "unsubscribed";
  confirm_token_hash: string | null;
  unsubscribe_token: string;
  webhook_secret: string | null;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

export interface RemindersSentTable {
  incident_id: string;
  due_at: string;
  stage: string;
  sent_at: string;
}

export interface ChannelSecretsTable {
  channel_id: string;
  name: string;
  ciphertext: string;
  updated_at: string;
  updated_by: string | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: Json;
  state: "queued" | "running" | "done" | "dead" | "cancelled";
  run_at: string;
  attempts: number;
  locked_until: string | null;
  last_error: string | null;
  /** At most one live job per key (a reminder per incident, say). */
  unique_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventLogTable {
  id: string;
  title: string;
  summary: string | null;
  components: Json;
  detected_by: "monitoring" | "customer" | "employee";
  logged_at: string;
  logged_by: string | null;
}

export type ComponentStatusValue =
  | "operational"
  | "degraded_performance"
  | "partial_outage"
  | "major_outage"
  | "under_maintenance";

export interface ComponentStatesTable {
  component_id: string;
  status: ComponentStatusValue;
  since: string;
  first_seen_at: string;
}

export interface ComponentStatusChangesTable {
  id: string;
  component_id: string;
  old_status: ComponentStatusValue | null;
  status: ComponentStatusValue;
  at: string;
  update_id: string | null;
}

export interface MaintenancesTable {
  id: string;
  title: string;
  status: "scheduled" | "in_progress" | "verifying" | "completed";
  scheduled_for: string;
  scheduled_until: string;
  auto_start: Bool;
  auto_complete: Bool;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  version: number;
}

export interface MaintenanceComponentsTable {
  maintenance_id: string;
  component_id: string;
}

export interface MaintenanceUpdatesTable {
  id: string;
  maintenance_id: string;
  status: string;
  body: string;
  author_id: string | null;
  created_at: string;
}

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: "email" | "chat_webhook" | "ntfy" | "webhook" | "sms" | "voice";
  address: string;
  label: string;
  signing_secret: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  delay_minutes: number;
  created_at: string;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_at: string;
  end_at: string;
  created_at: string;
  created_by: string | null;
}

export interface CalendarFeedsTable {
  id: string;
  kind: "schedule" | "user";
  owner_id: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface EscalationsTable {
  id: string;
  incident_id: string;
  role_id: string;
  /** 0 primary, 1 backup, then the policy's steps in order, repeated. */
  stage: number;
  status: "active" | "acknowledged" | "exhausted" | "cancelled";
  started_at: string;
  next_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  version: number;
  updated_at: string;
  /** The stages as they were when the escalation started (JSON): who, and how long to wait on them. */
  steps: Json | null;
}

export interface PagesTable {
  id: string;
  escalation_id: string;
  incident_id: string;
  user_id: string;
  stage: number;
  status: "triggered" | "acknowledged" | "superseded" | "cancelled";
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_via: string | null;
}

export interface PageNotificationsTable {
  id: string;
  page_id: string;
  contact_method_id: string | null;
  kind: string;
  state: "queued" | "sent" | "failed" | "dead" | "cancelled";
  attempts: number;
  job_id: string | null;
  last_error: string | null;
  provider_message_id: string | null;
  due_at: string;
  sent_at: string | null;
  created_at: string;
  /** Where it goes (email address, phone number, URL), kept when it is queued. */
  address: string | null;
}

export interface IntegrationsTable {
  id: string;
  name: string;
  type: "pagerduty" | "alertmanager" | "grafana" | "generic" | "heartbeat";
  service: string | null;
  key_hash: string;
  key_prefix: string;
  heartbeat_seconds: number | null;
  last_heartbeat_at: string | null;
  created_at: string;
  created_by: string | null;
  disabled_at: string | null;
  /** Requests a minute the key may send before it is answered 429 (default 60,000). */
  rate_limit_per_minute: Generated<number>;
}

export interface AlertsTable {
  id: string;
  integration_id: string;
  dedup_key: string;
  status: "triggered" | "acknowledged" | "resolved";
  summary: string;
  source: string | null;
  severity: string;
  component: string | null;
  alert_group: string | null;
  alert_class: string | null;
  labels: Json;
  details: Json;
  criterion_id: string | null;
  incident_id: string | null;
  proposal: "pending" | "accepted" | "dismissed" | null;
  silenced: Bool;
  event_count: number;
  first_seen_at: string;
  last_seen_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  updated_at: string;
  /** When it was attached to its incident. */
  attached_at: string | null;
  /** When the incident's timeline counted it among the alerts attached ("12 more alerts attached"). */
  attach_noted_at: string | null;
}

export interface ReviewsTable {
  id: string;
  incident_id: string;
  status: "scheduled" | "held" | "cancelled";
  /** Required by the plan for the incident's severity (a review can also be opened by hand). */
  required: Bool;
  due_at: string;
  meeting_at: string;
  meeting_minutes: number;
  meeting_url: string | null;
  attendees: Json;
  checklist: Json;
  notes: string | null;
  sequence: number;
  held_at: string | null;
  public_postmortem: Bool | null;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PostmortemsTable {
  id: string;
  incident_id: string;
  status: "draft" | "in_review" | "published";
  body: string;
  published_at: string | null;
  public_status: "none" | "draft" | "published";
  public_title: string | null;
  public_body: string | null;
  public_published_at: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
  version: number;
}

export interface ActionItemsTable {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string | null;
  team: string | null;
  priority: string;
  due_at: string | null;
  status: "open" | "in_progress" | "done" | "wont_do";
  url: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

export interface SimilarIncidentsTable {
  incident_id: string;
  similar_id: string;
  score: number;
  reasons: Json;
  found_at: string;
}

export interface Database {
  reviews: ReviewsTable;
  postmortems: PostmortemsTable;
  action_items: ActionItemsTable;
  similar_incidents: SimilarIncidentsTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  schedule_overrides: ScheduleOverridesTable;
  calendar_feeds: CalendarFeedsTable;
  escalations: EscalationsTable;
  pages: PagesTable;
  page_notifications: PageNotificationsTable;
  integrations: IntegrationsTable;
  alerts: AlertsTable;
  component_states: ComponentStatesTable;
  component_status_changes: ComponentStatusChangesTable;
  maintenances: MaintenancesTable;
  maintenance_components: MaintenanceComponentsTable;
  maintenance_updates: MaintenanceUpdatesTable;
  event_log: EventLogTable;
  jobs: JobsTable;
  update_channels: UpdateChannelsTable;
  deliveries: DeliveriesTable;
  subscribers: SubscribersTable;
  channel_secrets: ChannelSecretsTable;
  reminders_sent: RemindersSentTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  settings: SettingsTable;
  plan_versions: PlanVersionsTable;
  counters: CountersTable;
  incidents: IncidentsTable;
  incident_components: IncidentComponentsTable;
  incident_roles: IncidentRolesTable;
  role_assignments: RoleAssignmentsTable;
  checklist_items: ChecklistItemsTable;
  timeline_entries: TimelineEntriesTable;
  status_updates: StatusUpdatesTable;
}

// Generated is re-exported for tables that later gain database-made columns.
export type { Generated };

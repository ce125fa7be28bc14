import { z } from "zod";
import { DURATION_PATTERN } from "./duration.ts";

/**
 * The plan file (`runsheet.yaml`): the incident response sheet as data.
 * Field names are snake_case, as people write YAML; the API speaks camelCase.
 * Cross-references (a channel naming a role, a criterion naming a severity) are
 * checked in validate.ts, where the whole plan is known.
 */

export const Id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
  );

export const Duration = z.string().regex(DURATION_PATTERN, "write a duration such as 45s, 20m, 1h30m or 2d");

export const IMPACTS = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const;
export const Impact = z.enum(IMPACTS);
export type Impact = z.infer<typeof Impact>;

export const PHASES = ["investigating", "identified", "monitoring", "resolved"] as const;
export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

export const CHANNEL_TYPES = [
  "statuspage",
  "email",
  "slack",
  "teams",
  "discord",
  "mattermost",
  "googlechat",
  "webhook",
  "mastodon",
  "bluesky",
  "x",
  "jira-service-management",
  "zendesk",
] as const;
export const ChannelType = z.enum(CHANNEL_TYPES);
export type ChannelType = z.infer<typeof ChannelType>;

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "use an IANA time zone name such as Europe/Berlin or America/New_York" },
);

const Email = z.email("write an email address such as ana@example.com");

export const Organization = z.strictObject({
  name: z.string().min(1),
  timezone: TimeZone.default("UTC"),
  url: z.url().optional(),
});

export const Component = z.strictObject({
  id: Id,
  name: z.string().min(1),
  group: z.string().min(1).optional(),
  description: z.string().optional(),
  /** Show its 90-day uptime bars on the status page. */
  show_uptime: z.boolean().default(true),
  /** List it on the status page only while it is not operational. */
  only_show_if_degraded: z.boolean().default(false),
});

/** A rule that matches alerts from monitoring (used by alert intake). */
export const AlertMatch = z.strictObject({
  source: z.string().min(1).optional(),
  severity: z
    .array(z.enum(["critical", "error", "warning", "info"]))
    .min(1)
    .optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const Criterion = z.strictObject({
  id: Id,
  text: z.string().min(1),
  match: AlertMatch.optional(),
  action: z.enum(["declare", "propose"]).default("propose"),
  /** The severity to declare at when an alert matches. */
  severity: Id.optional(),
});

export const Definition = z.strictObject({
  intro: z.string().default("An event becomes an incident if any one of the following is true:"),
  criteria: z.array(Criterion).min(1, "list at least one criterion that makes an event an incident"),
});

export const Severity = z.strictObject({
  id: Id,
  name: z.string().min(1),
  description: z.string().min(1),
  /** How often external updates are due while the incident is open. */
  update_every: Duration,
  /** Page role holders outside working hours. */
  page_out_of_hours: z.boolean().default(false),
});

/** A role's contact: a person's email, or (once on-call exists) a schedule. */
export const Contact = z.union([Email, z.strictObject({ schedule: Id })]);
export type Contact = z.infer<typeof Contact>;

export const Role = z.strictObject({
  id: Id,
  name: z.string().min(1),
  /** The incident manager: confirms the final fix before resolution. Exactly one role leads. */
  lead: z.boolean().default(false),
  /** Shipped by the sheet's recommendation, as opposed to the company's own roles. */
  recommended: z.boolean().default(false),
  primary: Contact.optional(),
  backup: Contact.optional(),
  ack_within: Duration.default("5m"),
  /** After the primary and the backup, page on through this policy of the plan's escalation_policies. */
  escalation_policy: Id.optional(),
  responsibilities: z.array(z.string().min(1)).default([]),
});

/** A template is either the body alone or a subject and a body. */
export const Template = z.union([
  z.string().min(1),
  z.strictObject({ subject: z.string().min(1).optional(), body: z.string().min(1) }),
]);
export type Template = z.infer<typeof Template>;

export const PhaseTemplates = z.strictObject({
  investigating: Template,
  identified: Template,
  monitoring: Template,
  resolved: Template,
});

/** A secret is never written inline: it names the environment variable that holds it. */
export const EnvRef = z.strictObject({
  env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "name an environment variable"),
});
/** Or a secret stored encrypted in Runsheet (PUT /api/v1/channels/{id}/secrets/{name}). */
export const StoredRef = z.strictObject({
  secret: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}$/, "name the stored secret in lowercase letters, digits, - or _"),
});
export const SettingValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  EnvRef,
  StoredRef,
]);

export const ChannelWhen = z.strictObject({
  severities: z.array(Id).min(1).optional(),
  min_impact: Impact.optional(),
  min_duration: Duration.optional(),
  audience: z.enum(["internal", "external"]),
  drills: z.boolean().default(false),
});

export const ChannelWho = z.strictObject({
  roles: z.array(Id).default([]),
  users: z.array(Email).default([]),
});

export const Channel = z.strictObject({
  id: Id,
  type: ChannelType,
  name: z.string().min(1),
  when: ChannelWhen,
  who: ChannelWho,
  how: z.string().optional(),
  more: z.string().optional(),
  settings: z.record(z.string(), SettingValue).default({}),
  templates: PhaseTemplates.partial().optional(),
});

export const Value = z.strictObject({
  name: z.string().min(1),
  statement: z.string().min(1),
});

/** "Send comms early and often": who is reminded before the next update is due, and how early. */
export const Reminders = z.strictObject({
  /** The role whose holder is reminded; defaults to `comms-manager` when the plan has it, else the lead role. */
  role: Id.optional(),
  before: Duration.default("5m"),
  /** The email channel whose server sends reminders; defaults to the plan's first email channel. */
  channel: Id.optional(),
});

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "write a 24-hour time such as 09:00");

/**
 * An on-call rotation: members (by email) take turns, handing over at a local
 * time every day, every week, or every so many hours. A layer restricted to
 * some hours or weekdays covers only those; later layers win over earlier ones.
 */
export const ScheduleLayer = z.strictObject({
  id: Id,
  name: z.string().min(1),
  members: z.array(Email).min(1, "list at least one member"),
  rotation: z.union([
    z.enum(["daily", "weekly"]),
    z.strictObject({ hours: z.number().int().min(1).max(8760) }),
  ]),
  handoff: z.strictObject({
    start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "write a date such as 2026-11-02"),
    time: LocalTime,
  }),
  restrictions: z
    .array(
      z.strictObject({
        days: z.array(z.enum(WEEKDAYS)).min(1).optional(),
        start: LocalTime,
        end: LocalTime,
      }),
    )
    .optional(),
  ends_at: z.iso.datetime({ offset: true }).optional(),
});

export const PlanSchedule = z.strictObject({
  id: Id,
  name: z.string().min(1),
  /** Defaults to the organization's time zone. */
  timezone: TimeZone.optional(),
  layers: z.array(ScheduleLayer).min(1, "give the schedule at least one layer"),
});
export type PlanSchedule = z.infer<typeof PlanSchedule>;

/** Who is paged after a role's primary and backup: steps of targets, each waited on for its timeout, repeated. */
export const EscalationPolicy = z.strictObject({
  id: Id,
  name: z.string().min(1),
  steps: z
    .array(
      z.strictObject({
        targets: z.array(Contact).min(1, "name at least one person or schedule"),
        timeout: Duration.default("5m"),
      }),
    )
    .min(1, "give the policy at least one step"),
  /** How many more times to go through the steps when nobody acknowledges. */
  repeat: z.number().int().min(0).max(9).default(0),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;

/** How the public status page looks: its name, words, logo, colour, links and time zone. */
export const StatusPageSettings = z.strictObject({
  /** Defaults to the organization's name. */
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  logo_url: z.url({ protocol: /^https?$/, error: "use an http(s) URL of an image" }).optional(),
  brand_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "write a colour as #rrggbb, such as #1f5fbf")
    .default("#1f5fbf"),
  /** Days and times on the page; defaults to the organization's time zone. */
  timezone: TimeZone.optional(),
  links: z
    .array(
      z.strictObject({
        label: z.string().min(1).max(60),
        url: z.url({ protocol: /^https?$/, error: "use an http(s) URL" }),
      }),
    )
    .max(8)
    .default([]),
});
export type StatusPageSettings = z.infer<typeof StatusPageSettings>;

/**
 * "Hold a post-incident review meeting": which severities need one, by when
 * (in business days after resolution), how the meeting is set up, and the
 * checklist worked through in it. "Decide if a public post-mortem is needed":
 * which severities cannot be closed before that decision is recorded.
 */
export const ReviewRules = z.strictObject({
  /** Severities whose incidents open a review when they are resolved. */
  required_for: z.array(Id).default([]),
  /** The review is due this many business days after resolution. */
  within_business_days: z.number().int().min(0).max(60).default(5),
  business_days: z.array(z.enum(WEEKDAYS)).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
  /** The meeting is proposed at this local time on the last business day before the deadline. */
  meeting_time: LocalTime.default("14:00"),
  meeting_length: Duration.default("1h"),
  /** Where the meeting happens (a video call or room link). */
  meeting_url: z.url({ protocol: /^https?$/, error: "use an http(s) URL" }).optional(),
  /** The email channel whose server sends invites and reminders; defaults to the plan's first email channel. */
  channel: Id.optional(),
  /** Attendees are reminded this long before the review is due; a late review is chased daily. */
  remind_before: Duration.default("1d"),
  checklist: z
    .array(z.string().min(1))
    .default([
      "Walk through the timeline and confirm the final fix",
      "Agree the contributing factors, without blame",
      "Decide whether a public postmortem is needed",
      "Agree action items with owners and due dates",
    ]),
  /** Severities that cannot be closed without the public-postmortem decision; defaults to required_for. */
  decision_required_for: z.array(Id).optional(),
});
export type ReviewRules = z.infer<typeof ReviewRules>;

/** One section of the blameless postmortem template. */
export const PostmortemSection = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** A question that helps the writer, shown in the draft. */
  prompt: z.string().optional(),
});

export const DEFAULT_POSTMORTEM_SECTIONS = [
  { id: "summary", title: "Summary" },
  { id: "lead-up", title: "Lead-up" },
  { id: "fault", title: "Fault" },
  { id: "impact", title: "Impact" },
  { id: "detection", title: "Detection" },
  { id: "response", title: "Response" },
  { id: "recovery", title: "Recovery" },
  { id: "timeline", title: "Timeline" },
  { id: "contributing-factors", title: "Contributing factors" },
  { id: "went-well", title: "What went well" },
  { id: "was-hard", title: "What was hard" },
  { id: "action-items", title: "Action items" },
];

export const PostmortemRules = z.strictObject({
  sections: z.array(PostmortemSection).min(1).default(DEFAULT_POSTMORTEM_SECTIONS),
});

/** An action item priority and how long its owner has by default (none: no due date). */
export const ActionPriority = z.strictObject({
  id: Id,
  name: z.string().min(1),
  due_in: Duration.optional(),
});

export const ActionItemRules = z.strictObject({
  priorities: z
    .array(ActionPriority)
    .min(1)
    .default([
      { id: "priority", name: "Priority action", due_in: "4w" },
      { id: "improvement", name: "Improvement", due_in: "8w" },
      { id: "backlog", name: "Backlog" },
    ]),
  /** Owners are reminded this long before an item is due, and again each week it is overdue. */
  remind_before: Duration.default("3d"),
});
export type ActionItemRules = z.infer<typeof ActionItemRules>;

export const Plan = z.strictObject({
  version: z.literal(1).default(1),
  organization: Organization,
  components: z.array(Component).default([]),
  definition: Definition,
  severities: z.array(Severity).min(1, "list at least one severity level, most severe first"),
  roles: z.array(Role).min(1, "list at least one role; the sheet recommends four"),
  channels: z.array(Channel).default([]),
  templates: PhaseTemplates,
  values: z.array(Value).default([]),
  reminders: Reminders.default({ before: "5m" }),
  status_page: StatusPageSettings.default({ brand_color: "#1f5fbf", links: [] }),
  schedules: z.array(PlanSchedule).default([]),
  escalation_policies: z.array(EscalationPolicy).default([]),
  review: ReviewRules.prefault({}),
  postmortem: PostmortemRules.prefault({}),
  action_items: ActionItemRules.prefault({}),
});

export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;
export type Criterion = z.infer<typeof Criterion>;
export type Severity = z.infer<typeof Severity>;
export type Role = z.infer<typeof Role>;
export type Channel = z.infer<typeof Channel>;
export type Component = z.infer<typeof Component>;

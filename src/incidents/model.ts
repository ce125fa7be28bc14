import { z } from "zod";
import { Impact } from "../plan/schema.ts";

/** The incident's shapes as the API and CLI speak them (camelCase), and the inputs of its verbs. */

export const STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

export const DETECTED_BY = ["monitoring", "customer", "employee"] as const;
export const DetectedBy = z.enum(DETECTED_BY);

export const ENTRY_KINDS = ["change", "decision", "fix", "note"] as const;
export const EntryKind = z.enum(ENTRY_KINDS);

const Title = z
  .string()
  .trim()
  .min(1, "give the incident a title")
  .max(200, "keep the title under 200 characters");
const Summary = z.string().max(20_000, "keep the summary under 20,000 characters");
const Timestamp = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-11-27T03:12:00Z",
});

export const ComponentImpact = z.strictObject({
  id: z.string().min(1).max(100),
  impact: Impact,
});

export const DeclareInput = z.strictObject({
  title: Title,
  severity: z.string().min(1).max(100),
  criteria: z.array(z.string().min(1).max(100)).max(50),
  summary: Summary.optional(),
  components: z.array(ComponentImpact).max(200).optional(),
  detectedBy: DetectedBy.optional(),
  impactStartedAt: Timestamp.optional(),
  private: z.boolean().optional(),
  drill: z.boolean().optional(),
});
export type DeclareInput = z.input<typeof DeclareInput>;

export const UpdateIncidentInput = z
  .strictObject({
    title: Title.optional(),
    summary: Summary.nullable().optional(),
    severity: z.string().min(1).max(100).optional(),
    components: z.array(ComponentImpact).max(200).optional(),
    private: z.boolean().optional(),
    drill: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" });
export type UpdateIncidentInput = z.input<typeof UpdateIncidentInput>;

export const StatusInput = z.strictObject({
  status: Status,
  reason: z.string().trim().max(2_000).optional(),
  /** Resolve without a confirmed final fix; needs a reason and the incident manager or an admin. */
  override: z.boolean().optional(),
});
export type StatusInput = z.input<typeof StatusInput>;

export const TimelineInput = z.strictObject({
  kind: EntryKind,
  body: z.string().trim().min(1, "write what happened").max(20_000, "keep an entry under 20,000 characters"),
  final: z.boolean().optional(),
});
export type TimelineInput = z.input<typeof TimelineInput>;

export const AssignRoleInput = z.union([
  z.strictObject({ userId: z.string().min(1).max(100) }),
  z.strictObject({ email: z.email().max(254) }),
]);
export type AssignRoleInput = z.input<typeof AssignRoleInput>;

export const ChecklistInput = z.strictObject({ done: z.boolean() });

export const ListIncidentsQuery = z.strictObject({
  status: z.enum(["active", "resolved", ...STATUSES]).optional(),
  severity: z.string().max(100).optional(),
  mine: z.enum(["true", "false"]).optional(),
  drill: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListIncidentsQuery = z.input<typeof ListIncidentsQuery>;

export const UserRef = z
  .object({ id: z.string(), email: z.string(), name: z.string() })
  .meta({ id: "UserRef", description: "A person, as incidents refer to them." });

export const IncidentRole = z
  .object({
    roleId: z.string(),
    name: z.string(),
    lead: z.boolean().meta({ description: "The incident manager role, which confirms the final fix." }),
    holder: UserRef.nullable(),
    assignedAt: z.string().nullable(),
  })
  .meta({ id: "IncidentRole" });
export type IncidentRole = z.infer<typeof IncidentRole>;

export const ChecklistItem = z
  .object({
    id: z.string(),
    roleId: z.string(),
    text: z.string(),
    done: z.boolean(),
    doneBy: UserRef.nullable(),
    doneAt: z.string().nullable(),
  })
  .meta({ id: "ChecklistItem" });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ReviewSummary = z
  .object({
    status: z.enum(["scheduled", "held", "cancelled"]),
    dueAt: z.string(),
    meetingAt: z.string(),
    publicPostmortem: z.boolean().nullable().meta({ description: "The decision, once recorded." }),
  })
  .meta({ id: "ReviewSummary", description: "The post-incident review, in brief: GET …/review has it all." });

export const Incident = z
  .object({
    id: z.string(),
    reference: z.string().meta({ example: "INC-42" }),
    title: z.string(),
    summary: z.string().nullable(),
    severity: z.string(),
    status: Status,
    detectedBy: DetectedBy,
    criteria: z.array(z.string()),
    components: z.array(z.object({ id: z.string(), name: z.string(), impact: Impact })),
    impactStartedAt: z.string(),
    declaredAt: z.string(),
    identifiedAt: z.string().nullable(),
    monitoringAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    private: z.boolean(),
    drill: z.boolean(),
    declaredBy: UserRef.nullable(),
    roles: z.array(IncidentRole),
    checklist: z.array(ChecklistItem),
    finalFix: z.object({ entryId: z.string(), confirmed: z.boolean() }).nullable(),
    planVersion: z.number().int(),
    version: z.number().int().meta({ description: "Send it back in If-Match to change only what you read." }),
    updatedAt: z.string(),
    repeatOf: z
      .object({ id: z.string(), reference: z.string() })
      .nullable()
      .meta({ description: "The similar past incident this one repeats: it still had open action items" }),
    closedAt: z
      .string()
      .nullable()
      .meta({ description: "Closed after resolution (POST …/close); a closed incident cannot be reopened." }),
    review: ReviewSummary.nullable(),
  })
  .meta({ id: "Incident" });
export type Incident = z.infer<typeof Incident>;

export const TimelineEntry = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    kind: z.string().meta({
      description:
        "change, decision, fix or note (written by people), or an automatic one: declared, status_changed, reopened, closed, role_assigned, checklist, severity_changed, components_changed, title_changed, summary_changed, private_changed, drill_changed, fix_confirmed, update_posted, reminder; paging: paged, page_sent, page_failed, page_acknowledged, escalated, paging_skipped, paging_stopped; alerts: alerts_attached; review: review_opened, review_scheduled, review_moved, review_changed, review_checklist, review_notes, review_held, review_cancelled, review_decision, review_reminder; postmortem: postmortem_drafted, postmortem_status, postmortem_public_published, postmortem_public_edited; action items: action_item_added, action_item_closed, action_item_reopened, action_item_removed; repeat",
    }),
    body: z.string(),
    final: z.boolean(),
    confirmedBy: UserRef.nullable(),
    confirmedAt: z.string().nullable(),
    author: UserRef.nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: "TimelineEntry" });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

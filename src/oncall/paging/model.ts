import { z } from "zod";
import { UserRef } from "../../incidents/model.ts";
import { E164 } from "../providers/config.ts";

/** What the paging API reads and answers. */

export const CONTACT_KINDS = ["email", "chat_webhook", "ntfy", "webhook", "sms", "voice"] as const;
export const ContactKind = z.enum(CONTACT_KINDS);
export type ContactKind = z.infer<typeof ContactKind>;

const Url = z
  .url({ protocol: /^https?$/, error: "write the full http(s) URL" })
  .max(2_000, "keep the URL under 2,000 characters");
const Label = z.string().trim().min(1, "give it a name, or leave label out").max(100).optional();

/** ntfy topics are letters, digits, '-' and '_', at most 64 of them (ntfy's own rule). */
const NtfyUrl = Url.refine(
  (url) => /^\/[-_A-Za-z0-9]{1,64}$/.test(new URL(url).pathname),
  "write the server and the topic, such as https://ntfy.sh/my-pages-3f9a (a topic is 1-64 letters, digits, - or _)",
);

export const ContactMethodInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("email"),
      address: z.email("write an email address such as ana@example.com").max(254),
      label: Label,
    }),
    z.strictObject({ kind: z.literal("chat_webhook"), address: Url, label: Label }),
    z.strictObject({ kind: z.literal("ntfy"), address: NtfyUrl, label: Label }),
    z.strictObject({ kind: z.literal("webhook"), address: Url, label: Label }),
    z.strictObject({ kind: z.literal("sms"), address: E164, label: Label }),
    z.strictObject({ kind: z.literal("voice"), address: E164, label: Label }),
  ],
  { error: `kind must be one of: ${CONTACT_KINDS.join(", ")}` },
);
export type ContactMethodInput = z.input<typeof ContactMethodInput>;

export const ContactMethod = z
  .object({
    id: z.string(),
    kind: ContactKind,
    address: z.string().meta({ description: "Email, E.164 phone number, or URL" }),
    label: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "ContactMethod" });
export type ContactMethod = z.infer<typeof ContactMethod>;

export const NotificationRulesInput = z
  .array(
    z.strictObject({
      contactMethodId: z.string().min(1).max(100),
      delayMinutes: z
        .number()
        .int("whole minutes")
        .min(0, "0 or more minutes")
        .max(1_440, "at most a day (1440 minutes)"),
    }),
  )
  .max(20, "at most 20 rules");
export type NotificationRulesInput = z.input<typeof NotificationRulesInput>;

export const NotificationRule = z
  .object({
    id: z.string(),
    contactMethodId: z.string(),
    delayMinutes: z.number().int(),
    contactMethod: ContactMethod,
  })
  .meta({ id: "NotificationRule" });
export type NotificationRule = z.infer<typeof NotificationRule>;

export const PAGE_STATUSES = ["triggered", "acknowledged", "superseded", "cancelled"] as const;
export const NOTIFICATION_STATES = ["queued", "sent", "failed", "dead", "cancelled"] as const;

export const PageNotification = z
  .object({
    id: z.string(),
    kind: z.string(),
    address: z
      .string()
      .nullable()
      .meta({ description: "Where it goes; shown to the paged person and admins only" }),
    state: z.enum(NOTIFICATION_STATES),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    providerMessageId: z.string().nullable(),
  })
  .meta({ id: "PageNotification" });
export type PageNotification = z.infer<typeof PageNotification>;

export const Page = z
  .object({
    id: z.string(),
    escalationId: z.string(),
    incident: z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      severity: z.string(),
      status: z.string(),
      private: z.boolean(),
    }),
    roleId: z.string(),
    roleName: z.string(),
    stage: z.number().int(),
    stageLabel: z.string(),
    user: UserRef,
    status: z.enum(PAGE_STATUSES).meta({
      description:
        "triggered: waiting for them; superseded: a later stage was paged, still acknowledgeable; acknowledged; cancelled: someone else acknowledged or the incident was resolved",
    }),
    createdAt: z.string(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedVia: z.string().nullable(),
    notifications: z.array(PageNotification),
  })
  .meta({ id: "Page" });
export type Page = z.infer<typeof Page>;

export const ESCALATION_STATUSES = ["active", "acknowledged", "exhausted", "cancelled"] as const;

export const Escalation = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    roleId: z.string(),
    roleName: z.string(),
    status: z.enum(ESCALATION_STATUSES),
    stage: z.number().int().meta({
      description:
        "The stage paged last (0 primary, 1 backup, then the policy's steps); the number of stages once exhausted",
    }),
    stages: z.array(
      z.object({
        label: z.string(),
        targets: z.array(z.string()).meta({ description: "Emails, or schedule:<id>" }),
        waitMinutes: z.number(),
      }),
    ),
    startedAt: z.string(),
    nextAt: z.string().nullable().meta({ description: "When the next stage is paged unless acknowledged" }),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: UserRef.nullable(),
    pages: z.array(Page),
  })
  .meta({ id: "Escalation" });
export type Escalation = z.infer<typeof Escalation>;

export const ListPagesQuery = z.strictObject({
  status: z.enum(["open", "acknowledged", "all"]).default("open").meta({
    description: "open: triggered or superseded pages of escalations not yet acknowledged",
  }),
  all: z.enum(["true", "false"]).default("false").meta({
    description: "true: everyone's pages (responders and admins); false: mine",
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPagesQuery = z.input<typeof ListPagesQuery>;

export type AckVia = "web" | "api" | "link";

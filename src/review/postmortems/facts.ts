import type { Plan } from "../../plan/schema.ts";
import type { Db } from "../../store/open.ts";
import type { IncidentsTable } from "../../store/schema.ts";
import { readBool, readCount, readTime } from "../../store/values.ts";

/**
 * What the incident knows that a postmortem draft can state, as plain values
 * (times are ISO-8601 UTC). The draft is a pure function of these
 * (draft.ts); this file is the thin loader that reads them from the store.
 */
export interface PostmortemFacts {
  /** The organization's time zone: the draft states times in it. */
  timeZone: string;
  incident: {
    reference: string;
    title: string;
    summary: string | null;
    severity: { id: string; name: string; description: string | null };
    status: string;
    detectedBy: "monitoring" | "customer" | "employee";
    drill: boolean;
    impactStartedAt: string;
    /** Detection: the moment it was declared. */
    declaredAt: string;
    identifiedAt: string | null;
    /** Mitigation: the moment it moved to monitoring. */
    monitoringAt: string | null;
    resolvedAt: string | null;
  };
  components: Array<{ name: string; impact: string }>;
  paging: { firstPageAt: string | null; firstAckAt: string | null };
  /** The alert that declared it (the first attached), and how many alerts joined in all. */
  alerts: {
    first: { summary: string; source: string | null; integration: string | null; firstSeenAt: string } | null;
    count: number;
  };
  /** Plan order; each holder with the time they held the role. */
  roles: Array<{
    name: string;
    lead: boolean;
    holders: Array<{ name: string; from: string; to: string | null }>;
  }>;
  /** Changes, decisions, fixes, notes and status changes, oldest first. */
  timeline: Array<{ at: string; kind: string; body: string; final: boolean; confirmed: boolean }>;
  /** Status updates sent, oldest first. */
  communications: Array<{
    at: string;
    phase: string;
    audience: "internal" | "external";
    /** When the severity's cadence wanted it (null for the first). */
    dueAt: string | null;
    channels: string[];
    deliveries: { total: number; delivered: number; failed: number; pending: number };
  }>;
  actionItems: Array<{
    title: string;
    owner: string | null;
    team: string | null;
    priority: string;
    dueAt: string | null;
    status: "open" | "in_progress" | "done" | "wont_do";
    url: string | null;
  }>;
}

/**
 * The timeline kinds a postmortem retells. Role handovers, pages and
 * acknowledgements are told as roles and durations instead, updates as
 * communications; nothing that reads as "who failed to do what".
 */
export const TIMELINE_KINDS = [
  "declared",
  "change",
  "decision",
  "fix",
  "note",
  "status_changed",
  "reopened",
  "severity_changed",
  "components_changed",
] as const;

export async function loadPostmortemFacts(db: Db, row: IncidentsTable, plan: Plan): Promise<PostmortemFacts> {
  const id = row.id;
  const [
    components,
    roles,
    stints,
    pages,
    alerts,
    alertCount,
    entries,
    updates,
    updateChannels,
    deliveries,
    items,
  ] = await Promise.all([
    db
      .selectFrom("incident_components")
      .select(["component_id", "impact"])
      .where("incident_id", "=", id)
      .execute(),
    db
      .selectFrom("incident_roles")
      .select(["role_id", "name", "lead", "position"])
      .where("incident_id", "=", id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("role_assignments as ra")
      .leftJoin("users as u", "u.id", "ra.user_id")
      .select(["ra.role_id", "ra.started_at", "ra.ended_at", "u.name"])
      .where("ra.incident_id", "=", id)
      .where("ra.user_id", "is not", null)
      .orderBy("ra.started_at")
      .orderBy("ra.id")
      .execute(),
    db
      .selectFrom("pages")
      .select((eb) => [
        eb.fn.min("created_at").as("first_page"),
        eb.fn.min("acknowledged_at").as("first_ack"),
      ])
      .where("incident_id", "=", id)
      .executeTakeFirst(),
    db
      .selectFrom("alerts as a")
      .leftJoin("integrations as n", "n.id", "a.integration_id")
      .select(["a.summary", "a.source", "a.first_seen_at", "n.name as integration"])
      .where("a.incident_id", "=", id)
      .orderBy("a.first_seen_at")
      .orderBy("a.id")
      .limit(1)
      .execute(),
    db
      .selectFrom("alerts")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("incident_id", "=", id)
      .executeTakeFirst(),
    db
      .selectFrom("timeline_entries")
      .select(["kind", "body", "final", "confirmed_by", "created_at"])
      .where("incident_id", "=", id)
      .where("kind", "in", [...TIMELINE_KINDS])
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("status_updates")
      .select(["id", "phase", "audience", "created_at", "due_at"])
      .where("incident_id", "=", id)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("update_channels as uc")
      .innerJoin("status_updates as su", "su.id", "uc.update_id")
      .select(["uc.update_id", "uc.channel_id"])
      .where("su.incident_id", "=", id)
      .execute(),
    db
      .selectFrom("deliveries")
      .select((eb) => ["update_id", "state", eb.fn.countAll().as("n")])
      .where("incident_id", "=", id)
      .groupBy(["update_id", "state"])
      .execute(),
    db
      .selectFrom("action_items as ai")
      .leftJoin("users as u", "u.id", "ai.owner_id")
      .select(["ai.title", "ai.team", "ai.priority", "ai.due_at", "ai.status", "ai.url", "u.name as owner"])
      .where("ai.incident_id", "=", id)
      .orderBy("ai.created_at")
      .orderBy("ai.id")
      .execute(),
  ]);

  const componentNames = new Map(plan.components.map((c) => [c.id, c.name]));
  const channelNames = new Map(plan.channels.map((c) => [c.id, c.name]));
  const priorityNames = new Map(plan.action_items.priorities.map((p) => [p.id, p.name]));
  const severity = plan.severities.find((s) => s.id === row.severity);

  const channelsByUpdate = new Map<string, string[]>();
  for (const uc of updateChannels) {
    const list = channelsByUpdate.get(uc.update_id) ?? [];
    list.push(channelNames.get(uc.channel_id) ?? uc.channel_id);
    channelsByUpdate.set(uc.update_id, list);
  }
  const countsByUpdate = new Map<string, PostmortemFacts["communications"][number]["deliveries"]>();
  for (const d of deliveries) {
    const counts = countsByUpdate.get(d.update_id) ?? { total: 0, delivered: 0, failed: 0, pending: 0 };
    const n = readCount(d.n);
    counts.total += n;
    if (d.state === "delivered") counts.delivered += n;
    else if (d.state === "failed" || d.state === "dead") counts.failed += n;
    else counts.pending += n;
    countsByUpdate.set(d.update_id, counts);
  }
  const first = alerts[0];

  return {
    timeZone: plan.organization.timezone,
    incident: {
      reference: row.reference,
      title: row.title,
      summary: row.summary,
      severity: {
        id: row.severity,
        name: severity?.name ?? row.severity,
        description: severity?.description ?? null,
      },
      status: row.status,
      detectedBy: row.detected_by,
      drill: readBool(row.drill),
      impactStartedAt: readTime(row.impact_started_at),
      declaredAt: readTime(row.declared_at),
      identifiedAt: readTime(row.identified_at),
      monitoringAt: readTime(row.monitoring_at),
      resolvedAt: readTime(row.resolved_at),
    },
    components: [...components]
      .sort((a, b) => (a.component_id < b.component_id ? -1 : 1))
      .map((c) => ({ name: componentNames.get(c.component_id) ?? c.component_id, impact: c.impact })),
    paging: {
      firstPageAt: readTime(pages?.first_page ?? null),
      firstAckAt: readTime(pages?.first_ack ?? null),
    },
    alerts: {
      first: first
        ? {
            summary: first.summary,
            source: first.source,
            integration: first.integration,
            firstSeenAt: readTime(first.first_seen_at),
          }
        : null,
      count: readCount(alertCount?.n),
    },
    roles: roles.map((role) => ({
      name: role.name,
      lead: readBool(role.lead),
      holders: stints
        .filter((s) => s.role_id === role.role_id)
        .map((s) => ({
          name: s.name ?? "A former user",
          from: readTime(s.started_at),
          to: readTime(s.ended_at),
        })),
    })),
    timeline: entries.map((e) => ({
      at: readTime(e.created_at),
      kind: e.kind,
      body: e.body,
      final: readBool(e.final),
      confirmed: e.confirmed_by !== null,
    })),
    communications: updates.map((u) => ({
      at: readTime(u.created_at),
      phase: u.phase,
      audience: u.audience,
      dueAt: readTime(u.due_at),
      channels: channelsByUpdate.get(u.id) ?? [],
      deliveries: countsByUpdate.get(u.id) ?? { total: 0, delivered: 0, failed: 0, pending: 0 },
    })),
    actionItems: items.map((item) => ({
      title: item.title,
      owner: item.owner,
      team: item.team,
      priority: priorityNames.get(item.priority) ?? item.priority,
      dueAt: readTime(item.due_at),
      status: item.status,
      url: item.url,
    })),
  };
}

import type { Incident, IncidentRole, Status, TimelineEntry, User } from "../../api/types";

/**
 * The resolve rule, as the server enforces it, told to the person in the room:
 * resolving needs a fix marked final and confirmed by whoever holds the lead
 * role; without one, only the lead or an admin can resolve, with a reason.
 */
export interface ResolveReadiness {
  state: "ready" | "awaiting-confirmation" | "no-final-fix" | "resolved";
  lead: IncidentRole | undefined;
  /** The viewer holds the lead role. */
  isLead: boolean;
  /** The viewer may resolve without a confirmed final fix. */
  canOverride: boolean;
  /** The final fix the state is about. */
  fix: TimelineEntry | undefined;
}

export function leadRole(incident: Incident): IncidentRole | undefined {
  return incident.roles.find((role) => role.lead);
}

export function resolveReadiness(
  incident: Incident,
  timeline: TimelineEntry[],
  user: User,
): ResolveReadiness {
  const lead = leadRole(incident);
  const isLead = lead?.holder?.id === user.id;
  const canOverride = isLead || user.role === "admin";
  const fixes = timeline.filter((entry) => entry.kind === "fix");
  const confirmed = fixes.filter((entry) => entry.final && entry.confirmedBy).at(-1);
  const awaiting = fixes.filter((entry) => entry.final && !entry.confirmedBy).at(-1);
  const base = { lead, isLead, canOverride };
  if (incident.status === "resolved") return { ...base, state: "resolved", fix: confirmed };
  if (confirmed || incident.finalFix?.confirmed) return { ...base, state: "ready", fix: confirmed };
  if (awaiting) return { ...base, state: "awaiting-confirmation", fix: awaiting };
  return { ...base, state: "no-final-fix", fix: undefined };
}

/** Whether the viewer can confirm this entry as the final fix (the lead, for any unconfirmed fix). */
export function canConfirm(entry: TimelineEntry, readiness: ResolveReadiness): boolean {
  return readiness.isLead && entry.kind === "fix" && !entry.confirmedBy;
}

const RANK: Record<Status, number> = { investigating: 0, identified: 1, monitoring: 2, resolved: 3 };

export interface Transition {
  to: Status;
  label: string;
  direction: "forward" | "back" | "reopen";
}

/** The moves from the current status (resolving is shown apart, with its rule). */
export function transitions(status: Status): Transition[] {
  const all: Status[] = ["investigating", "identified", "monitoring"];
  return all
    .filter((to) => to !== status)
    .map((to) => {
      if (status === "resolved") return { to, label: `Reopen as ${to}`, direction: "reopen" as const };
      return RANK[to] > RANK[status]
        ? { to, label: `Move to ${to}`, direction: "forward" as const }
        : { to, label: `Back to ${to}`, direction: "back" as const };
    });
}

/** The role's name without its parenthesis: "Major Incident Manager (MIM)" → "Major Incident Manager". */
export function shortRoleName(role: { name: string } | undefined): string {
  return role ? role.name.replace(/\s*\(.*\)\s*$/, "") : "incident manager";
}

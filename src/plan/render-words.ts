import { durationInWords, parseDuration } from "./duration.ts";
import type { Channel, Component, Contact, Criterion, Impact, Plan, Role, Template } from "./schema.ts";

/**
 * The plan in words, shared by the Markdown and HTML copies of the sheet, so
 * both say exactly the same thing and only differ in markup.
 */

export const SHEET_TITLE = "Get your 'Sheet' Together!";
export const SHEET_SUBTITLE = "A guide for how to respond when things go wrong.";
export const SECTIONS = {
  definition: "DEFINING AN INCIDENT",
  severities: "SEVERITY LEVELS",
  components: "COMPONENTS",
  roles: "INCIDENT ROLES & RESPONSIBILITIES",
  channels: "INCIDENT COMMUNICATION CHANNELS",
  templates: "INCIDENT TEMPLATES",
  values: "INCIDENT VALUES",
} as const;

export const OWN_ROLES_INTRO = "Current incident response roles at my company:";
export const RECOMMENDED_ROLES_INTRO = "Recommended roles to fill:";
export const TEMPLATES_INTRO =
  "The following are templates that can be sent as status updates during each phase of an incident. They are written generically and can be used as such if needed, but strive to add details as they become available.";
export const VALUES_INTRO =
  "Even the most comprehensive incident response plan lacks guidance for more subjective, nuanced situations that can and will arise when $#*! hits the fan. Incident values act as a north star for aligned decision making during incident response.";

export const CHANNEL_COLUMNS = [
  "Communication channel or tool",
  "When do we use it?",
  "Who should use it?",
  "How do we use/access it?",
  "More info",
] as const;

export const SEVERITY_COLUMNS = [
  "Id",
  "Name",
  "What it means",
  "Update every",
  "Pages out of hours",
] as const;

export const PHASE_NAMES = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
} as const;

export function impactInWords(impact: Impact): string {
  return impact.replaceAll("_", " ");
}

export function durationText(duration: string): string {
  return durationInWords(parseDuration(duration));
}

/** A channel's `when` rule as a person would say it: "SEV1, SEV2; external; at least major outage; after 1 hour". */
export function whenInWords(when: Channel["when"]): string {
  const parts = [
    when.severities ? when.severities.map((id) => id.toUpperCase()).join(", ") : "any severity",
    when.audience,
  ];
  if (when.min_impact) parts.push(`at least ${impactInWords(when.min_impact)}`);
  if (when.min_duration) parts.push(`after ${durationText(when.min_duration)}`);
  if (when.drills) parts.push("also in drills");
  return parts.join("; ");
}

export function whoInWords(plan: Plan, who: Channel["who"]): string {
  const names = who.roles.map((id) => plan.roles.find((r) => r.id === id)?.name ?? id);
  const all = [...names, ...who.users];
  return all.length > 0 ? all.join(", ") : "no one named yet";
}

export function contactInWords(contact: Contact | undefined): string {
  if (contact === undefined) return "(to fill in)";
  return typeof contact === "string" ? contact : `on-call schedule "${contact.schedule}"`;
}

export function channelTitle(channel: Channel): string {
  return `${channel.name} (${channel.type})`;
}

export function roleTitle(role: Role): string {
  return role.lead ? `${role.name} — leads the incident` : role.name;
}

/** How a criterion reaches Runsheet on its own, if it has an alert rule. */
export function criterionRule(criterion: Criterion): string | undefined {
  if (!criterion.match) return undefined;
  const parts: string[] = [];
  if (criterion.match.source) parts.push(`from ${criterion.match.source}`);
  if (criterion.match.severity) parts.push(`with severity ${criterion.match.severity.join(" or ")}`);
  for (const [key, value] of Object.entries(criterion.match.labels ?? {})) parts.push(`${key}=${value}`);
  const what =
    criterion.action === "declare"
      ? `declare a ${(criterion.severity ?? "").toUpperCase()} incident`
      : "propose an incident";
  return `Alerts ${parts.join(", ") || "of any kind"} ${what}.`;
}

export function componentGroups(
  components: readonly Component[],
): Array<{ group: string; components: Component[] }> {
  const groups = new Map<string, Component[]>();
  for (const component of components) {
    const group = component.group ?? "Other";
    groups.set(group, [...(groups.get(group) ?? []), component]);
  }
  return [...groups].map(([group, list]) => ({ group, components: list }));
}

export function templateParts(template: Template): { subject?: string; body: string } {
  return typeof template === "string" ? { body: template } : template;
}

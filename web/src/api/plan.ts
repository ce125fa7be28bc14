import type { Impact, Phase, PlanDocument } from "./types";

/**
 * The parts of the plan the app shows. The OpenAPI document describes the
 * parsed plan only as an object (runsheet.schema.json has the details), so
 * these types follow src/plan/schema.ts by hand, read-only.
 */
export type Contact = string | { schedule: string };
export type Template = string | { subject?: string; body: string };

export interface PlanCriterion {
  id: string;
  text: string;
  match?: { source?: string; severity?: string[]; labels?: Record<string, string> };
  action: "declare" | "propose";
  severity?: string;
}

export interface PlanSeverity {
  id: string;
  name: string;
  description: string;
  update_every: string;
  page_out_of_hours: boolean;
}

export interface PlanRole {
  id: string;
  name: string;
  lead: boolean;
  recommended: boolean;
  primary?: Contact;
  backup?: Contact;
  ack_within: string;
  responsibilities: string[];
}

export interface PlanComponent {
  id: string;
  name: string;
  group?: string;
  description?: string;
}

export interface PlanChannel {
  id: string;
  type: string;
  name: string;
  when: {
    severities?: string[];
    min_impact?: Impact;
    min_duration?: string;
    audience: "internal" | "external";
    drills: boolean;
  };
  who: { roles: string[]; users: string[] };
  how?: string;
  more?: string;
}

export interface Plan {
  organization: { name: string; timezone: string; url?: string };
  components: PlanComponent[];
  definition: { intro: string; criteria: PlanCriterion[] };
  severities: PlanSeverity[];
  roles: PlanRole[];
  channels: PlanChannel[];
  templates: Record<Phase, Template>;
  values: Array<{ name: string; statement: string }>;
}

export function planOf(document: PlanDocument): Plan {
  const plan = document.plan as Partial<Plan>;
  return {
    organization: plan.organization ?? { name: "", timezone: "UTC" },
    components: plan.components ?? [],
    definition: plan.definition ?? { intro: "", criteria: [] },
    severities: plan.severities ?? [],
    roles: plan.roles ?? [],
    channels: plan.channels ?? [],
    templates: plan.templates ?? ({} as Record<Phase, Template>),
    values: plan.values ?? [],
  };
}

export interface SeverityInfo {
  id: string;
  name: string;
  description: string;
  /** 1 for the most severe level; colors go by level. */
  level: number;
}

export function severityInfo(plan: Plan | undefined, id: string): SeverityInfo {
  const index = plan?.severities.findIndex((s) => s.id === id) ?? -1;
  const severity = index >= 0 ? plan?.severities[index] : undefined;
  return {
    id,
    name: severity?.name ?? id,
    description: severity?.description ?? "",
    level: index >= 0 ? Math.min(index + 1, 4) : 4,
  };
}

export function contactText(contact: Contact | undefined): string {
  if (!contact) return "none";
  return typeof contact === "string" ? contact : `on-call schedule ${contact.schedule}`;
}

export function templateParts(template: Template | undefined): { subject?: string; body: string } {
  if (!template) return { body: "" };
  return typeof template === "string" ? { body: template } : template;
}

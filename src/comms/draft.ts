import type { Incident } from "../incidents/model.ts";
import { durationInWords, parseDuration } from "../plan/duration.ts";
import type { Channel, Phase, Plan, Template } from "../plan/schema.ts";
import { renderTemplate } from "../plan/template.ts";
import type { MessageFacts } from "./adapters/types.ts";

/**
 * Status updates start from the plan's template for the phase, filled with the
 * incident's facts; a channel with a template of its own (a shorter one for X)
 * gets that one instead, unless the author wrote its text by hand.
 */

export interface UpdateDraft {
  phase: Phase;
  subject: string;
  body: string;
  variables: Record<string, string>;
}

function templateParts(template: Template): { subject?: string | undefined; body: string } {
  return typeof template === "string" ? { body: template } : template;
}

export function templateVariables(
  plan: Plan,
  incident: Incident,
  publicUrl: string,
  now: Date,
): Record<string, string> {
  const severity = plan.severities.find((s) => s.id === incident.severity);
  const updateEvery = severity ? parseDuration(severity.update_every) : null;
  return {
    "incident.title": incident.title,
    "incident.reference": incident.reference,
    "incident.summary": incident.summary ?? "",
    "incident.status": incident.status,
    "incident.url": `${publicUrl.replace(/\/$/, "")}/incidents/${incident.reference}`,
    "incident.impact_started_at": incident.impactStartedAt,
    "incident.declared_at": incident.declaredAt,
    "severity.id": incident.severity,
    "severity.name": severity?.name ?? incident.severity,
    "severity.description": severity?.description ?? "",
    components:
      incident.components.map((c) => `${c.name} (${c.impact.replaceAll("_", " ")})`).join(", ") ||
      "no specific components",
    next_update_in: updateEvery ? durationInWords(updateEvery) : "",
    next_update_at: updateEvery ? new Date(now.getTime() + updateEvery).toISOString() : "",
    "organization.name": plan.organization.name,
  };
}

export interface DraftInput {
  phase: Phase;
  body?: string | undefined;
  subject?: string | undefined;
}

export function draftUpdate(
  plan: Plan,
  incident: Incident,
  input: DraftInput,
  publicUrl: string,
  now: Date,
): UpdateDraft {
  const variables = templateVariables(plan, incident, publicUrl, now);
  const template = templateParts(plan.templates[input.phase]);
  const subject =
    input.subject ?? template.subject ?? `{{incident.reference}}: {{incident.title}} (${input.phase})`;
  return {
    phase: input.phase,
    subject: renderTemplate(subject, variables),
    body: renderTemplate(input.body ?? template.body, variables),
    variables,
  };
}

/** The message one channel sends: its own template, the author's text for it, or the update's text. */
export function channelFacts(
  plan: Plan,
  channel: Channel,
  incident: Incident,
  draft: UpdateDraft,
  ownText: string | undefined,
  updateId: string,
): MessageFacts {
  const own = channel.templates?.[draft.phase];
  const template = own ? templateParts(own) : undefined;
  const body = ownText ?? (template ? renderTemplate(template.body, draft.variables) : draft.body);
  const subject = template?.subject ? renderTemplate(template.subject, draft.variables) : draft.subject;
  return {
    phase: draft.phase,
    subject,
    body,
    incident: {
      id: incident.id,
      reference: incident.reference,
      title: incident.title,
      url: draft.variables["incident.url"] ?? "",
      status: incident.status,
      severityName: draft.variables["severity.name"] ?? incident.severity,
      components: incident.components.map((c) => ({ name: c.name, impact: c.impact })),
      drill: incident.drill,
    },
    organizationName: plan.organization.name,
    updateId,
  };
}

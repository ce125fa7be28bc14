/**
 * Status update templates: `{{ name }}` placeholders filled with an incident's
 * facts. Deliberately no logic (no conditions, loops or filters): a template is
 * written by a communication manager and read at 3 a.m., so what you see is what
 * is sent. Escaping belongs to the caller, which knows the output format.
 */

export const TEMPLATE_VARIABLES = [
  { name: "incident.title", description: "The incident's title, e.g. “Card payments failing”." },
  { name: "incident.reference", description: "The incident's short reference, e.g. INC-42." },
  { name: "incident.summary", description: "The latest summary of what is happening, in plain words." },
  {
    name: "incident.status",
    description: "The current phase: investigating, identified, monitoring or resolved.",
  },
  { name: "incident.url", description: "The incident's page on the public status page." },
  { name: "incident.impact_started_at", description: "When customers started to be affected (a timestamp)." },
  { name: "incident.declared_at", description: "When the incident was declared (a timestamp)." },
  { name: "severity.id", description: "The severity's id, e.g. sev1." },
  { name: "severity.name", description: "The severity's name, e.g. Critical." },
  { name: "severity.description", description: "What the severity means, from the plan." },
  {
    name: "components",
    description:
      "Affected components with their impact in words, e.g. “Card payments (major outage), API (degraded performance)”.",
  },
  { name: "next_update_in", description: "When the next update is due, in words, e.g. “20 minutes”." },
  { name: "next_update_at", description: "When the next update is due (a timestamp)." },
  { name: "organization.name", description: "The organization's name from the plan." },
] as const satisfies ReadonlyArray<{ name: string; description: string }>;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]["name"];

export const TEMPLATE_VARIABLE_NAMES: readonly string[] = TEMPLATE_VARIABLES.map((v) => v.name);

/**
 * Any `{{ … }}` counts as a placeholder, even with a malformed name inside, so
 * validation can reject `{{ incident title }}` instead of it being sent verbatim.
 */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export interface Placeholder {
  name: string;
  /** The placeholder as written, e.g. `{{incident.title }}`. */
  raw: string;
  index: number;
}

export function templatePlaceholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] ?? "", raw: m[0], index: m.index }));
}

/** The distinct variable names used in a template, in order of first use. */
export function templateVariablesIn(text: string): string[] {
  return [...new Set(templatePlaceholders(text).map((p) => p.name))];
}

/**
 * Fills `{{ name }}` placeholders in one pass, so a value that itself contains
 * `{{ … }}` (say, a title typed by a responder) is never expanded again. A
 * missing value renders as empty text; only own properties count, so
 * `{{ constructor }}` cannot reach the object prototype.
 */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  const filled = text.replace(PLACEHOLDER, (raw, name: string) => {
    if (!NAME.test(name)) return raw;
    return Object.hasOwn(vars, name) ? String(vars[name]) : "";
  });
  // An empty variable on a line of its own (a summary not written yet) leaves
  // no gap of blank lines behind.
  return filled.replace(/\n[ \t]*(?:\n[ \t]*){2,}/g, "\n\n").replace(/^\s*\n|\n\s*$/g, "");
}

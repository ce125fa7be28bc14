import type { Plan } from "../../api/plan";
import type { DetectedBy, Impact } from "../../api/types";
import { localInputToIso } from "../../lib/time";

/** What the declare form holds while the responder fills it in. */
export interface DeclareForm {
  title: string;
  criteria: string[];
  severity: string;
  summary: string;
  /** Component id → impact; absent means not affected. */
  components: Record<string, Impact>;
  detectedBy: DetectedBy;
  /** A datetime-local value in the viewer's time zone, or "" for now. */
  impactStartedAt: string;
  private: boolean;
  drill: boolean;
}

export const EMPTY_FORM: DeclareForm = {
  title: "",
  criteria: [],
  severity: "",
  summary: "",
  components: {},
  detectedBy: "employee",
  impactStartedAt: "",
  private: false,
  drill: false,
};

export interface DeclareBody {
  title: string;
  severity: string;
  criteria: string[];
  summary?: string;
  components?: Array<{ id: string; impact: Impact }>;
  detectedBy: DetectedBy;
  impactStartedAt?: string;
  private: boolean;
  drill: boolean;
}

/** The body of POST /api/v1/incidents, in the plan's order of components. */
export function toDeclareBody(form: DeclareForm, plan: Plan): DeclareBody {
  const components = plan.components
    .filter((c) => form.components[c.id])
    .map((c) => ({ id: c.id, impact: form.components[c.id] as Impact }));
  const impactStartedAt = localInputToIso(form.impactStartedAt);
  return {
    title: form.title.trim(),
    severity: form.severity,
    criteria: plan.definition.criteria.filter((c) => form.criteria.includes(c.id)).map((c) => c.id),
    ...(form.summary.trim() ? { summary: form.summary.trim() } : {}),
    ...(components.length ? { components } : {}),
    detectedBy: form.detectedBy,
    ...(impactStartedAt ? { impactStartedAt } : {}),
    private: form.private,
    drill: form.drill,
  };
}

/** The body of POST /api/v1/event-log: what is known, when no criterion holds. */
export function toEventBody(form: DeclareForm, plan: Plan) {
  const { title, summary, components, detectedBy } = toDeclareBody(form, plan);
  return {
    title,
    ...(summary ? { summary } : {}),
    ...(components ? { components } : {}),
    ...(detectedBy ? { detectedBy } : {}),
  };
}

/**
 * What the form can tell before asking the server (which checks it all again):
 * the same rules and words as the API, so the message does not change on submit.
 */
export function checkDeclare(form: DeclareForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.title.trim()) errors.title = "give the incident a title";
  if (form.criteria.length === 0) {
    errors.criteria =
      "tick at least one: if none of these holds, it is an event, not an incident — log it as an event instead";
  }
  if (!form.severity) errors.severity = "choose a severity; if unsure between two, pick the higher one";
  const started = localInputToIso(form.impactStartedAt);
  if (form.impactStartedAt && !started)
    errors.impactStartedAt = "give a date and time, or leave it empty for now";
  if (started && Date.parse(started) > Date.now() + 5 * 60_000) {
    errors.impactStartedAt = "the impact cannot start in the future";
  }
  return errors;
}

import type { Impact, Incident } from "../../api/types";

/** The incident's details as the edit form holds them, and the PATCH body of what changed. */
export interface DetailsForm {
  title: string;
  severity: string;
  summary: string;
  components: Record<string, Impact>;
}

export function detailsOf(incident: Incident): DetailsForm {
  return {
    title: incident.title,
    severity: incident.severity,
    summary: incident.summary ?? "",
    components: Object.fromEntries(incident.components.map((c) => [c.id, c.impact])),
  };
}

export interface DetailsPatch {
  title?: string;
  severity?: string;
  summary?: string | null;
  components?: Array<{ id: string; impact: Impact }>;
}

/** Only the fields that changed, so the timeline records only those. */
export function detailsPatch(before: DetailsForm, after: DetailsForm, order: string[]): DetailsPatch {
  const patch: DetailsPatch = {};
  if (after.title.trim() !== before.title) patch.title = after.title.trim();
  if (after.severity !== before.severity) patch.severity = after.severity;
  if (after.summary.trim() !== before.summary.trim()) patch.summary = after.summary.trim() || null;
  const list = (form: DetailsForm) =>
    order.filter((id) => form.components[id]).map((id) => ({ id, impact: form.components[id] as Impact }));
  if (JSON.stringify(list(before)) !== JSON.stringify(list(after))) patch.components = list(after);
  return patch;
}

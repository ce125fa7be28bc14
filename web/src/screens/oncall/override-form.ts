import { fieldPath } from "../../api/problem";
import { isoToZonedInput, zonedInputToIso } from "../../lib/zoned-time";

/** The override form: who covers, from and until as `datetime-local` values in the schedule's zone. */
export interface OverrideDraft {
  userId: string;
  start: string;
  end: string;
}

export const OVERRIDE_FIELDS = ["userId", "start", "end"] as const;
export type OverrideField = (typeof OVERRIDE_FIELDS)[number];

const HOUR_MS = 3_600_000;
const DEFAULT_HOURS = 8;

/** From the next full hour, for a working day's length, covered by `userId`. */
export function defaultDraft(now: number, timeZone: string, userId: string): OverrideDraft {
  const start = Math.ceil(now / HOUR_MS) * HOUR_MS;
  const iso = (ms: number) => isoToZonedInput(new Date(ms).toISOString(), timeZone);
  return { userId, start: iso(start), end: iso(start + DEFAULT_HOURS * HOUR_MS) };
}

/** What is wrong before asking the server, by field. */
export function checkOverride(
  draft: OverrideDraft,
  timeZone: string,
): Partial<Record<OverrideField, string>> {
  const found: Partial<Record<OverrideField, string>> = {};
  if (!draft.userId) found.userId = "pick who covers";
  const start = zonedInputToIso(draft.start, timeZone);
  const end = zonedInputToIso(draft.end, timeZone);
  if (!start) found.start = "write when the override starts";
  if (!end) found.end = "write when the override ends";
  if (start && end && Date.parse(end) <= Date.parse(start)) found.end = "must be after the start";
  return found;
}

export function toOverrideBody(draft: OverrideDraft, timeZone: string) {
  return {
    userId: draft.userId,
    start: zonedInputToIso(draft.start, timeZone) ?? draft.start,
    end: zonedInputToIso(draft.end, timeZone) ?? draft.end,
  };
}

/** The form's field for a server issue: the person may be named by email or id. */
export function overrideFieldOf(path: string): OverrideField | null {
  const field = fieldPath(path);
  if (field === "email" || field === "userId") return "userId";
  return field === "start" || field === "end" ? field : null;
}

import { isoToZonedInput, zonedInputToIso } from "../../lib/zoned-time";
import type { MaintenanceStatus } from "./queries";

/**
 * Scheduling a maintenance and moving it on. The moves are the server's (see
 * src/statuspage/maintenances.ts); posting the same status again adds an update.
 */
export const MAINTENANCE_STATUSES: readonly MaintenanceStatus[] = [
  "scheduled",
  "in_progress",
  "verifying",
  "completed",
];

export const NEXT_STATUSES: Record<MaintenanceStatus, readonly MaintenanceStatus[]> = {
  scheduled: ["scheduled", "in_progress", "completed"],
  in_progress: ["in_progress", "verifying", "completed"],
  verifying: ["verifying", "in_progress", "completed"],
  completed: [],
};

export const MAINTENANCE_LABELS: Record<MaintenanceStatus, string> = {
  scheduled: "Scheduled",
  in_progress: "In progress",
  verifying: "Verifying",
  completed: "Completed",
};

/** What customers are told by default at each step, as the server says it when it moves a maintenance on time. */
export const SUGGESTED_TEXT: Record<MaintenanceStatus, string> = {
  scheduled: "",
  in_progress: "The scheduled maintenance is now in progress.",
  verifying: "The work is done; we are checking that everything works as it should.",
  completed: "The scheduled maintenance has been completed.",
};

/** The usual next step: the one offered first. */
export function defaultNext(status: MaintenanceStatus): MaintenanceStatus | undefined {
  return { scheduled: "in_progress", in_progress: "verifying", verifying: "completed", completed: undefined }[
    status
  ] as MaintenanceStatus | undefined;
}

export function moveLabel(from: MaintenanceStatus, to: MaintenanceStatus): string {
  return from === to
    ? `Still ${MAINTENANCE_LABELS[to].toLowerCase()} (adds an update)`
    : MAINTENANCE_LABELS[to];
}

export interface ScheduleForm {
  title: string;
  body: string;
  components: string[];
  /** datetime-local values in the viewer's time zone. */
  scheduledFor: string;
  scheduledUntil: string;
  autoStart: boolean;
  autoComplete: boolean;
  notify: boolean;
  /** The times were typed: a kept draft's default times are otherwise moved to the next hour again. */
  timesEdited: boolean;
}

export const SCHEDULE_FIELDS = ["title", "body", "components", "scheduledFor", "scheduledUntil"] as const;

/** An empty form whose window is the next full hour, for an hour. */
export function emptySchedule(now: Date, timeZone: string): ScheduleForm {
  const start = Math.ceil((now.getTime() + 60_000) / 3_600_000) * 3_600_000;
  return {
    title: "",
    body: "",
    components: [],
    scheduledFor: isoToZonedInput(new Date(start).toISOString(), timeZone),
    scheduledUntil: isoToZonedInput(new Date(start + 3_600_000).toISOString(), timeZone),
    autoStart: true,
    autoComplete: true,
    notify: true,
    timesEdited: false,
  };
}

/** A kept draft whose times nobody typed gets the next full hour again, not the hour it was first opened. */
export function freshTimes(form: ScheduleForm, now: Date, timeZone: string): ScheduleForm {
  if (form.timesEdited) return form;
  const { scheduledFor, scheduledUntil } = emptySchedule(now, timeZone);
  return { ...form, scheduledFor, scheduledUntil };
}

/** What the form can tell before asking the server, with the server's words. */
export function checkSchedule(form: ScheduleForm, timeZone: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.title.trim()) errors.title = "give the maintenance a title";
  else if (form.title.trim().length > 200) errors.title = "at most 200 characters";
  if (!form.body.trim()) errors.body = "say what will happen and what customers will notice";
  if (form.components.length === 0) errors.components = "name at least one component";
  const from = zonedInputToIso(form.scheduledFor, timeZone);
  const until = zonedInputToIso(form.scheduledUntil, timeZone);
  if (!from) errors.scheduledFor = "give a date and time";
  if (!until) errors.scheduledUntil = "give a date and time";
  if (from && until && Date.parse(until) <= Date.parse(from))
    errors.scheduledUntil = "ends before it starts: give an end time after the start";
  return errors;
}

export interface ScheduleBody {
  title: string;
  body: string;
  components: string[];
  scheduledFor: string;
  scheduledUntil: string;
  autoStart: boolean;
  autoComplete: boolean;
  notify: boolean;
}

/** The body of POST /api/v1/maintenances: components in page order, times with the viewer's offset. */
export function toScheduleBody(
  form: ScheduleForm,
  timeZone: string,
  pageOrder: readonly string[],
): ScheduleBody {
  return {
    title: form.title.trim(),
    body: form.body.trim(),
    components: pageOrder.filter((id) => form.components.includes(id)),
    scheduledFor: zonedInputToIso(form.scheduledFor, timeZone) ?? form.scheduledFor,
    scheduledUntil: zonedInputToIso(form.scheduledUntil, timeZone) ?? form.scheduledUntil,
    autoStart: form.autoStart,
    autoComplete: form.autoComplete,
    notify: form.notify,
  };
}

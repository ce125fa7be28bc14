import { newId } from "../../shared/ids.ts";
import {
  ALERT_SEVERITIES,
  type AlertSeverity,
  EVENT_ACTIONS,
  type EventAction,
  type IntakeEvent,
} from "../model.ts";

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`): what monitoring tools that
 * speak PagerDuty send. Checked by hand rather than by a schema so the errors
 * read as PagerDuty's do (a list of sentences naming the field), which is what
 * these tools log when an event is refused.
 */
export const SUMMARY_MAX = 1024;
export const DEDUP_KEY_MAX = 255;
const TEXT_MAX = 1024;
const LIST_MAX = 100;

export type PagerDutyParse =
  | { ok: true; routingKey: string; event: IntakeEvent }
  | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);

/** Null counts as left out, as in PagerDuty's own parser. */
const present = (value: unknown) => value !== undefined && value !== null;

export function parsePagerDutyEvent(body: unknown): PagerDutyParse {
  if (!isObject(body)) return { ok: false, errors: ["Event object must be a JSON object"] };
  const errors: string[] = [];

  const routingKey = body.routing_key;
  if (typeof routingKey !== "string" || routingKey.trim() === "") {
    errors.push("'routing_key' is missing or blank");
  }
  const action = body.event_action;
  if (!present(action)) errors.push("'event_action' is missing or blank");
  else if (!EVENT_ACTIONS.includes(action as EventAction)) {
    errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
  }
  const dedup = body.dedup_key;
  if (present(dedup)) {
    if (typeof dedup !== "string" || dedup.trim() === "")
      errors.push("'dedup_key' must be a non-blank string");
    else if (dedup.length > DEDUP_KEY_MAX) {
      errors.push(`'dedup_key' is too long (maximum ${DEDUP_KEY_MAX} characters)`);
    }
  } else if (action === "acknowledge" || action === "resolve") {
    errors.push(`'dedup_key' is missing or blank (required to ${action})`);
  }

  let payload: Obj = {};
  if (isObject(body.payload)) {
    payload = body.payload;
    if (action === "trigger") errors.push(...payloadErrors(payload));
  } else if (present(body.payload)) {
    errors.push("'payload' must be a JSON object");
  } else if (action === "trigger") {
    errors.push("'payload' is missing (required to trigger)");
  }
  errors.push(...contextErrors(body));
  for (const field of ["client", "client_url"] as const) {
    if (present(body[field]) && typeof body[field] !== "string") errors.push(`'${field}' must be a string`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const customDetails = payload.custom_details;
  const labels: Record<string, string> = {};
  if (isObject(customDetails)) {
    for (const [key, value] of Object.entries(customDetails))
      if (typeof value === "string") labels[key] = value;
  }
  const component = text(payload.component);
  const group = text(payload.group);
  const eventClass = text(payload.class);
  if (component) labels.component = component;
  if (group) labels.group = group;
  if (eventClass) labels.class = eventClass;
  const details: Record<string, unknown> = {};
  if (present(customDetails)) details.custom_details = customDetails;
  for (const field of ["timestamp"] as const) if (present(payload[field])) details[field] = payload[field];
  for (const field of ["client", "client_url", "links", "images"] as const) {
    if (present(body[field])) details[field] = body[field];
  }

  return {
    ok: true,
    routingKey: routingKey as string,
    event: {
      action: action as EventAction,
      // A trigger without a key always opens a new alert: PagerDuty makes one up and returns it.
      dedupKey: typeof dedup === "string" ? dedup : newId(),
      summary: typeof payload.summary === "string" ? payload.summary.trim() : "",
      source: text(payload.source),
      severity: (payload.severity as AlertSeverity | undefined) ?? "warning",
      component,
      group,
      class: eventClass,
      labels,
      details,
    },
  };
}

function payloadErrors(payload: Obj): string[] {
  const errors: string[] = [];
  const summary = payload.summary;
  if (typeof summary !== "string" || summary.trim() === "") {
    errors.push(
      present(summary) && typeof summary !== "string"
        ? "'payload.summary' must be a string"
        : "'payload.summary' is missing or blank",
    );
  } else if (summary.length > SUMMARY_MAX) {
    errors.push(`'payload.summary' is too long (maximum ${SUMMARY_MAX} characters)`);
  }
  const source = payload.source;
  if (typeof source !== "string" || source.trim() === "") {
    errors.push(
      present(source) && typeof source !== "string"
        ? "'payload.source' must be a string"
        : "'payload.source' is missing or blank",
    );
  } else if (source.length > TEXT_MAX) {
    errors.push(`'payload.source' is too long (maximum ${TEXT_MAX} characters)`);
  }
  const severity = payload.severity;
  if (!present(severity)) errors.push("'payload.severity' is missing or blank");
  else if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) {
    errors.push("'payload.severity' is invalid (must be one of critical, error, warning, info)");
  }
  if (present(payload.timestamp)) {
    const at = payload.timestamp;
    if (typeof at !== "string" || Number.isNaN(Date.parse(at))) {
      errors.push(
        "'payload.timestamp' is invalid (use an ISO 8601 time such as 2015-07-17T08:42:58.315+0000)",
      );
    }
  }
  for (const field of ["component", "group", "class"] as const) {
    const value = payload[field];
    if (!present(value)) continue;
    if (typeof value !== "string") errors.push(`'payload.${field}' must be a string`);
    else if (value.length > TEXT_MAX) {
      errors.push(`'payload.${field}' is too long (maximum ${TEXT_MAX} characters)`);
    }
  }
  return errors;
}

function contextErrors(body: Obj): string[] {
  const errors: string[] = [];
  const lists = [
    { field: "links", required: "href", optional: ["text"] },
    { field: "images", required: "src", optional: ["href", "alt"] },
  ] as const;
  for (const { field, required, optional } of lists) {
    const list = body[field];
    if (!present(list)) continue;
    if (!Array.isArray(list)) {
      errors.push(`'${field}' must be a list`);
      continue;
    }
    if (list.length > LIST_MAX) errors.push(`'${field}' has more than ${LIST_MAX} entries`);
    list.slice(0, LIST_MAX).forEach((item: unknown, i) => {
      if (!isObject(item)) {
        errors.push(`'${field}[${i}]' must be an object`);
        return;
      }
      if (typeof item[required] !== "string" || item[required] === "") {
        errors.push(`'${field}[${i}].${required}' is missing or blank`);
      }
      for (const key of optional) {
        if (present(item[key]) && typeof item[key] !== "string") {
          errors.push(`'${field}[${i}].${key}' must be a string`);
        }
      }
    });
  }
  return errors;
}

/** PagerDuty's answers, word for word: senders and their logs expect exactly these. */
export function accepted(dedupKey: string) {
  return { status: "success" as const, message: "Event processed" as const, dedup_key: dedupKey };
}

export function invalidEvent(errors: string[]) {
  return { status: "invalid event", message: "Event object is invalid", errors };
}

export function throttled() {
  return {
    status: "throttle event",
    message: "Requests for this service are arriving too quickly. Please retry later.",
  };
}

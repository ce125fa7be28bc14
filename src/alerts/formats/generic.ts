import { z } from "zod";
import { newId } from "../../shared/ids.ts";
import { AlertSeverity, EVENT_ACTIONS, type IntakeEvent } from "../model.ts";

/**
 * Runsheet's own small format, for scripts and tools without a PagerDuty or
 * Alertmanager integration: one event or a list of them. A trigger needs a
 * summary; acknowledge and resolve need the dedupKey of the alert. A trigger
 * without a dedupKey opens a new alert each time.
 */
const MAX_EVENTS = 1_000;

export const GenericEvent = z
  .strictObject({
    dedupKey: z.string().trim().min(1).max(255).optional().meta({
      description: "Repeats with the same key update the open alert instead of opening another.",
    }),
    action: z.enum(EVENT_ACTIONS).default("trigger"),
    summary: z.string().trim().min(1, "write what is wrong").max(1024).optional(),
    severity: AlertSeverity.default("warning"),
    source: z.string().trim().min(1).max(1024).optional(),
    component: z.string().trim().min(1).max(1024).optional(),
    labels: z
      .record(z.string().max(200), z.string().max(1024))
      .refine((labels) => Object.keys(labels).length <= 100, "at most 100 labels")
      .optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.action === "trigger" && event.summary === undefined) {
      ctx.addIssue({ code: "custom", path: ["summary"], message: "a trigger needs a summary" });
    }
    if (event.action !== "trigger" && event.dedupKey === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["dedupKey"],
        message: `${event.action} needs the dedupKey of the alert`,
      });
    }
  })
  .meta({ id: "GenericAlertEvent" });

const GenericList = z.array(GenericEvent).min(1).max(MAX_EVENTS);

/** For the API document: one event, or a list of up to 1,000. */
export const GenericBody = z.union([GenericEvent, GenericList]).meta({ id: "GenericAlertBody" });
export type GenericBody = z.output<typeof GenericBody>;

/**
 * Parses a body as one event or a list, by its shape first, so an error names
 * the failing field (a union would only say that no branch matched).
 */
export function parseGenericBody(body: unknown) {
  return Array.isArray(body) ? GenericList.safeParse(body) : GenericEvent.safeParse(body);
}

export function genericEvents(body: GenericBody): IntakeEvent[] {
  return (Array.isArray(body) ? body : [body]).map((event) => ({
    action: event.action,
    dedupKey: event.dedupKey ?? newId(),
    summary: event.summary ?? "",
    source: event.source ?? null,
    severity: event.severity,
    component: event.component ?? null,
    group: null,
    class: null,
    labels: event.labels ?? {},
    details: event.details ?? {},
  }));
}

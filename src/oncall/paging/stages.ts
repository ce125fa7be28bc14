import { DateTime } from "luxon";
import { z } from "zod";
import { parseDuration } from "../../plan/duration.ts";
import { Contact, type Plan, type Role } from "../../plan/schema.ts";

/**
 * The stages of a role's escalation, worked out once when it starts: 0 pages
 * the role's primary contact, 1 its backup (each waited on for `ack_within`),
 * then the steps of the role's escalation policy in order, each waited on for
 * its own timeout, the whole policy gone through `repeat` more times. A stage
 * without anyone to page is skipped. Pure: no store, no clock.
 */
export const Stage = z.object({
  label: z.string(),
  targets: z.array(Contact),
  waitMs: z.number().int().min(0),
});
export type Stage = z.infer<typeof Stage>;
export const Stages = z.array(Stage);

export function escalationStages(plan: Plan, role: Role): Stage[] {
  if (role.primary === undefined) return [];
  const ack = parseDuration(role.ack_within);
  const stages: Stage[] = [
    { label: "primary contact", targets: [role.primary], waitMs: ack },
    { label: "backup contact", targets: role.backup === undefined ? [] : [role.backup], waitMs: ack },
  ];
  const policy = plan.escalation_policies.find((p) => p.id === role.escalation_policy);
  if (!policy) return stages;
  for (let round = 0; round <= policy.repeat; round++) {
    policy.steps.forEach((step, i) => {
      const again = round > 0 ? `, round ${round + 1} of ${policy.repeat + 1}` : "";
      stages.push({
        label: `${policy.name}, step ${i + 1} of ${policy.steps.length}${again}`,
        targets: step.targets,
        waitMs: parseDuration(step.timeout),
      });
    });
  }
  return stages;
}

/** A contact as people read it: the email, or "whoever is on call on <schedule>". */
export function contactText(plan: Plan, contact: Contact): string {
  if (typeof contact === "string") return contact;
  const schedule = plan.schedules.find((s) => s.id === contact.schedule);
  return `whoever is on call on ${schedule?.name ?? contact.schedule}`;
}

/** Working hours for severities that do not page out of hours: Monday to Friday, 09:00-17:00 local. */
export const WORKING_HOURS = { days: [1, 2, 3, 4, 5], start: 9, end: 17 } as const;

/**
 * Whether a severity pages people at this instant: always when the plan says
 * it pages out of hours, else only in working hours in the organization's zone.
 * Returns why not, for the timeline, when it does not.
 */
export function pagingAllowed(
  plan: Plan,
  severityId: string,
  at: Date,
): { allowed: true } | { allowed: false; reason: string } {
  const severity = plan.severities.find((s) => s.id === severityId);
  if (!severity || severity.page_out_of_hours) return { allowed: true };
  const zone = plan.organization.timezone;
  const local = DateTime.fromJSDate(at, { zone });
  const working =
    (WORKING_HOURS.days as readonly number[]).includes(local.weekday) &&
    local.hour >= WORKING_HOURS.start &&
    local.hour < WORKING_HOURS.end;
  if (working) return { allowed: true };
  return {
    allowed: false,
    reason: `${severity.name} incidents page people only in working hours (Monday to Friday, 09:00-17:00 ${zone}), and it is ${local.toFormat("cccc HH:mm")} there`,
  };
}

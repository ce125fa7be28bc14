import type { Contact, Plan } from "../../plan/schema.ts";
import type { Db } from "../../store/open.ts";
import { overridesOverlapping } from "../overrides.ts";
import { onCallEmail, type StoredOverride } from "../plan-schedule.ts";

export type ContactAnswer = { email: string; schedule?: string } | { email: null; reason: string };

/**
 * Turns contacts into emails at an instant: an email stays itself, a schedule
 * becomes whoever is on call on it then, overrides included. Reads the
 * overrides once; the answer is a plain function.
 */
export async function contactResolver(
  db: Db,
  plan: Plan,
  contacts: ReadonlyArray<Contact | undefined>,
  at: Date,
): Promise<(contact: Contact) => ContactAnswer> {
  const scheduleIds = contacts.flatMap((c) => (c !== undefined && typeof c !== "string" ? [c.schedule] : []));
  const overrides = new Map<string, StoredOverride[]>();
  // Those in force at the instant, oldest first: where two overlap, the newer wins.
  for (const o of await overridesOverlapping(db, [...new Set(scheduleIds)], at, new Date(at.getTime() + 1))) {
    overrides.set(o.scheduleId, [...(overrides.get(o.scheduleId) ?? []), o]);
  }
  return (contact) => {
    if (typeof contact === "string") return { email: contact.toLowerCase() };
    const schedule = plan.schedules.find((s) => s.id === contact.schedule);
    if (!schedule) return { email: null, reason: `the plan has no schedule "${contact.schedule}"` };
    let email: string | null;
    try {
      email = onCallEmail(plan, schedule.id, at, overrides.get(schedule.id) ?? []);
    } catch (error) {
      // A schedule the engine refuses must not stop a declaration: say why and go on.
      return { email: null, reason: `${schedule.name} cannot be used (${(error as Error).message})` };
    }
    return email === null
      ? { email: null, reason: `nobody is on call on ${schedule.name}` }
      : { email, schedule: schedule.name };
  };
}

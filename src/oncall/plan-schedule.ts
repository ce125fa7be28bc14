import type { Plan } from "../plan/schema.ts";
import { onCallAt } from "./coverage.ts";
import { engineSchedule, type StoredOverride } from "./schedules.ts";

/**
 * Who is on call on a plan schedule, for paging and for filling roles. The
 * plan's schedules become the engine's through `engineSchedule`; members are
 * people's emails there, so the answer is an email, whether or not it has an
 * account.
 */
export type { StoredOverride };

/**
 * The email of whoever is on call on a plan schedule at an instant, overrides
 * included; null when nobody covers that moment or the plan has no such schedule.
 */
export function onCallEmail(
  plan: Plan,
  scheduleId: string,
  at: Date,
  overrides: readonly StoredOverride[] = [],
): string | null {
  if (!plan.schedules.some((s) => s.id === scheduleId)) return null;
  return onCallAt(engineSchedule(plan, scheduleId, overrides), at).userId;
}

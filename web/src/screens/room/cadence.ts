import type { Plan } from "../../api/plan";
import type { Incident, StatusUpdate } from "../../api/types";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string): number | null {
  if (!/^(?:\d+[smhd])+$/.test(text)) return null;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhd])/g))
    ms += Number(amount) * (UNIT_MS[unit ?? "s"] ?? 0);
  return ms;
}

/**
 * When the next customer update is due, by the severity's cadence: the last
 * external update (or the declaration) plus `update_every`; none once resolved.
 * The same rule as the server's reminders (src/comms/reminders.ts).
 */
export function nextUpdateDue(
  incident: Incident,
  updates: readonly StatusUpdate[],
  plan: Plan,
): string | null {
  if (incident.status === "resolved") return null;
  const every = durationMs(plan.severities.find((s) => s.id === incident.severity)?.update_every ?? "");
  if (every === null) return null;
  const last = updates
    .filter((u) => u.audience === "external")
    .map((u) => u.createdAt)
    .sort()
    .at(-1);
  return new Date(Date.parse(last ?? incident.declaredAt) + every).toISOString();
}

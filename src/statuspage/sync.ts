import type { Ctx } from "../context.ts";
import type { Db } from "../store/open.ts";
import { type StatusChange, syncComponentStatuses } from "./component-status.ts";

/**
 * Records the status page's component changes a verb just made, inside the
 * verb's transaction. Incident verbs, publishing and maintenances call this.
 */
export function syncStatusPage(
  ctx: Pick<Ctx, "plans">,
  tx: Db,
  at: string,
  updateId: string | null = null,
): Promise<StatusChange[]> {
  const ids = ctx.plans.current().plan.components.map((c) => c.id);
  return syncComponentStatuses(tx, ids, at, updateId);
}

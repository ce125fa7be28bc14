import type { Ctx } from "../../context.ts";
import type { JobHandler } from "../../jobs/worker.ts";

/** The background work of paging: notifications and escalation timers. */
export function pagingHandlers(_deps: Omit<Ctx, "actor">): JobHandler[] {
  return [];
}

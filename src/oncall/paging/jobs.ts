import type { Ctx } from "../../context.ts";
import { SHORT_RETRIES } from "../../jobs/retry.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { ESCALATE_JOB, escalate } from "./escalate.ts";
import { notifyHandler } from "./notify.ts";

/** The background work of paging: notifications and escalation timers. */
export function pagingHandlers(deps: Omit<Ctx, "actor">): JobHandler[] {
  return [notifyHandler(deps), escalationTimer(deps)] as JobHandler[];
}

/** Moves an escalation on when nobody acknowledged a stage in time; a second run finds nothing to do. */
export function escalationTimer(
  deps: Omit<Ctx, "actor">,
): JobHandler<{ escalationId: string; stage: number }> {
  return {
    kind: ESCALATE_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const paged = await escalate(deps, job.payload.escalationId, job.payload.stage);
      if (paged > 0) deps.comms.poke();
    },
  };
}

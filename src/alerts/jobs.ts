import type { Ctx } from "../context.ts";
import type { JobHandler } from "../jobs/worker.ts";

/** The background work of alert intake (missed heartbeats). */
export function alertHandlers(_deps: Omit<Ctx, "actor">): JobHandler[] {
  return [];
}

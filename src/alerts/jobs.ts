import type { Ctx } from "../context.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { reportAttachedHandler } from "./attached.ts";
import { checkHeartbeatHandler } from "./heartbeat.ts";

/** The background work of alert intake: missed heartbeats, and the held-back "more alerts attached" notes. */
export function alertHandlers(deps: Omit<Ctx, "actor">): JobHandler[] {
  return [checkHeartbeatHandler(deps), reportAttachedHandler(deps)] as JobHandler[];
}

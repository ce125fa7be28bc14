import type { Actor } from "./auth/model.ts";
import type { CommsRuntime } from "./comms/runtime.ts";
import type { PlanHolder } from "./plan/versions.ts";
import type { Clock } from "./shared/clock.ts";
import type { EventHub } from "./shared/events.ts";
import type { Store } from "./store/open.ts";

/**
 * What every domain verb is given: the store, who acts, the clock and the plan.
 * Transports build one per request or command; jobs use the system actor.
 */
export interface Ctx {
  store: Store;
  actor: Actor;
  clock: Clock;
  plans: PlanHolder;
  /** Where people reach this Runsheet, for links in messages. */
  publicUrl: string;
  /** Committed changes are announced here. */
  events: EventHub;
  /** Environment, secrets and HTTP client for channel deliveries. */
  comms: CommsRuntime;
}

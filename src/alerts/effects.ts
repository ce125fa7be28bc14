import type { Actor } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { EventHub, type IncidentEvent } from "../shared/events.ts";
import type { Db, Store } from "../store/open.ts";

/**
 * What intake's transaction wants to tell others, held until it commits:
 * incident announcements (an incident declared from an alert, a timeline note)
 * and the worker's wake-up. A rolled-back attempt announces nothing.
 */
export class Effects {
  readonly hub = new EventHub();
  readonly #announced: IncidentEvent[] = [];
  #poke = false;
  #pageChanged = false;

  constructor() {
    this.hub.subscribe((event) => this.#announced.push(event));
    this.hub.onPageChange(() => {
      this.#pageChanged = true;
    });
  }

  poke(): void {
    this.#poke = true;
  }

  /**
   * A ctx for domain verbs run inside intake's transaction (declaring an
   * incident): its store is the transaction itself, so the verb's own
   * transaction and reads join it, and its announcements wait for the commit.
   */
  ctxFor(ctx: Ctx, tx: Db, actor: Actor): Ctx {
    const store: Store = {
      db: tx,
      dialect: ctx.store.dialect,
      transaction: (fn) => fn(tx),
      close: async () => {},
    };
    return { ...ctx, actor, store, events: this.hub, comms: { ...ctx.comms, poke: () => this.poke() } };
  }

  /** After the commit: announce, and wake the worker for the jobs the transaction queued. */
  flush(ctx: Pick<Ctx, "events" | "comms">): void {
    for (const event of this.#announced) ctx.events.publish(event);
    if (this.#pageChanged) ctx.events.pageChanged();
    if (this.#poke) ctx.comms.poke();
  }
}

const RETRYABLE = new Set([
  "23505", // unique_violation: another process opened the same alert key first
  "40P01", // deadlock_detected
  "40001", // serialization_failure
]);
const MAX_ATTEMPTS = 4;

/**
 * Runs intake's work in one write transaction and flushes its effects after
 * the commit. On PostgreSQL, a conflict with another process (both opening the
 * same alert key, or a deadlock between their locks) rolls back; the work is
 * then done again on what the other committed.
 */
export async function inIntakeTransaction<T>(
  ctx: Ctx,
  fn: (tx: Db, effects: Effects) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const effects = new Effects();
    try {
      const result = await ctx.store.transaction((tx) => fn(tx, effects));
      effects.flush(ctx);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
    }
  }
}

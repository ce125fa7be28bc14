import type { Ctx } from "../context.ts";
import { AppError } from "../shared/errors.ts";
import { applyEvents, type IntakeItem, type ItemOutcome, processEvents } from "./apply.ts";
import { inIntakeTransaction } from "./effects.ts";
import type { IntakeEvent, IntegrationRef } from "./model.ts";
import { keyOf } from "./repository.ts";

/**
 * The intake queue. Requests hand their events over and wait; a batch takes
 * everything queued and applies it in one transaction, then answers each
 * request once that transaction has committed. While a batch is written, the
 * next one gathers, so the batch size follows the load: one event when it is
 * quiet, hundreds in a storm, with one commit each.
 *
 * On SQLite one batch runs at a time (the store writes synchronously anyway).
 * On PostgreSQL, where a batch mostly waits on round trips, a few run side by
 * side; a batch never takes an event for an alert key that a running batch
 * holds, so the events of one alert are applied in the order they came. A
 * batch that fails is applied again request by request, so one bad event
 * cannot fail the others.
 */
interface Pending {
  items: IntakeItem[];
  keys: string[];
  resolve(outcomes: ItemOutcome[]): void;
  reject(error: unknown): void;
}

export interface AlertIntakeOptions {
  /** The most events one transaction applies. */
  maxBatch?: number;
  /** Events waiting beyond this are refused (429) rather than queued without end. */
  maxQueued?: number;
  /** Under load, how long a batch waits for more events before it starts (0: never). */
  lingerMs?: number;
  /** Batches running at once (default: 1 on SQLite, 3 on PostgreSQL). */
  concurrency?: number;
}

/** A batch that ended this recently means events are arriving steadily. */
const BUSY_WINDOW_MS = 20;
/** How far into the queue a batch looks for requests whose keys are free. */
const SCAN_LIMIT = 2_000;

export class AlertIntake {
  readonly #ctx: Ctx;
  readonly #maxBatch: number;
  readonly #maxQueued: number;
  readonly #lingerMs: number;
  readonly #concurrency: number;
  #queue: Pending[] = [];
  /** The alert keys of the batches running now. */
  readonly #held = new Set<string>();
  readonly #runners = new Set<Promise<void>>();
  #queued = 0;
  /** The runner waiting to take a batch, if any: the next requests go to it. */
  #gatherer: symbol | null = null;
  #lastBatchAt = Number.NEGATIVE_INFINITY;

  constructor(ctx: Ctx, options: AlertIntakeOptions = {}) {
    this.#ctx = ctx;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxQueued = options.maxQueued ?? 50_000;
    this.#lingerMs = options.lingerMs ?? 1;
    this.#concurrency = options.concurrency ?? (ctx.store.dialect === "postgres" ? 3 : 1);
  }

  /** Applies the events; resolves once they are committed. */
  submit(integration: IntegrationRef, events: IntakeEvent[]): Promise<ItemOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    if (this.#queued + events.length > this.#maxQueued) {
      return Promise.reject(
        Object.assign(new AppError("rate_limited", "Too many events are waiting; try again in a second."), {
          retryAfterSeconds: 1,
        }),
      );
    }
    return new Promise<ItemOutcome[]>((resolve, reject) => {
      const items = events.map((event) => ({ integration, event }));
      const keys = [...new Set(items.map((i) => keyOf(integration.id, i.event.dedupKey)))];
      this.#queue.push({ items, keys, resolve, reject });
      this.#queued += events.length;
      this.#kick();
    });
  }

  /**
   * Starts a runner when there is work and none is gathering a batch yet: one
   * gathers at a time, the others are writing the batches they took.
   */
  #kick(): void {
    if (this.#gatherer !== null || this.#runners.size >= this.#concurrency || !this.#takeable()) return;
    const runner: Promise<void> = this.#run().finally(() => {
      this.#runners.delete(runner);
      // Events queued meanwhile, or held back behind the batch that just ended.
      this.#kick();
    });
    this.#runners.add(runner);
  }

  /** Resolves when everything submitted so far has been applied (for shutdown). */
  async idle(): Promise<void> {
    while (this.#runners.size > 0) await Promise.all([...this.#runners]);
  }

  /** Gathers and applies a batch, and another while no other runner is gathering. */
  async #run(): Promise<void> {
    const me = Symbol("runner");
    try {
      do {
        this.#gatherer = me;
        // Right after a batch, the senders it answered are sending their next events:
        // waiting a moment for them makes one commit serve them all. When it is
        // quiet, an event is applied at once.
        const busy = performance.now() - this.#lastBatchAt < BUSY_WINDOW_MS;
        if (busy && this.#lingerMs > 0 && this.#queued < this.#maxBatch) {
          await new Promise((resolve) => setTimeout(resolve, this.#lingerMs));
        }
        await this.#applyNext(me);
        this.#lastBatchAt = performance.now();
      } while (this.#gatherer === null && this.#takeable());
    } finally {
      if (this.#gatherer === me) this.#gatherer = null;
    }
  }

  /** Whether a batch could take something now (looking at the oldest requests only: they go first). */
  #takeable(): boolean {
    if (this.#held.size === 0) return this.#queue.length > 0;
    const end = Math.min(this.#queue.length, SCAN_LIMIT);
    for (let i = 0; i < end; i++) if (this.#queue[i]!.keys.every((k) => !this.#held.has(k))) return true;
    return false;
  }

  /**
   * Takes queued requests, oldest first, up to maxBatch events, and holds
   * their keys. A request naming a key that is held waits, and so does every
   * later request naming any of its keys, to keep each alert's events in order.
   */
  #take(): Pending[] {
    const batch: Pending[] = [];
    const waiting: Pending[] = [];
    const waitingKeys = new Set<string>();
    let size = 0;
    let i = 0;
    for (; i < this.#queue.length && i < SCAN_LIMIT; i++) {
      const next = this.#queue[i]!;
      if (batch.length > 0 && size + next.items.length > this.#maxBatch) break;
      if (next.keys.some((k) => this.#held.has(k) || waitingKeys.has(k))) {
        for (const k of next.keys) waitingKeys.add(k);
        waiting.push(next);
        continue;
      }
      batch.push(next);
      size += next.items.length;
    }
    // One pass: the queue becomes what waits, then what was not looked at.
    this.#queue = i === this.#queue.length ? waiting : waiting.concat(this.#queue.slice(i));
    for (const pending of batch) for (const k of pending.keys) this.#held.add(k);
    this.#queued -= size;
    return batch;
  }

  #release(batch: Pending[]): void {
    for (const pending of batch) for (const k of pending.keys) this.#held.delete(k);
  }

  /**
   * Applies the next batch. It is taken when its transaction starts, not
   * before: requests that arrived while the store was getting ready (on
   * SQLite, the store lets pending I/O run first) join it.
   */
  async #applyNext(me: symbol): Promise<void> {
    let batch = null as Pending[] | null;
    try {
      const outcomes = await inIntakeTransaction(this.#ctx, (tx, effects) => {
        // A retried attempt applies the same batch again.
        if (batch === null) {
          batch = this.#take();
          // Taken: the next batch can start gathering while this one is written.
          if (this.#gatherer === me) this.#gatherer = null;
          this.#kick();
        }
        return applyEvents(this.#ctx, tx, itemsOf(batch), effects);
      });
      let offset = 0;
      for (const pending of batch ?? []) {
        pending.resolve(outcomes.slice(offset, offset + pending.items.length));
        offset += pending.items.length;
      }
    } catch (error) {
      if (batch === null) {
        // The transaction could not start (the database is down): answer the waiting requests now.
        batch = this.#take();
        for (const pending of batch) pending.reject(error);
        return;
      }
      await this.#applyEach(batch, error);
    } finally {
      if (batch) this.#release(batch);
    }
  }

  /** After a batch failed: each request on its own, so one bad event cannot fail the others. */
  async #applyEach(batch: Pending[], error: unknown): Promise<void> {
    if (batch.length === 1) {
      batch[0]!.reject(error);
      return;
    }
    for (const pending of batch) {
      await processEvents(this.#ctx, pending.items).then(pending.resolve, pending.reject);
    }
  }
}

function itemsOf(batch: Pending[]): IntakeItem[] {
  return batch.length === 1 ? batch[0]!.items : batch.flatMap((p) => p.items);
}

/**
 * A per-integration token bucket: each key may send its rate limit per minute,
 * in bursts of up to a minute's worth. In memory, per process.
 */
export class KeyRateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one request from the integration's bucket; returns the seconds to wait when it is empty. */
  take(integration: IntegrationRef, nowMs: number): number | null {
    const capacity = integration.rateLimitPerMinute;
    const perMs = capacity / 60_000;
    const bucket = this.#buckets.get(integration.id) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
    bucket.at = Math.max(bucket.at, nowMs);
    this.#buckets.set(integration.id, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    bucket.tokens -= 1;
    return null;
  }
}

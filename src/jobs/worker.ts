import type { Clock } from "../shared/clock.ts";
import type { Db, Store } from "../store/open.ts";
import { claim, type Job, markDead, markDone, recoverOrphans, reschedule } from "./queue.ts";
import { GiveUp, nextDelay, RetryLater, type RetryPolicy } from "./retry.ts";

/**
 * What a kind of job does, and how it is retried. Handlers must be idempotent:
 * a job can run twice after a crash. `run` may return what to record on
 * success; it is written in the transaction that marks the job done, and the
 * failure hooks write in the transaction that reschedules or buries it, so a
 * job's state and its visible outcome never disagree.
 */
export interface JobHandler<P = unknown> {
  kind: string;
  retry: RetryPolicy;
  run(job: Job<P>): Promise<void | ((tx: Db) => Promise<void>)>;
  /** Once, when the job gives up for good, to make that visible (a dead delivery). */
  onDead?(job: Job<P>, error: string, tx: Db): Promise<void>;
  /** After each failed attempt that will be retried. */
  onRetry?(job: Job<P>, error: string, nextAt: Date, tx: Db): Promise<void>;
  /** After the transaction of any outcome has committed (to announce it). */
  afterOutcome?(job: Job<P>): void;
}

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  handlers: JobHandler<never>[];
  /** Jobs running at once; deliveries wait on the network, so this is well above the core count. */
  concurrency?: number;
  /** How often to look for due jobs when nobody pokes the worker. */
  pollMs?: number;
  /** A claimed job not finished within this time is taken to belong to a dead worker. */
  leaseMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Runs due jobs. One loop per process: it claims as many jobs as it has free
 * slots, runs them concurrently, and sleeps until poked (a transaction just
 * enqueued something) or until the next poll.
 */
export class Worker {
  readonly #options: Required<Omit<WorkerOptions, "onError">> & Pick<WorkerOptions, "onError">;
  readonly #handlers: Map<string, JobHandler<unknown>>;
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #poked = false;

  constructor(options: WorkerOptions) {
    this.#options = { concurrency: 32, pollMs: 1_000, leaseMs: 60_000, ...options };
    this.#handlers = new Map(options.handlers.map((h) => [h.kind, h as JobHandler<unknown>]));
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = recoverOrphans(this.#options.store.db, this.#options.clock.now())
      .catch((error) => this.#options.onError?.(error))
      .then(() => this.#run());
  }

  /** Wakes the loop now: call after committing a transaction that enqueued jobs. */
  poke(): void {
    this.#poked = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Runs due jobs until none is left (for tests and the CLI); returns how many ran. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await this.#tick();
      await Promise.allSettled([...this.#inFlight]);
      if (ran === 0) return total;
      total += ran;
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let claimed = 0;
      try {
        claimed = await this.#tick();
      } catch (error) {
        this.#options.onError?.(error);
      }
      const full = this.#inFlight.size >= this.#options.concurrency;
      if (claimed > 0 && !full) continue;
      if (this.#poked && !full) {
        this.#poked = false;
        continue;
      }
      // stop() may have come while this pass was claiming: then there is nothing to wait for.
      if (!this.#running) break;
      await this.#sleep(full ? undefined : this.#options.pollMs);
    }
  }

  #sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }

  async #tick(): Promise<number> {
    const free = this.#options.concurrency - this.#inFlight.size;
    if (free <= 0) return 0;
    const jobs = await this.#options.store.transaction((tx) =>
      claim(tx, {
        kinds: [...this.#handlers.keys()],
        limit: free,
        leaseMs: this.#options.leaseMs,
        now: this.#options.clock.now(),
      }),
    );
    for (const job of jobs) {
      const running = this.#execute(job).finally(() => {
        this.#inFlight.delete(running);
        // A slot came free: the loop may claim more.
        this.#wake?.();
      });
      this.#inFlight.add(running);
    }
    return jobs.length;
  }

  async #execute(job: Job): Promise<void> {
    const handler = this.#handlers.get(job.kind)!;
    const store = this.#options.store;
    let finish: void | ((tx: Db) => Promise<void>);
    let failure: unknown = null;
    try {
      finish = await handler.run(job);
    } catch (error) {
      failure = error;
    }
    const now = this.#options.clock.now();
    // One transaction per outcome; on SQLite concurrent ones share a commit.
    await store
      .transaction(async (tx) => {
        if (failure === null) {
          await finish?.(tx);
          await markDone(tx, job.id, now);
          return;
        }
        const message = failure instanceof Error ? failure.message : String(failure);
        const delay = failure instanceof GiveUp ? null : nextDelay(handler.retry, job.attempts);
        if (delay === null) {
          await markDead(tx, job.id, message, now);
          await handler.onDead?.(job, message, tx);
          return;
        }
        const wait = failure instanceof RetryLater ? Math.max(failure.afterMs, 0) : delay;
        const nextAt = new Date(now.getTime() + wait);
        await reschedule(tx, job.id, nextAt, message, now);
        await handler.onRetry?.(job, message, nextAt, tx);
      })
      .then(() => handler.afterOutcome?.(job))
      // A job whose outcome could not be written is taken again when its lease ends.
      .catch((error) => this.#options.onError?.(error));
  }
}

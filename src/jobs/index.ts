export { cancelByKey, claim, enqueue, type Job, type NewJob, requeue } from "./queue.ts";
export {
  GiveUp,
  nextDelay,
  RetryLater,
  type RetryPolicy,
  retryAfterMs,
  SHORT_RETRIES,
  STANDARD_WEBHOOKS_RETRIES,
} from "./retry.ts";
export { type JobHandler, Worker, type WorkerOptions } from "./worker.ts";

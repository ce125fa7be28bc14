import { createServer } from "node:net";
import pino from "pino";
import { alertHandlers } from "./alerts/jobs.ts";
import { FirstRunSetup } from "./auth/setup.ts";
import { closeEmailTransports } from "./comms/adapters/email.ts";
import { deliveryHandler } from "./comms/deliver.ts";
import { checkCadence, reminderHandler } from "./comms/reminders.ts";
import { createCommsRuntime } from "./comms/runtime.ts";
import { confirmationHandler } from "./comms/subscribers.ts";
import type { ServeConfig } from "./config.ts";
import { type App, buildApp, LOG_REDACT } from "./http/app.ts";
import { Worker } from "./jobs/worker.ts";
import { pagingHandlers } from "./oncall/paging/jobs.ts";
import { loadStartupPlan } from "./plan/versions.ts";
import { actionReminderHandler, checkActionItems } from "./review/actions/index.ts";
import { postmortemNoticeHandler } from "./review/postmortems/index.ts";
import { checkReviews, reviewHandlers } from "./review/reviews/index.ts";
import { systemClock } from "./shared/clock.ts";
import { EventHub } from "./shared/events.ts";
import { pageUrlOf, type StatusPageOptions } from "./statuspage/index.ts";
import { maintenanceNoticeHandler } from "./statuspage/maintenance-notices.ts";
import { maintenanceStepHandler } from "./statuspage/maintenances.ts";
import { openStore, type Store } from "./store/open.ts";

export interface RunningServer {
  app: App;
  store: Store;
  worker: Worker;
  url: string;
  setupCode: string | null;
  close(): Promise<void>;
}

const CADENCE_CHECK_MS = 30_000;

/**
 * Opens the store, loads the plan, serves the API and runs the background
 * work (deliveries, reminders): what `runsheet serve` runs.
 */
export async function startServer(given: ServeConfig): Promise<RunningServer> {
  const config = await withConcretePort(given);
  const logger = pino({ level: config.logLevel, redact: LOG_REDACT });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const plans = await loadStartupPlan(store, systemClock, config.planFile);
    const setup = new FirstRunSetup();
    const setupCode = await setup.prepare(store);
    const events = new EventHub();
    const comms = createCommsRuntime({ env: config.env });
    const deps = { store, plans, clock: systemClock, comms, events, publicUrl: config.publicUrl };
    const statusPage: StatusPageOptions = {
      basePath: config.statusPageBasePath,
      url: config.statusPageUrl,
      exportDir: config.statusPageExportDir,
    };
    const worker = new Worker({
      store,
      clock: systemClock,
      handlers: [
        deliveryHandler(deps),
        reminderHandler(deps),
        confirmationHandler(deps),
        maintenanceStepHandler(deps),
        ...alertHandlers(deps),
        ...pagingHandlers(deps),
        actionReminderHandler(deps),
        maintenanceNoticeHandler(deps, pageUrlOf(config.publicUrl, statusPage)),
        postmortemNoticeHandler(deps, pageUrlOf(config.publicUrl, statusPage)),
        ...reviewHandlers(deps),
      ],
      leaseMs: config.jobLeaseSeconds * 1000,
      concurrency: 64,
      onError: (error) => logger.error({ err: error }, "background job failed"),
    });
    comms.poke = () => worker.poke();
    const app = await buildApp({ ...deps, setup, logger, statusPage, metricsPublic: config.metricsPublic });
    await app.listen({ port: config.port, host: config.host });
    worker.start();
    // Watchers that queue reminders when something comes due; each returns how many it queued.
    const watchers = [
      ["update cadence", checkCadence],
      ["action item reminders", checkActionItems],
      ["review reminders", checkReviews],
    ] as const;
    const cadence = setInterval(() => {
      for (const [name, check] of watchers) {
        check(deps)
          .then((queued) => queued > 0 && worker.poke())
          .catch((error) => logger.error({ err: error }, `${name} check failed`));
      }
    }, CADENCE_CHECK_MS);
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = config.env.RUNSHEET_PUBLIC_URL
      ? config.publicUrl
      : config.publicUrl.replace(/:\d+$/, `:${port}`);
    return {
      app,
      store,
      worker,
      url,
      setupCode,
      async close() {
        clearInterval(cadence);
        await app.close();
        await worker.stop();
        closeEmailTransports();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * `--port 0` asks for any free port. Links in messages need the real one, so
 * it is chosen before the app is built (unless RUNSHEET_PUBLIC_URL says where
 * people reach Runsheet anyway).
 */
async function withConcretePort(config: ServeConfig): Promise<ServeConfig> {
  if (config.port !== 0) return config;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, config.host, resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const publicUrl = config.env.RUNSHEET_PUBLIC_URL
    ? config.publicUrl
    : config.publicUrl.replace(/:\d+$/, `:${port}`);
  return { ...config, port, publicUrl };
}

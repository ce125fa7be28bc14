import pino from "pino";
import { FirstRunSetup } from "./auth/setup.ts";
import type { ServeConfig } from "./config.ts";
import { type App, buildApp, LOG_REDACT } from "./http/app.ts";
import { loadStartupPlan } from "./plan/versions.ts";
import { systemClock } from "./shared/clock.ts";
import { openStore, type Store } from "./store/open.ts";

export interface RunningServer {
  app: App;
  store: Store;
  url: string;
  setupCode: string | null;
  close(): Promise<void>;
}

/** Opens the store, loads the plan, and serves the API: what `runsheet serve` runs. */
export async function startServer(config: ServeConfig): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel, redact: LOG_REDACT });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const plans = await loadStartupPlan(store, systemClock, config.planFile);
    const setup = new FirstRunSetup();
    const setupCode = await setup.prepare(store);
    const app = await buildApp({
      store,
      plans,
      clock: systemClock,
      publicUrl: config.publicUrl,
      setup,
      logger,
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
    return {
      app,
      store,
      url,
      setupCode,
      async close() {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

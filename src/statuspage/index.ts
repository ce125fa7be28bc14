import { subscriberEmailChannel } from "../comms/subscribers.ts";
import type { Ctx } from "../context.ts";
import { writeExport } from "./export.ts";
import { normalizeBasePath } from "./links.ts";
import { loadSnapshot } from "./load.ts";
import type { PageSnapshot } from "./model.ts";
import { StatusPageSite } from "./site.ts";
import { syncStatusPage } from "./sync.ts";

/** The public status page: its site (rendered in memory), maintenances and the export. */
export interface StatusPageOptions {
  /** Where the page lives on this host: "/" (the default) or "/status". */
  basePath?: string | undefined;
  /** Its public URL, when it differs from Runsheet's public URL plus the base path (a CDN, another host). */
  url?: string | undefined;
  /** Re-export the static page into this folder after every change. */
  exportDir?: string | undefined;
}

export type StatusPageDeps = Pick<Ctx, "store" | "plans" | "clock" | "publicUrl" | "events">;

export function pageUrlOf(publicUrl: string, options: StatusPageOptions): string {
  if (options.url) return options.url.replace(/\/$/, "");
  return `${publicUrl.replace(/\/$/, "")}${normalizeBasePath(options.basePath ?? "/")}`.replace(/\/$/, "");
}

/** Reads the page's snapshot, first recording components the plan gained since the last change. */
export async function readSnapshot(deps: StatusPageDeps, pageUrl: string): Promise<PageSnapshot> {
  const read = () =>
    loadSnapshot({
      db: deps.store.db,
      plan: deps.plans.current().plan,
      now: deps.clock.now(),
      pageUrl,
      emailSubscriptions: subscriberEmailChannel(deps) !== undefined,
    });
  const snapshot = await read();
  if (snapshot.components.some((c) => c.startDate === null)) {
    const at = deps.clock.now().toISOString();
    await deps.store.transaction((tx) => syncStatusPage(deps, tx, at));
    return read();
  }
  return snapshot;
}

export interface StatusPage {
  site: StatusPageSite;
  pageUrl: string;
  /** Stops following changes. */
  stop(): void;
}

const TICK_MS = 30_000;

/**
 * Builds the site and keeps it current: every incident change (except
 * delivery progress), every page change and a tick every 30 seconds (time
 * moves: maintenances start, days roll over, a lost database is noticed).
 */
export async function startStatusPage(
  deps: StatusPageDeps,
  options: StatusPageOptions,
  log: { error(obj: unknown, msg: string): void } = { error() {} },
): Promise<StatusPage> {
  const pageUrl = pageUrlOf(deps.publicUrl, options);
  let exporting = Promise.resolve();
  const site = new StatusPageSite({
    basePath: options.basePath ?? "/",
    publicUrl: deps.publicUrl,
    load: () => readSnapshot(deps, pageUrl),
    onError: (error) =>
      log.error({ err: error }, "status page: could not read the store; serving the last rendering"),
    onRendered: options.exportDir
      ? (snapshot) => {
          const dir = options.exportDir as string;
          exporting = exporting
            .then(() => writeExport(dir, site.exportFilesFor(snapshot)))
            .then(() => undefined)
            .catch((error) => log.error({ err: error }, "status page: export failed"));
        }
      : undefined,
  });
  await site.refresh();
  const refresh = () => {
    void site.refresh();
  };
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.kind !== "delivery") refresh();
  });
  const unsubscribePage = deps.events.onPageChange(refresh);
  const tick = setInterval(refresh, TICK_MS);
  tick.unref();
  return {
    site,
    pageUrl,
    stop() {
      clearInterval(tick);
      unsubscribe();
      unsubscribePage();
    },
  };
}

export { StatusPageSite } from "./site.ts";
export { syncStatusPage } from "./sync.ts";

import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { exportLinks, historyKey, type Links, servedLinks } from "./links.ts";
import type { PageSnapshot } from "./model.ts";
import { renderBadge } from "./render/badge.ts";
import { renderAtom, renderRss } from "./render/feeds.ts";
import {
  pageCsp,
  renderHistoryPage,
  renderHomePage,
  renderIncidentPage,
  renderNotFoundPage,
  renderSubscribePage,
} from "./render/html.ts";
import { renderV2, V2_PATHS } from "./render/v2.ts";
import { renderWidgetScript } from "./render/widget.ts";

/**
 * The public status page as bytes in memory. A change (an event, or the
 * periodic tick) starts one refresh: read a snapshot, render the hot files,
 * compress each once (gzip and brotli) and swap them in. Changes arriving
 * during a refresh make exactly one more (single flight), so a burst of
 * changes costs at most two. Visitors are served from memory only, with ETags
 * and 304s; rarer pages (one incident, an old history page, a component's
 * badge) are rendered from the snapshot in memory on first request.
 *
 * When the store cannot be read, the last good snapshot stays up, marked
 * stale with the time it was read, so the page says how fresh it is.
 */
type Encoding = "identity" | "gzip" | "br";

/**
 * One file in three encodings, each with its headers made once, so serving
 * allocates nothing. The compressed copies are made on first request (once per
 * rendering), so a refresh costs a render, not ten compressions nobody asked for.
 */
interface Variant {
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
}

export interface Asset {
  status: number;
  variant(encoding: Encoding): Variant;
}

export interface ServeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

export interface SiteOptions {
  load(): Promise<PageSnapshot>;
  /** "/" or "/status/". */
  basePath: string;
  /** The running Runsheet, for the export's subscribe form. */
  publicUrl: string;
  onError?(error: unknown): void;
  /** Called after each rendering (the re-export on change hooks in here). */
  onRendered?(snapshot: PageSnapshot): void;
}

const CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=60";
const LAZY_LIMIT = 2_000;

const TYPES = {
  html: "text/html; charset=utf-8",
  json: "application/json; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  svg: "image/svg+xml",
  js: "text/javascript; charset=utf-8",
} as const;

const CORS = { "access-control-allow-origin": "*" };

export class StatusPageSite {
  readonly #options: SiteOptions;
  readonly #links: Links;
  readonly #base: string;
  #snapshot: PageSnapshot | null = null;
  #assets = new Map<string, Asset>();
  #lazy = new Map<string, Asset>();
  #running: Promise<void> | null = null;
  #again = false;
  #lastError: unknown = null;

  constructor(options: SiteOptions) {
    this.#options = options;
    this.#links = servedLinks(options.basePath);
    this.#base = this.#links.page("");
  }

  get basePath(): string {
    return this.#base;
  }

  snapshot(): PageSnapshot | null {
    return this.#snapshot;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  /** Starts a refresh, or asks the running one to go again; resolves when the page is current. */
  refresh(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#refreshOnce();
        } while (this.#again);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Resolves once no refresh is running (tests and the export wait on this). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #refreshOnce(): Promise<void> {
    let snapshot: PageSnapshot;
    try {
      snapshot = await this.#options.load();
      this.#lastError = null;
    } catch (error) {
      this.#lastError = error;
      this.#options.onError?.(error);
      const previous = this.#snapshot;
      if (!previous || previous.stale) return;
      snapshot = { ...previous, stale: { since: previous.generatedAt } };
    }
    this.#install(snapshot);
    this.#options.onRendered?.(snapshot);
  }

  #install(snapshot: PageSnapshot): void {
    const links = this.#links;
    const csp = pageCsp(snapshot.page);
    const html = (body: string, status = 200) => asset(status, TYPES.html, body, htmlHeaders(csp));
    const assets = new Map<string, Asset>();
    assets.set("", html(renderHomePage(snapshot, links)));
    assets.set("history", html(renderHistoryPage(snapshot, links, 1) ?? ""));
    assets.set("subscribe", html(renderSubscribePage(snapshot, links)));
    assets.set("404", html(renderNotFoundPage(snapshot, links), 404));
    const bodies = renderV2(snapshot) as Record<string, unknown>;
    for (const path of V2_PATHS) assets.set(path, asset(200, TYPES.json, JSON.stringify(bodies[path]), CORS));
    assets.set("history.rss", asset(200, TYPES.rss, renderRss(snapshot, links), CORS));
    assets.set("history.atom", asset(200, TYPES.atom, renderAtom(snapshot, links), CORS));
    assets.set("badge.svg", asset(200, TYPES.svg, renderBadge(snapshot) ?? "", SVG_HEADERS));
    assets.set("widget.js", asset(200, TYPES.js, renderWidgetScript(), CORS));
    this.#snapshot = snapshot;
    this.#assets = assets;
    this.#lazy = new Map();
  }

  /**
   * Answers a GET or HEAD for a path under the base path, or returns null when
   * the path is not the status page's (the API, the web app, forms).
   */
  lookup(
    method: string,
    url: string,
    headers: Record<string, string | string[] | undefined>,
  ): ServeResponse | null {
    if (method !== "GET" && method !== "HEAD") return null;
    const key = this.keyOf(url);
    if (key === null) return null;
    const found = this.#find(key);
    if (!found) {
      if (!this.#snapshot) return unavailable();
      return null;
    }
    return respond(found, method, headers);
  }

  /** The page's 404, for paths under the base path that are nobody's. */
  notFound(method: string, headers: Record<string, string | string[] | undefined>): ServeResponse {
    const found = this.#assets.get("404");
    return found ? respond(found, method, headers) : unavailable();
  }

  /** The key ("", "history/2", "api/v2/summary.json", "badge/web-app.svg") of a URL under the base path, or null. */
  keyOf(url: string): string | null {
    const queryAt = url.indexOf("?");
    let path = queryAt === -1 ? url : url.slice(0, queryAt);
    if (path === this.#base.slice(0, -1)) path = this.#base;
    if (!path.startsWith(this.#base)) return null;
    let key = path.slice(this.#base.length);
    if (key.endsWith("/")) key = key.slice(0, -1);
    if (key === "badge.svg" && queryAt !== -1) {
      const component = new URLSearchParams(url.slice(queryAt + 1)).get("component");
      if (component) return `badge/${component}.svg`;
    }
    return key;
  }

  #find(key: string): Asset | undefined {
    const hot = this.#assets.get(key);
    if (hot) return hot;
    const cached = this.#lazy.get(key);
    if (cached) return cached;
    const snapshot = this.#snapshot;
    if (!snapshot) return undefined;
    const rendered = renderLazy(snapshot, this.#links, key);
    if (rendered === undefined) return undefined;
    const made =
      rendered.type === TYPES.svg
        ? asset(200, rendered.type, rendered.body, SVG_HEADERS)
        : asset(200, rendered.type, rendered.body, htmlHeaders(pageCsp(snapshot.page)));
    if (this.#lazy.size >= LAZY_LIMIT) this.#lazy.clear();
    this.#lazy.set(key, made);
    return made;
  }

  /** Every file of the page, as the static export writes them (relative links, index.html files). */
  exportFiles(): Map<string, string> {
    const snapshot = this.#snapshot;
    if (!snapshot) throw new Error("The status page has not been rendered yet.");
    return this.exportFilesFor(snapshot);
  }

  exportFilesFor(snapshot: PageSnapshot): Map<string, string> {
    return exportFilesOf(snapshot, this.#options.publicUrl);
  }
}

/** The pages rendered on first request: an incident, an older history page, a component's badge. */
function renderLazy(
  snapshot: PageSnapshot,
  links: Links,
  key: string,
): { type: string; body: string } | undefined {
  let match = /^incidents\/([0-9a-f-]{36})$/.exec(key);
  if (match?.[1]) {
    const body = renderIncidentPage(snapshot, links, match[1]);
    return body === null ? undefined : { type: TYPES.html, body };
  }
  match = /^history\/([0-9]{1,4})$/.exec(key);
  if (match?.[1]) {
    const body = renderHistoryPage(snapshot, links, Number(match[1]));
    return body === null ? undefined : { type: TYPES.html, body };
  }
  match = /^badge\/([a-z0-9][a-z0-9_-]{0,62})\.svg$/.exec(key);
  if (match?.[1]) {
    const body = renderBadge(snapshot, match[1]);
    return body === null ? undefined : { type: TYPES.svg, body };
  }
  return undefined;
}

export function exportFilesOf(snapshot: PageSnapshot, publicUrl: string): Map<string, string> {
  const files = new Map<string, string>();
  const page = (key: string, render: (links: Links) => string | null) => {
    const body = render(exportLinks(key, publicUrl));
    if (body !== null) files.set(key === "" ? "index.html" : `${key}/index.html`, body);
  };
  page("", (links) => renderHomePage(snapshot, links));
  page("subscribe", (links) => renderSubscribePage(snapshot, links));
  for (let n = 1; ; n++) {
    const key = historyKey(n);
    const body = renderHistoryPage(snapshot, exportLinks(key, publicUrl), n);
    if (body === null) break;
    files.set(`${key}/index.html`, body);
  }
  for (const item of [...snapshot.incidents, ...snapshot.maintenances]) {
    page(`incidents/${item.id}`, (links) => renderIncidentPage(snapshot, links, item.id));
  }
  files.set("404.html", renderNotFoundPage(snapshot, exportLinks("", publicUrl)));
  const bodies = renderV2(snapshot) as Record<string, unknown>;
  for (const path of V2_PATHS) files.set(path, JSON.stringify(bodies[path]));
  files.set("history.rss", renderRss(snapshot, exportLinks("", publicUrl)));
  files.set("history.atom", renderAtom(snapshot, exportLinks("", publicUrl)));
  files.set("badge.svg", renderBadge(snapshot) ?? "");
  for (const component of snapshot.components) {
    files.set(`badge/${component.id}.svg`, renderBadge(snapshot, component.id) ?? "");
  }
  files.set("widget.js", renderWidgetScript());
  return files;
}

const SVG_HEADERS = { ...CORS, "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'" };

function htmlHeaders(csp: string): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
  };
}

function asset(status: number, type: string, text: string, extra: Record<string, string>): Asset {
  const body = Buffer.from(text);
  const hash = createHash("sha256").update(body).digest("base64url").slice(0, 27);
  const base = { "content-type": type, "cache-control": CACHE_CONTROL, vary: "Accept-Encoding", ...extra };
  const make = (encoding: Encoding): Variant => {
    const bytes = encoding === "identity" ? body : encoding === "gzip" ? gzipSync(body) : brotli(body);
    const etag = `"${hash}${encoding === "identity" ? "" : `-${encoding}`}"`;
    const headers: Record<string, string> = { ...base, etag, "content-length": String(bytes.length) };
    if (encoding !== "identity") headers["content-encoding"] = encoding;
    return { body: bytes, etag, headers };
  };
  const made: Partial<Record<Encoding, Variant>> = { identity: make("identity") };
  return {
    status,
    variant(encoding) {
      let found = made[encoding];
      if (!found) {
        found = make(encoding);
        made[encoding] = found;
      }
      return found;
    },
  };
}

/** Quality 6: within a few percent of the smallest, at a fraction of quality 11's time. */
function brotli(body: Buffer): Buffer {
  return brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 6,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

/** Picks the encoding, answers 304 when the client has it, and leaves the body out of HEAD. */
export function respond(
  found: Asset,
  method: string,
  headers: Record<string, string | string[] | undefined>,
): ServeResponse {
  const accept = header(headers, "accept-encoding");
  const encoding: Encoding = accept.includes("br") ? "br" : accept.includes("gzip") ? "gzip" : "identity";
  const variant = found.variant(encoding);
  const match = headers["if-none-match"];
  if (
    match !== undefined &&
    found.status === 200 &&
    matches(header(headers, "if-none-match"), variant.etag)
  ) {
    return { status: 304, headers: variant.headers, body: null };
  }
  return { status: found.status, headers: variant.headers, body: method === "HEAD" ? null : variant.body };
}

function matches(ifNoneMatch: string, etag: string): boolean {
  return ifNoneMatch === "*" || ifNoneMatch.split(",").some((tag) => tag.trim() === etag);
}

function unavailable(): ServeResponse {
  const body = Buffer.from("The status page is starting; try again in a few seconds.\n");
  return {
    status: 503,
    headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5", "cache-control": "no-store" },
    body,
  };
}

import path from "node:path/posix";

/**
 * Where the status page's pages and files are, as links from one page. The
 * served page links by absolute path under the configured base path
 * ("/history", "/status/history"); the static export links relatively with
 * explicit file names ("../history/index.html"), so it opens from disk and
 * works on any static host.
 *
 * A page is named by its key: "" (home), "history", "history/2",
 * "incidents/{id}", "subscribe". Files keep their names: "history.rss",
 * "history.atom", "badge.svg", "api/v2/summary.json".
 */
export interface Links {
  /** Link to a page by its key. */
  page(key: string): string;
  /** Link to a file such as "history.rss" or "badge.svg". */
  file(name: string): string;
  /** Where the subscribe form posts: the running Runsheet, absolute in the export. */
  subscribeAction: string;
}

export function historyKey(page: number): string {
  return page <= 1 ? "history" : `history/${page}`;
}

export function incidentKey(id: string): string {
  return `incidents/${id}`;
}

/** Links as the server serves them: absolute paths under `basePath` ("/" or "/status/"). */
export function servedLinks(basePath: string): Links {
  const base = normalizeBasePath(basePath);
  return {
    page: (key) => (key === "" ? base : `${base}${key}`),
    file: (name) => `${base}${name}`,
    subscribeAction: `${base}subscribe`,
  };
}

/** Links from the exported page with key `from`, relative, naming index.html files. */
export function exportLinks(from: string, publicUrl: string): Links {
  const dir = from === "" ? "." : from;
  const rel = (target: string) => {
    const out = path.relative(dir, target);
    return out === "" ? "./" : out;
  };
  return {
    page: (key) => rel(key === "" ? "index.html" : `${key}/index.html`),
    file: (name) => rel(name),
    subscribeAction: `${publicUrl.replace(/\/$/, "")}/subscribe`,
  };
}

/** The file an exported page is written to. */
export function exportFileOf(key: string): string {
  return key === "" ? "index.html" : `${key}/index.html`;
}

/** "/", "/status/": always a leading and a trailing slash. */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : `/${trimmed}/`;
}

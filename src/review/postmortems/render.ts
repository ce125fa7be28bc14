import { createHash } from "node:crypto";
import { escapeHtml } from "../../shared/html.ts";
import { renderMarkdown } from "../../shared/markdown.ts";

/**
 * Postmortems as HTML: their Markdown rendered once per text, and the
 * standalone document of the export, which carries its own strict CSP so it
 * is safe wherever it is opened.
 */

/**
 * Rendered HTML by content. A large, markup-heavy postmortem takes the best
 * part of a second to render and sanitize, so each text is rendered once; the
 * status page (on every refresh), the API and the exports then share it.
 * Bounded by the characters kept, least recently used out first.
 */
const MAX_REMEMBERED_CHARS = 16_000_000;
const remembered = new Map<string, string>();
let rememberedChars = 0;

export function renderPostmortemMarkdown(markdown: string): string {
  const key = createHash("sha256").update(markdown).digest("base64");
  const cached = remembered.get(key);
  if (cached !== undefined) {
    remembered.delete(key);
    remembered.set(key, cached);
    return cached;
  }
  const html = renderMarkdown(markdown);
  remembered.set(key, html);
  rememberedChars += html.length;
  for (const [oldKey, oldHtml] of remembered) {
    if (rememberedChars <= MAX_REMEMBERED_CHARS || oldKey === key) break;
    remembered.delete(oldKey);
    rememberedChars -= oldHtml.length;
  }
  return html;
}

const CSS = `:root{color-scheme:light dark;--fg:#1a1d21;--bg:#fff;--muted:#5b636e;--border:#d6dae0;--soft:#f3f5f7}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#15181c;--muted:#9aa3ad;--border:#343a42;--soft:#1e2227}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:46rem;margin:0 auto;padding:2rem 1.25rem 4rem}
.meta{color:var(--muted);font-size:.875rem;margin:0 0 1.5rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--border)}
h3,h4{font-size:1.05rem;margin:1.5rem 0 .5rem}
a{color:inherit}
img{max-width:100%;height:auto}
pre{overflow-x:auto;background:var(--soft);padding:.75rem;border-radius:.375rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
blockquote{margin:0 0 1rem;padding-left:1rem;border-left:3px solid var(--border);color:var(--muted)}
table{border-collapse:collapse;display:block;overflow-x:auto;margin:0 0 1rem}
th,td{border:1px solid var(--border);padding:.35rem .6rem;text-align:left}
@media print{body{background:#fff;color:#000}main{max-width:none;padding:0}a{text-decoration:none}}`;

const CSS_HASH = createHash("sha256").update(CSS).digest("base64");

/** The policy of an exported document: its one stylesheet, images over http(s), nothing else. */
export const EXPORT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${CSS_HASH}'`,
  "img-src https: http:",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** A standalone HTML document around already-sanitized HTML. */
export function postmortemDocument(p: {
  title: string;
  meta: string;
  heading?: string;
  html: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(EXPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${p.heading ? `<h1>${escapeHtml(p.heading)}</h1>\n` : ""}<p class="meta">${escapeHtml(p.meta)}</p>
<article>
${p.html}
</article>
</main>
</body>
</html>
`;
}

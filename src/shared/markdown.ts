import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./html.ts";

/**
 * Markdown → HTML that is safe to put in any page Runsheet serves: the web
 * app, the public status page (strict CSP, no script) and exported files.
 *
 * `marked` turns Markdown (GitHub flavoured) into HTML and lets raw HTML
 * through, as Markdown does; `sanitize-html` then keeps only an allow-list of
 * tags and attributes. Links keep only http(s), mailto and in-page `#` targets
 * and always carry rel="noopener noreferrer nofollow"; images keep only
 * absolute http(s) sources. No script, style, frames, forms, event handlers or
 * `style` attributes survive, whatever the input. The web app never renders
 * Markdown itself: the API sends both the Markdown and this HTML.
 */

/** The longest Markdown document Runsheet keeps (a postmortem), in characters. */
export const MARKDOWN_MAX = 200_000;

const LINK_REL = "noopener noreferrer nofollow";
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const IMAGE_PROTOCOLS = new Set(["http:", "https:"]);

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** An absolute URL with one of the protocols, as the browser would read it, or undefined. */
function absoluteUrl(raw: string | undefined, protocols: Set<string>): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    // The WHATWG parser is what browsers use: it strips the tabs, newlines and
    // control characters that `java\tscript:` tricks rely on, and lower-cases the scheme.
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return protocols.has(url.protocol) ? url.href : undefined;
}

function linkHref(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (value === undefined || value === "") return undefined;
  // A jump within the document (a heading's anchor): no scheme, nowhere else to go.
  if (value.startsWith("#")) return value;
  return absoluteUrl(value, LINK_PROTOCOLS);
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "s",
    "sup",
    "sub",
    "kbd",
    "mark",
    "abbr",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "details",
    "summary",
    // GitHub task lists: marked writes a disabled checkbox; only that survives (see transformTags).
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title", "width", "height", "loading", "referrerpolicy"],
    th: ["align", "colspan", "rowspan"],
    td: ["align", "colspan", "rowspan"],
    ol: ["start"],
    abbr: ["title"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  allowedStyles: {},
  allowVulnerableTags: false,
  disallowedTagsMode: "discard",
  // Their text is code or markup, never prose: drop it with the tag.
  nonTextTags: [
    "script",
    "style",
    "textarea",
    "option",
    "noscript",
    "iframe",
    "object",
    "embed",
    "template",
    "svg",
    "math",
    "title",
    "select",
  ],
  transformTags: {
    a: (tagName, attribs) => {
      const href = linkHref(attribs.href);
      const kept: sanitizeHtml.Attributes = {};
      if (href !== undefined) {
        kept.href = href;
        if (!href.startsWith("#")) kept.rel = LINK_REL;
      }
      if (attribs.title !== undefined) kept.title = attribs.title;
      return { tagName, attribs: kept };
    },
    img: (tagName, attribs) => {
      const src = absoluteUrl(attribs.src, IMAGE_PROTOCOLS);
      const kept: sanitizeHtml.Attributes = {};
      if (src !== undefined) {
        kept.src = src;
        kept.loading = "lazy";
        kept.referrerpolicy = "no-referrer";
      }
      for (const name of ["alt", "title", "width", "height"]) {
        const value = attribs[name];
        if (value !== undefined && (name === "alt" || name === "title" || /^\d{1,5}$/.test(value))) {
          kept[name] = value;
        }
      }
      return { tagName, attribs: kept };
    },
    input: (tagName, attribs) => ({
      tagName,
      attribs: {
        type: (attribs.type ?? "").toLowerCase(),
        disabled: "",
        ...(attribs.checked !== undefined ? { checked: "" } : {}),
      },
    }),
  },
  // An image without a usable source, or an input that was not a task list's checkbox, goes entirely.
  exclusiveFilter: (frame) =>
    (frame.tag === "img" && !frame.attribs.src) ||
    (frame.tag === "input" && frame.attribs.type !== "checkbox"),
};

/** Any HTML, reduced to the allow-list above. */
export function sanitizeMarkdownHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/**
 * Markdown as sanitized HTML. Never throws: Markdown the parser cannot take
 * (nesting thousands deep exhausts its stack) is shown as the text it is.
 */
export function renderMarkdown(markdown: string): string {
  let html: string;
  try {
    html = marked.parse(markdown, { async: false });
  } catch {
    return `<pre>${escapeHtml(markdown)}</pre>`;
  }
  return sanitizeMarkdownHtml(html);
}

import { escapeHtml, safeHref } from "../../shared/html.ts";

/**
 * The embeddable status widget: customers paste a link and a script tag; the
 * script (served as /widget.js) turns each such link into "● All Systems
 * Operational", read from the page's public status.json. Without JavaScript,
 * or when the fetch fails, the plain "Status" link stays, so the snippet never
 * breaks the host page. Text goes in as text nodes only: the host page trusts
 * this script, so it must never turn a fetched string into markup.
 */

const WIDGET_SCRIPT = `/* Runsheet status widget */
(function () {
  "use strict";
  var COLORS = { none: "#1a7f37", minor: "#9a6700", major: "#bc4c00", critical: "#cf222e" };
  var UNKNOWN = "#6e7781";

  function baseUrl(value) {
    var url;
    try {
      url = new URL(value, document.baseURI);
    } catch (error) {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.href.replace(/\\/+$/, "");
  }

  function show(element, base, status) {
    var link = element;
    if (element.tagName !== "A") {
      link = document.createElement("a");
      while (element.firstChild) element.removeChild(element.firstChild);
      element.appendChild(link);
    }
    link.href = base;
    while (link.firstChild) link.removeChild(link.firstChild);
    var dot = document.createElement("span");
    dot.setAttribute("aria-hidden", "true");
    dot.style.display = "inline-block";
    dot.style.width = "0.6em";
    dot.style.height = "0.6em";
    dot.style.borderRadius = "50%";
    dot.style.marginRight = "0.4em";
    dot.style.verticalAlign = "middle";
    dot.style.backgroundColor = Object.prototype.hasOwnProperty.call(COLORS, status.indicator)
      ? COLORS[status.indicator]
      : UNKNOWN;
    link.appendChild(dot);
    link.appendChild(document.createTextNode(String(status.description).slice(0, 120)));
    link.setAttribute("data-runsheet-indicator", String(status.indicator));
  }

  function load(element) {
    if (element.getAttribute("data-runsheet-loaded") === "true") return;
    element.setAttribute("data-runsheet-loaded", "true");
    var base = baseUrl(element.getAttribute("data-runsheet-status") || "");
    if (base === null) return;
    fetch(base + "/api/v2/status.json", { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (body) {
        var status = body && body.status;
        if (!status || typeof status.description !== "string") return;
        show(element, base, status);
      })
      .catch(function () {
        /* keep the plain link */
      });
  }

  function init() {
    var elements = document.querySelectorAll("[data-runsheet-status]");
    for (var i = 0; i < elements.length; i++) load(elements[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
`;

/** The script served as `/widget.js` (as `application/javascript`, cacheable, CORS open). */
export function renderWidgetScript(): string {
  return WIDGET_SCRIPT;
}

/** What a customer pastes into their site to show the page's status. */
export function widgetSnippet(pageUrl: string): string {
  const href = safeHref(pageUrl);
  if (href === undefined) throw new Error(`the status page URL must be http(s): "${pageUrl}"`);
  const url = new URL(href);
  const base = escapeHtml(`${url.origin}${url.pathname}`.replace(/\/+$/, ""));
  return `<a data-runsheet-status="${base}" href="${base}">Status</a><script async src="${base}/widget.js"></script>`;
}

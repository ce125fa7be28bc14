import { escapeHtml } from "../../shared/html.ts";
import type { ComponentStatus, Indicator, PageSnapshot } from "../model.ts";

/**
 * Status badges as flat SVG (the look of shields.io badges), for READMEs and
 * intranet pages: "status | all systems operational" for the page, or
 * "<component> | partial outage" for one component. Colours keep white text
 * at 4.5:1 contrast or more, and the text is also the image's accessible name.
 */

const LABEL_COLOR = "#555555";

const PAGE_STATES: Record<Indicator, { text: string; color: string }> = {
  none: { text: "all systems operational", color: "#1a7f37" },
  minor: { text: "minor outage", color: "#9a6700" },
  major: { text: "partial outage", color: "#bc4c00" },
  critical: { text: "major outage", color: "#cf222e" },
};

const COMPONENT_STATES: Record<ComponentStatus, { text: string; color: string }> = {
  operational: { text: "operational", color: "#1a7f37" },
  degraded_performance: { text: "degraded", color: "#9a6700" },
  partial_outage: { text: "partial outage", color: "#bc4c00" },
  major_outage: { text: "major outage", color: "#cf222e" },
  under_maintenance: { text: "maintenance", color: "#0969da" },
};

/** Longer component names are cut, so a badge stays a badge. */
const MAX_LABEL_CHARS = 40;
const PADDING = 6;
const HEIGHT = 20;

/** The page's badge, or a component's; null when there is no component with that id. */
export function renderBadge(snapshot: PageSnapshot, componentId?: string): string | null {
  if (componentId === undefined) {
    const state = PAGE_STATES[snapshot.status.indicator] ?? PAGE_STATES.none;
    return badgeSvg("status", state.text, state.color);
  }
  const component = snapshot.components.find((candidate) => candidate.id === componentId);
  if (!component) return null;
  const state = COMPONENT_STATES[component.status];
  return badgeSvg(truncate(component.name) || truncate(component.id), state.text, state.color);
}

function badgeSvg(label: string, message: string, color: string): string {
  const labelText = textWidth(label);
  const messageText = textWidth(message);
  const labelWidth = labelText + 2 * PADDING;
  const messageWidth = messageText + 2 * PADDING;
  const width = labelWidth + messageWidth;
  const name = escapeHtml(`${label}: ${message}`);
  const l = escapeHtml(label);
  const m = escapeHtml(message);
  const labelX = round(labelWidth / 2);
  const messageX = round(labelWidth + messageWidth / 2);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" role="img" aria-label="${name}">`,
    `<title>${name}</title>`,
    '<linearGradient id="runsheet-badge-shine" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="runsheet-badge-round"><rect width="${width}" height="${HEIGHT}" rx="3" fill="#fff"/></clipPath>`,
    '<g clip-path="url(#runsheet-badge-round)">',
    `<rect width="${labelWidth}" height="${HEIGHT}" fill="${LABEL_COLOR}"/>`,
    `<rect x="${labelWidth}" width="${messageWidth}" height="${HEIGHT}" fill="${color}"/>`,
    `<rect width="${width}" height="${HEIGHT}" fill="url(#runsheet-badge-shine)"/>`,
    "</g>",
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" aria-hidden="true">',
    `<text x="${labelX}" y="15" fill="#010101" fill-opacity=".3" textLength="${labelText}">${l}</text>`,
    `<text x="${labelX}" y="14" textLength="${labelText}">${l}</text>`,
    `<text x="${messageX}" y="15" fill="#010101" fill-opacity=".3" textLength="${messageText}">${m}</text>`,
    `<text x="${messageX}" y="14" textLength="${messageText}">${m}</text>`,
    "</g>",
    "</svg>",
  ].join("");
}

/** Characters XML 1.0 cannot carry, so the badge stays well-formed whatever the name holds. */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function truncate(text: string): string {
  const chars = Array.from(text.replace(ILLEGAL_XML, "").replace(/\s+/g, " ").trim());
  return chars.length <= MAX_LABEL_CHARS
    ? chars.join("")
    : `${chars.slice(0, MAX_LABEL_CHARS - 1).join("")}…`;
}

const NARROW = new Set("ijlI.,:;|!'`()[]{} ");
const SEMI_NARROW = new Set('frtJ-/\\"');
const WIDE = new Set("mwMW@%");

/** Approximate width in pixels of Verdana 11px; textLength makes the text fit it exactly. */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (NARROW.has(char)) width += 3.7;
    else if (SEMI_NARROW.has(char)) width += 4.6;
    else if (WIDE.has(char)) width += 10;
    else if (char >= "A" && char <= "Z") width += 7.5;
    else if ((char.codePointAt(0) ?? 0) > 0x2e80) width += 11;
    else width += 6.8;
  }
  return Math.ceil(width);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

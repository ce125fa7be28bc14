import { durationInWords } from "../../plan/duration.ts";
import { formatTime } from "../../statuspage/render/html-format.ts";
import type { PostmortemFacts } from "./facts.ts";

/**
 * The first draft of a blameless postmortem, as Markdown: one `## Title` per
 * section of the plan's template, each with its prompt as an HTML comment
 * (seen while writing, never rendered), and prefilled where the incident
 * knows the answer. Only facts go in: times, durations, components, who held
 * which role, what was logged and sent. No name is attached to a fault;
 * causes are left for the people writing it to describe as conditions.
 */
export interface DraftSection {
  id: string;
  title: string;
  prompt?: string | undefined;
}

const KIND_WORDS: Record<string, string> = {
  declared: "Declared",
  change: "Change",
  decision: "Decision",
  fix: "Fix",
  note: "Note",
  status_changed: "Status",
  reopened: "Reopened",
  severity_changed: "Severity",
  components_changed: "Components",
};

const DETECTED_WORDS: Record<PostmortemFacts["incident"]["detectedBy"], string> = {
  monitoring: "Detected by monitoring",
  customer: "Reported by a customer",
  employee: "Noticed by an employee",
};

export function draftPostmortem(facts: PostmortemFacts, sections: readonly DraftSection[]): string {
  const { incident } = facts;
  const fill: Record<string, (f: PostmortemFacts) => string[]> = {
    summary: summarySection,
    impact: impactSection,
    detection: detectionSection,
    response: (f) =>
      responseSection(f, !sections.some((s) => s.id === "communications" || s.id === "communication")),
    recovery: recoverySection,
    timeline: timelineSection,
    communications: communicationsSection,
    communication: communicationsSection,
    "action-items": actionItemsSection,
  };
  const parts = [
    `# Postmortem: ${inline(incident.title)} (${incident.reference})`,
    "",
    comment(
      "Blameless: describe what happened and the conditions that allowed it — systems, signals, decisions as they looked at the time — not who is to blame.",
    ),
  ];
  for (const section of sections) {
    parts.push("", `## ${inline(section.title)}`, "");
    if (section.prompt) parts.push(comment(section.prompt), "");
    const lines = fill[section.id]?.(facts) ?? [];
    if (lines.length > 0) parts.push(...lines, "");
  }
  return `${parts
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function summarySection(f: PostmortemFacts): string[] {
  const { incident } = f;
  const lines = [
    `**${inline(incident.title)}** (${incident.reference}) · ${inline(incident.severity.name)}${incident.drill ? " · drill" : ""}`,
  ];
  if (incident.summary?.trim()) lines.push("", incident.summary.trim());
  const until = incident.resolvedAt;
  lines.push(
    "",
    until
      ? `Impact started ${at(f, incident.impactStartedAt)}; the incident was resolved ${at(f, until)}, ${since(incident.impactStartedAt, until)} later.`
      : `Impact started ${at(f, incident.impactStartedAt)}; the incident is not resolved yet (${incident.status}).`,
  );
  return lines;
}

function impactSection(f: PostmortemFacts): string[] {
  const { incident, paging } = f;
  const lines: string[] = [];
  if (f.components.length > 0) {
    lines.push("Affected components:", "");
    for (const c of f.components) lines.push(`- ${inline(c.name)}: ${c.impact.replaceAll("_", " ")}`);
  } else {
    lines.push("No components were recorded as affected.");
  }
  const start = incident.impactStartedAt;
  const row = (what: string, time: string | null, missing: string) =>
    time ? `| ${what} | ${at(f, time)} | ${since(start, time)} |` : `| ${what} | ${missing} | — |`;
  lines.push(
    "",
    "| Milestone | Time | Since impact started |",
    "| --- | --- | --- |",
    `| Impact started | ${at(f, start)} | — |`,
    row("Detected (declared)", incident.declaredAt, "not recorded"),
    row(
      "First page acknowledged",
      paging.firstAckAt,
      paging.firstPageAt ? "not acknowledged" : "nobody was paged",
    ),
    row("Mitigated (monitoring)", incident.monitoringAt, incident.resolvedAt ? "not recorded" : "not yet"),
    row("Resolved", incident.resolvedAt, "not yet"),
  );
  return lines;
}

function detectionSection(f: PostmortemFacts): string[] {
  const { incident, alerts } = f;
  const lines = [
    `${DETECTED_WORDS[incident.detectedBy]}, ${since(incident.impactStartedAt, incident.declaredAt)} after impact started (declared ${at(f, incident.declaredAt)}).`,
  ];
  if (alerts.first) {
    const from = [alerts.first.integration, alerts.first.source]
      .filter((part): part is string => Boolean(part))
      .map(inline)
      .join(", ");
    const more = alerts.count - 1;
    lines.push(
      "",
      `Alert: "${inline(alerts.first.summary)}"${from ? ` from ${from}` : ""}, first seen ${at(f, alerts.first.firstSeenAt)}${more > 0 ? `; ${more} more alert${more === 1 ? "" : "s"} joined the incident` : ""}.`,
    );
  }
  return lines;
}

function responseSection(f: PostmortemFacts, withCommunications: boolean): string[] {
  const lines: string[] = [];
  const held = f.roles.filter((r) => r.holders.length > 0);
  if (held.length > 0) {
    lines.push("Roles:", "");
    for (const role of held) {
      const holders = role.holders
        .map((h) => `${inline(h.name)} (from ${at(f, h.from)}${h.to ? ` to ${at(f, h.to)}` : ""})`)
        .join(", then ");
      lines.push(`- ${inline(role.name)}${role.lead ? " (lead)" : ""}: ${holders}`);
    }
  }
  const vacant = f.roles.filter((r) => r.holders.length === 0).map((r) => inline(r.name));
  if (vacant.length > 0) lines.push("", `Not filled: ${vacant.join(", ")}.`);
  const { firstPageAt, firstAckAt } = f.paging;
  if (firstPageAt) {
    lines.push(
      "",
      firstAckAt
        ? `The first page went out ${at(f, firstPageAt)} and was acknowledged ${at(f, firstAckAt)}, ${since(firstPageAt, firstAckAt)} later.`
        : `The first page went out ${at(f, firstPageAt)}; no page was acknowledged.`,
    );
  }
  if (withCommunications) {
    const comms = communicationsSection(f);
    if (comms.length > 0) lines.push("", "### Communications", "", ...comms);
  }
  return lines;
}

function recoverySection(f: PostmortemFacts): string[] {
  const { incident } = f;
  const lines: string[] = [];
  if (incident.monitoringAt) {
    lines.push(
      `Mitigated ${at(f, incident.monitoringAt)} (monitoring), ${since(incident.impactStartedAt, incident.monitoringAt)} after impact started.`,
    );
  }
  if (incident.resolvedAt) {
    if (lines.length > 0) lines.push("");
    lines.push(
      `Resolved ${at(f, incident.resolvedAt)}, ${since(incident.impactStartedAt, incident.resolvedAt)} after impact started.`,
    );
  }
  const finals = f.timeline.filter((e) => e.kind === "fix" && e.final && e.confirmed);
  const final = finals[finals.length - 1];
  if (final) {
    if (lines.length > 0) lines.push("");
    lines.push(`Final fix (confirmed), ${at(f, final.at)}: ${block(final.body, "")}`);
  }
  return lines;
}

function timelineSection(f: PostmortemFacts): string[] {
  if (f.timeline.length === 0) return ["Nothing was logged."];
  const finals = f.timeline.filter((e) => e.kind === "fix" && e.final && e.confirmed);
  const final = finals[finals.length - 1];
  const lines = [`Times in ${f.timeZone}.`, ""];
  for (const entry of f.timeline) {
    let label = KIND_WORDS[entry.kind] ?? entry.kind;
    if (entry === final) label = "**Fix — the final fix, confirmed**";
    else if (entry.kind === "fix" && entry.final)
      label = entry.confirmed ? "Fix — confirmed as final" : "Fix — proposed as final, not confirmed";
    const text = `**${formatTime(entry.at, f.timeZone)}** · ${label}: ${block(entry.body, "  ")}`;
    lines.push(`- ${text}`);
  }
  return lines;
}

function communicationsSection(f: PostmortemFacts): string[] {
  if (f.communications.length === 0) return ["No status updates were sent."];
  const lines: string[] = [];
  const firstExternal = f.communications.find((c) => c.audience === "external");
  lines.push(
    firstExternal
      ? `First external update ${since(f.incident.declaredAt, firstExternal.at)} after detection, ${since(f.incident.impactStartedAt, firstExternal.at)} after impact started.`
      : "No external update was sent.",
    "",
  );
  for (const c of f.communications) {
    const where = c.channels.length > 0 ? ` to ${c.channels.map(inline).join(", ")}` : "";
    const d = c.deliveries;
    const counts = [
      d.delivered > 0 ? `${d.delivered} delivered` : "",
      d.failed > 0 ? `${d.failed} failed` : "",
      d.pending > 0 ? `${d.pending} pending` : "",
    ].filter(Boolean);
    let cadence = "";
    if (c.dueAt) {
      const late = Date.parse(c.at) - Date.parse(c.dueAt);
      cadence = late > 0 ? `; ${durationInWords(late)} after it was due` : "; on time";
    }
    const audience = c.audience === "external" ? "External" : "Internal";
    lines.push(
      `- **${formatTime(c.at, f.timeZone)}** · ${audience} ${c.phase} update${where}${counts.length > 0 ? ` (${counts.join(", ")})` : ""}${cadence}`,
    );
  }
  return lines;
}

function actionItemsSection(f: PostmortemFacts): string[] {
  if (f.actionItems.length === 0) return [];
  return f.actionItems.map((item) => {
    const done = item.status === "done" ? "x" : " ";
    const title =
      item.url && /^https?:\/\//i.test(item.url)
        ? `[${inline(item.title)}](<${item.url}>)`
        : inline(item.title);
    const details = [
      item.priority,
      item.owner ? `owner ${inline(item.owner)}` : item.team ? `team ${inline(item.team)}` : "no owner yet",
      item.dueAt ? `due ${formatTime(item.dueAt, f.timeZone).replace(/,.*$/, "")}` : "",
      item.status === "wont_do" ? "won't do" : item.status.replaceAll("_", " "),
    ].filter(Boolean);
    return `- [${done}] ${title} — ${details.join(", ")}`;
  });
}

/** "27 Nov 2026, 03:12 WET" in the organization's zone. */
function at(f: PostmortemFacts, iso: string): string {
  return formatTime(iso, f.timeZone);
}

/** The wait from one instant to another, in words; a negative span (a late-entered start) counts as none. */
function since(from: string, to: string): string {
  return durationInWords(Math.max(0, Date.parse(to) - Date.parse(from)));
}

/** A short piece of text on one line (names, titles). */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** Someone's multi-line text inside a list item: later lines indented so they stay in the item. */
function block(text: string, indent: string): string {
  return text
    .trim()
    .split(/\r\n|\r|\n/)
    .map((line, i) => (i === 0 || line.trim() === "" ? line : `${indent}${line}`))
    .join("\n");
}

/** A hint for the writer: visible in the Markdown, dropped from every rendering. */
function comment(text: string): string {
  return `<!-- ${inline(text).replaceAll("--", "—")} -->`;
}

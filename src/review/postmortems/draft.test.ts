import { describe, expect, it } from "vitest";
import { DEFAULT_POSTMORTEM_SECTIONS } from "../../plan/schema.ts";
import { renderMarkdown } from "../../shared/markdown.ts";
import { type DraftSection, draftPostmortem } from "./draft.ts";
import type { PostmortemFacts } from "./facts.ts";

/** A resolved SEV1 in Lisbon (WET, UTC+0 in November) with every fact known. */
function buildFacts(overrides: Partial<PostmortemFacts> = {}): PostmortemFacts {
  return {
    timeZone: "Europe/Lisbon",
    incident: {
      reference: "INC-7",
      title: "Card payments failing",
      summary: "Some card payments were declined.",
      severity: { id: "sev1", name: "SEV1 — critical", description: "Money cannot flow" },
      status: "resolved",
      detectedBy: "monitoring",
      drill: false,
      impactStartedAt: "2026-11-27T03:00:00.000Z",
      declaredAt: "2026-11-27T03:12:00.000Z",
      identifiedAt: "2026-11-27T03:30:00.000Z",
      monitoringAt: "2026-11-27T03:45:00.000Z",
      resolvedAt: "2026-11-27T04:30:00.000Z",
    },
    components: [{ name: "Card payments", impact: "partial_outage" }],
    paging: { firstPageAt: "2026-11-27T03:12:00.000Z", firstAckAt: "2026-11-27T03:17:00.000Z" },
    alerts: {
      first: {
        summary: "Card authorisation errors above 5%",
        source: "payments-gateway",
        integration: "Prometheus",
        firstSeenAt: "2026-11-27T03:10:00.000Z",
      },
      count: 3,
    },
    roles: [
      {
        name: "Major Incident Manager",
        lead: true,
        holders: [
          { name: "Ada Lovelace", from: "2026-11-27T03:12:00.000Z", to: "2026-11-27T04:00:00.000Z" },
          { name: "Grace Hopper", from: "2026-11-27T04:00:00.000Z", to: null },
        ],
      },
      { name: "Social Media Lead", lead: false, holders: [] },
    ],
    timeline: [
      {
        at: "2026-11-27T03:12:00.000Z",
        kind: "declared",
        body: "Declared INC-7.",
        final: false,
        confirmed: false,
      },
      {
        at: "2026-11-27T03:20:00.000Z",
        kind: "decision",
        body: "Roll back the gateway deploy.\nKeep the new config.",
        final: false,
        confirmed: false,
      },
      {
        at: "2026-11-27T03:25:00.000Z",
        kind: "fix",
        body: "Restarted the workers.",
        final: false,
        confirmed: false,
      },
      {
        at: "2026-11-27T03:40:00.000Z",
        kind: "fix",
        body: "Rolled back gateway to v41.",
        final: true,
        confirmed: true,
      },
      {
        at: "2026-11-27T04:30:00.000Z",
        kind: "status_changed",
        body: "Status changed from monitoring to resolved.",
        final: false,
        confirmed: false,
      },
    ],
    communications: [
      {
        at: "2026-11-27T03:20:00.000Z",
        phase: "investigating",
        audience: "external",
        dueAt: null,
        channels: ["Status page", "Subscriber email"],
        deliveries: { total: 13, delivered: 12, failed: 1, pending: 0 },
      },
      {
        at: "2026-11-27T03:55:00.000Z",
        phase: "monitoring",
        audience: "external",
        dueAt: "2026-11-27T03:50:00.000Z",
        channels: ["Status page"],
        deliveries: { total: 1, delivered: 1, failed: 0, pending: 0 },
      },
    ],
    actionItems: [
      {
        title: "Alert on authorisation error rate per acquirer",
        owner: "Ada Lovelace",
        team: null,
        priority: "Priority action",
        dueAt: "2026-12-25T00:00:00.000Z",
        status: "open",
        url: "https://tracker.example.com/OPS-1",
      },
      {
        title: "Canary the gateway",
        owner: null,
        team: "payments",
        priority: "Improvement",
        dueAt: null,
        status: "done",
        url: null,
      },
    ],
    ...overrides,
  };
}

const SECTIONS: DraftSection[] = DEFAULT_POSTMORTEM_SECTIONS;

/** The Markdown under `## title`, up to the next section. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const rest = markdown.slice(start + title.length + 5);
  const end = rest.indexOf("\n## ");
  return end === -1 ? rest : rest.slice(0, end);
}

describe("draftPostmortem", () => {
  it("has one ## heading per plan section, in order, with prompts as comments", () => {
    const sections = [
      { id: "summary", title: "Summary", prompt: "What happened -- briefly?" },
      { id: "lessons", title: "Lessons" },
      { id: "timeline", title: "Timeline" },
    ];
    const markdown = draftPostmortem(buildFacts(), sections);
    expect([...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual([
      "Summary",
      "Lessons",
      "Timeline",
    ]);
    expect(markdown.startsWith("# Postmortem: Card payments failing (INC-7)\n")).toBe(true);
    // "--" would end the comment early.
    expect(section(markdown, "Summary")).toContain("<!-- What happened — briefly? -->");
    expect(section(markdown, "Lessons").trim()).toBe("");
    // Prompts never reach the rendering.
    expect(renderMarkdown(markdown)).not.toContain("briefly");
  });

  it("summarises title, severity, summary and how long it lasted", () => {
    const summary = section(draftPostmortem(buildFacts(), SECTIONS), "Summary");
    expect(summary).toContain("**Card payments failing** (INC-7) · SEV1 — critical");
    expect(summary).toContain("Some card payments were declined.");
    expect(summary).toContain(
      "Impact started 27 Nov 2026, 03:00 WET; the incident was resolved 27 Nov 2026, 04:30 WET, 1 hour 30 minutes later.",
    );
  });

  it("gives impact durations from impact start to detection, acknowledgement, mitigation and resolution", () => {
    const impact = section(draftPostmortem(buildFacts(), SECTIONS), "Impact");
    expect(impact).toContain("- Card payments: partial outage");
    expect(impact).toContain("| Detected (declared) | 27 Nov 2026, 03:12 WET | 12 minutes |");
    expect(impact).toContain("| First page acknowledged | 27 Nov 2026, 03:17 WET | 17 minutes |");
    expect(impact).toContain("| Mitigated (monitoring) | 27 Nov 2026, 03:45 WET | 45 minutes |");
    expect(impact).toContain("| Resolved | 27 Nov 2026, 04:30 WET | 1 hour 30 minutes |");
  });

  it("says what is not known rather than inventing it, and never gives a negative duration", () => {
    const facts = buildFacts({ paging: { firstPageAt: null, firstAckAt: null } });
    facts.incident = {
      ...facts.incident,
      status: "identified",
      // Entered later than the declaration: counts as no wait at all.
      impactStartedAt: "2026-11-27T03:20:00.000Z",
      monitoringAt: null,
      resolvedAt: null,
    };
    const markdown = draftPostmortem(facts, SECTIONS);
    const impact = section(markdown, "Impact");
    expect(impact).toContain("| Detected (declared) | 27 Nov 2026, 03:12 WET | 0 seconds |");
    expect(impact).toContain("| First page acknowledged | nobody was paged | — |");
    expect(impact).toContain("| Mitigated (monitoring) | not yet | — |");
    expect(impact).toContain("| Resolved | not yet | — |");
    expect(section(markdown, "Summary")).toContain("the incident is not resolved yet (identified)");
  });

  it("names the detection source and the alert that declared it", () => {
    const detection = section(draftPostmortem(buildFacts(), SECTIONS), "Detection");
    expect(detection).toContain(
      "Detected by monitoring, 12 minutes after impact started (declared 27 Nov 2026, 03:12 WET).",
    );
    expect(detection).toContain(
      'Alert: "Card authorisation errors above 5%" from Prometheus, payments-gateway, first seen 27 Nov 2026, 03:10 WET; 2 more alerts joined the incident.',
    );
    const customer = buildFacts({ alerts: { first: null, count: 0 } });
    customer.incident = { ...customer.incident, detectedBy: "customer" };
    const reported = section(draftPostmortem(customer, SECTIONS), "Detection");
    expect(reported).toContain("Reported by a customer, 12 minutes after impact started");
    expect(reported).not.toContain("Alert:");
  });

  it("lists who held which role, handovers included, and the paging", () => {
    const response = section(draftPostmortem(buildFacts(), SECTIONS), "Response");
    expect(response).toContain(
      "- Major Incident Manager (lead): Ada Lovelace (from 27 Nov 2026, 03:12 WET to 27 Nov 2026, 04:00 WET), then Grace Hopper (from 27 Nov 2026, 04:00 WET)",
    );
    expect(response).toContain("Not filled: Social Media Lead.");
    expect(response).toContain(
      "The first page went out 27 Nov 2026, 03:12 WET and was acknowledged 27 Nov 2026, 03:17 WET, 5 minutes later.",
    );
  });

  it("lists communications with channels, delivery counts and cadence, under Response by default", () => {
    const response = section(draftPostmortem(buildFacts(), SECTIONS), "Response");
    expect(response).toContain("### Communications");
    expect(response).toContain(
      "First external update 8 minutes after detection, 20 minutes after impact started.",
    );
    expect(response).toContain(
      "- **27 Nov 2026, 03:20 WET** · External investigating update to Status page, Subscriber email (12 delivered, 1 failed)",
    );
    expect(response).toContain(
      "- **27 Nov 2026, 03:55 WET** · External monitoring update to Status page (1 delivered); 5 minutes after it was due",
    );
  });

  it("puts communications in their own section when the plan has one", () => {
    const sections = [...SECTIONS, { id: "communications", title: "Communications" }];
    const markdown = draftPostmortem(buildFacts(), sections);
    expect(section(markdown, "Response")).not.toContain("Communications");
    expect(section(markdown, "Communications")).toContain("External investigating update");
  });

  it("retells the timeline in the organization's time zone, with the final fix marked", () => {
    const timeline = section(draftPostmortem(buildFacts(), SECTIONS), "Timeline");
    expect(timeline).toContain("Times in Europe/Lisbon.");
    const items = timeline.split("\n").filter((line) => line.startsWith("- "));
    expect(items).toEqual([
      "- **27 Nov 2026, 03:12 WET** · Declared: Declared INC-7.",
      "- **27 Nov 2026, 03:20 WET** · Decision: Roll back the gateway deploy.",
      "- **27 Nov 2026, 03:25 WET** · Fix: Restarted the workers.",
      "- **27 Nov 2026, 03:40 WET** · **Fix — the final fix, confirmed**: Rolled back gateway to v41.",
      "- **27 Nov 2026, 04:30 WET** · Status: Status changed from monitoring to resolved.",
    ]);
    // A second line stays inside its list item.
    expect(timeline).toContain("Roll back the gateway deploy.\n  Keep the new config.");
    expect(renderMarkdown(timeline)).toContain(
      "<li><strong>27 Nov 2026, 03:20 WET</strong> · Decision: Roll back the gateway deploy.\nKeep the new config.</li>",
    );
  });

  it("tells a fix proposed as final apart from the confirmed one", () => {
    const facts = buildFacts();
    facts.timeline = facts.timeline.map((e) =>
      e.kind === "fix" && e.final ? { ...e, confirmed: false } : e,
    );
    const markdown = draftPostmortem(facts, SECTIONS);
    expect(section(markdown, "Timeline")).toContain(
      "Fix — proposed as final, not confirmed: Rolled back gateway to v41.",
    );
    expect(section(markdown, "Recovery")).not.toContain("Final fix");
  });

  it("states recovery with the final fix", () => {
    const recovery = section(draftPostmortem(buildFacts(), SECTIONS), "Recovery");
    expect(recovery).toContain(
      "Mitigated 27 Nov 2026, 03:45 WET (monitoring), 45 minutes after impact started.",
    );
    expect(recovery).toContain("Resolved 27 Nov 2026, 04:30 WET, 1 hour 30 minutes after impact started.");
    expect(recovery).toContain("Final fix (confirmed), 27 Nov 2026, 03:40 WET: Rolled back gateway to v41.");
  });

  it("lists the action items as a task list with owners, priorities and due dates", () => {
    const items = section(draftPostmortem(buildFacts(), SECTIONS), "Action items");
    expect(items).toContain(
      "- [ ] [Alert on authorisation error rate per acquirer](<https://tracker.example.com/OPS-1>) — Priority action, owner Ada Lovelace, due 25 Dec 2026, open",
    );
    expect(items).toContain("- [x] Canary the gateway — Improvement, team payments, done");
  });

  it("stays blameless: no author is named beside what was logged", () => {
    const markdown = draftPostmortem(buildFacts(), SECTIONS);
    const timeline = section(markdown, "Timeline");
    expect(timeline).not.toMatch(/Ada|Grace/);
    expect(section(markdown, "Fault")).not.toMatch(/Ada|Grace/);
    expect(section(markdown, "Contributing factors")).not.toMatch(/Ada|Grace/);
  });

  it("is the same text for the same facts", () => {
    expect(draftPostmortem(buildFacts(), SECTIONS)).toBe(draftPostmortem(buildFacts(), SECTIONS));
  });
});

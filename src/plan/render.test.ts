import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { escapeHtml } from "../shared/html.ts";
import { EXAMPLE_PLAN_PATH, type Plan, parsePlan, renderPlanHtml, renderPlanMarkdown } from "./index.ts";
import { edit, MINIMAL_PLAN } from "./test-fixtures.ts";

function planOf(text: string): Plan {
  const result = parsePlan(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

/** The seed worksheet's headings and table captions, in its order. */
const SEED_HEADINGS = [
  "Get your 'Sheet' Together!",
  "DEFINING AN INCIDENT",
  "INCIDENT ROLES & RESPONSIBILITIES",
  "Current incident response roles at my company",
  "Recommended roles to fill",
  "INCIDENT COMMUNICATION CHANNELS",
  "INCIDENT TEMPLATES",
  "Investigating:",
  "Identified:",
  "Monitoring:",
  "Resolved:",
  "INCIDENT VALUES",
];

const CHANNEL_COLUMNS = [
  "Communication channel or tool",
  "When do we use it?",
  "Who should use it?",
  "How do we use/access it?",
  "More info",
];

function expectInOrder(text: string, needles: readonly string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    expect(at, `"${needle}" after offset ${from}`).toBeGreaterThanOrEqual(0);
    from = at + needle.length;
  }
}

let example: Plan;
beforeAll(async () => {
  example = planOf(await readFile(EXAMPLE_PLAN_PATH, "utf8"));
});

describe("renderPlanMarkdown", () => {
  it("has the seed's sections in order, severities right after the definition", () => {
    const md = renderPlanMarkdown(example);
    expectInOrder(md, SEED_HEADINGS);
    expectInOrder(md, [
      "## DEFINING AN INCIDENT",
      "## SEVERITY LEVELS",
      "## INCIDENT ROLES & RESPONSIBILITIES",
    ]);
    expect(md).toContain("# Get your 'Sheet' Together! — Quillmark");
    expect(md).toContain(`| ${CHANNEL_COLUMNS.join(" | ")} |`);
  });

  it("names every role, channel, value, criterion, severity and component of the example", () => {
    const md = renderPlanMarkdown(example);
    const names = [
      ...example.roles.map((r) => r.name),
      ...example.channels.map((c) => c.name),
      ...example.values.flatMap((v) => [v.name, v.statement]),
      ...example.definition.criteria.map((c) => c.text),
      ...example.severities.map((s) => s.name),
      ...example.components.map((c) => c.name),
    ];
    for (const name of names) expect(md).toContain(name);
  });

  it("says when a channel is used in words", () => {
    const md = renderPlanMarkdown(example);
    expect(md).toContain("SEV1; external; at least major outage; after 1 hour");
    expect(md).toContain("any severity; internal; also in drills");
  });

  it("splits company roles from recommended ones", () => {
    const md = renderPlanMarkdown(example);
    const own = md.slice(
      md.indexOf("Current incident response roles"),
      md.indexOf("Recommended roles to fill"),
    );
    expect(own).toContain("Technical Lead");
    expect(own).not.toContain("Social Media Lead");
  });

  it("escapes pipes and line breaks in table cells", () => {
    const plan = planOf(
      edit(
        MINIMAL_PLAN,
        "    name: Comms\n",
        '    name: "Comms | PR"\n    responsibilities: ["Draft\\nupdates"]\n',
      ),
    );
    const row = renderPlanMarkdown(plan)
      .split("\n")
      .find((line) => line.includes("Comms"));
    expect(row).toBe("| Comms \\| PR | (to fill in)<br>acknowledge within 5 minutes | · Draft<br>updates |");
    // Three columns: four unescaped pipes.
    expect(row?.replaceAll("\\|", "").split("|").length).toBe(5);
  });
});

describe("renderPlanHtml", () => {
  it("is a complete standalone printable page", () => {
    const html = renderPlanHtml(example);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("</html>");
    expect(html).toContain("@media print");
    expect(html).toMatch(/break-inside: avoid/);
    expect(html).toMatch(/thead \{ display: table-header-group; \}/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it("has the seed's sections in order and every name of the example", () => {
    const html = renderPlanHtml(example);
    expectInOrder(html, SEED_HEADINGS.map(escapeHtml));
    for (const column of CHANNEL_COLUMNS)
      expect(html).toContain(`<th scope="col">${escapeHtml(column)}</th>`);
    const names = [...example.roles, ...example.channels, ...example.values].map((x) => x.name);
    for (const name of names) expect(html).toContain(escapeHtml(name));
  });

  it("escapes user text", () => {
    const hostile = edit(
      edit(MINIMAL_PLAN, "    name: Comms\n", "    name: \"<script>alert('x')</script>\"\n"),
      "  name: Tiny Co\n",
      '  name: "Tiny & <b>Co</b>"\n  url: "javascript:alert(1)"\n',
    );
    const html = renderPlanHtml(planOf(hostile));
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).toContain("Tiny &amp; &lt;b&gt;Co&lt;/b&gt;");
    expect(html).not.toContain("javascript:");
  });

  it("links the organization only with an http(s) URL", () => {
    const html = renderPlanHtml(
      planOf(
        edit(
          MINIMAL_PLAN,
          "  name: Tiny Co\n",
          '  name: Tiny Co\n  url: "https://tiny.example.com/?a=1&b=2"\n',
        ),
      ),
    );
    expect(html).toContain('<a href="https://tiny.example.com/?a=1&amp;b=2">Tiny Co</a>');
  });
});

describe("escapeHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
    );
  });
});

import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { IMPACTS } from "../../plan/schema.ts";
import type { ComponentStatus, Indicator, PageSnapshot } from "../model.ts";
import { sampleSnapshot } from "../test-fixtures.ts";
import { renderBadge } from "./badge.ts";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false });

interface Svg {
  svg: Record<string, string> & {
    title: string;
    g: Array<{ rect?: Array<Record<string, string>>; text?: Array<Record<string, string>> }>;
  };
}

function parse(svg: string | null): Svg["svg"] {
  if (svg === null) throw new Error("no badge");
  expect(XMLValidator.validate(svg)).toBe(true);
  return (parser.parse(svg) as Svg).svg;
}

/** The fill of the right-hand part, which carries the status. */
function messageColor(svg: Svg["svg"]): string | undefined {
  return svg.g[0]?.rect?.[1]?.["@fill"];
}

function texts(svg: Svg["svg"]): string[] {
  return (svg.g[1]?.text ?? []).map((text) => String(text["#text"]));
}

function withComponentStatus(status: ComponentStatus): PageSnapshot {
  const snapshot = sampleSnapshot();
  return {
    ...snapshot,
    components: snapshot.components.map((c) => (c.id === "web-app" ? { ...c, status } : c)),
  };
}

describe("renderBadge for the page", () => {
  it("is a well-formed, labelled SVG image", () => {
    const svg = parse(renderBadge(sampleSnapshot()));
    expect(svg["@xmlns"]).toBe("http://www.w3.org/2000/svg");
    expect(svg["@role"]).toBe("img");
    expect(svg["@aria-label"]).toBe("status: partial outage");
    expect(svg.title).toBe("status: partial outage");
    expect(texts(svg)).toEqual(["status", "status", "partial outage", "partial outage"]);
    expect(Number(svg["@height"])).toBe(20);
  });

  it("says and colours each indicator differently", () => {
    const expected: Record<Indicator, string> = {
      none: "all systems operational",
      minor: "minor outage",
      major: "partial outage",
      critical: "major outage",
    };
    const colors = new Set<string | undefined>();
    for (const [indicator, text] of Object.entries(expected) as Array<[Indicator, string]>) {
      const svg = parse(renderBadge(sampleSnapshot({ status: { indicator, description: "x" } })));
      expect(svg.title).toBe(`status: ${text}`);
      colors.add(messageColor(svg));
    }
    expect(colors.size).toBe(4);
    expect(colors).not.toContain("#555555");
  });

  it("grows with its text", () => {
    const width = (indicator: Indicator) =>
      Number(parse(renderBadge(sampleSnapshot({ status: { indicator, description: "x" } })))["@width"]);
    expect(width("none")).toBeGreaterThan(width("minor") + 40);
  });
});

describe("renderBadge for a component", () => {
  it("names the component and says its status, coloured by status", () => {
    const expected: Record<ComponentStatus, string> = {
      operational: "operational",
      degraded_performance: "degraded",
      partial_outage: "partial outage",
      major_outage: "major outage",
      under_maintenance: "maintenance",
    };
    const colors = new Set<string | undefined>();
    for (const status of IMPACTS) {
      const svg = parse(renderBadge(withComponentStatus(status), "web-app"));
      expect(svg.title).toBe(`Web app: ${expected[status]}`);
      expect(texts(svg)).toContain("Web app");
      colors.add(messageColor(svg));
    }
    expect(colors.size).toBe(IMPACTS.length);
  });

  it("is null for a component the page does not have", () => {
    expect(renderBadge(sampleSnapshot(), "no-such-component")).toBeNull();
    expect(renderBadge(sampleSnapshot(), "payments")).toBeNull();
    expect(renderBadge(sampleSnapshot(), "web-app")).not.toBeNull();
  });

  it("escapes the component's name", () => {
    const snapshot = sampleSnapshot();
    const hostile = {
      ...snapshot,
      components: snapshot.components.map((c) =>
        c.id === "login" ? { ...c, name: 'A & <B> "C"\u0000\u0007' } : c,
      ),
    };
    const raw = renderBadge(hostile, "login")!;
    expect(raw).toContain("A &amp; &lt;B&gt; &quot;C&quot;");
    expect(raw).not.toContain("<B>");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
    expect(raw).not.toMatch(/[\u0000-\u0008]/);
    const svg = parse(raw);
    // Decoded by an XML parser, it is the name as written, minus what XML cannot carry.
    expect(svg["@aria-label"]).toBe('A & <B> "C": operational');
    expect(svg.title).toBe('A & <B> "C": operational');
    expect(texts(svg)).toContain('A & <B> "C"');
  });

  it("cuts a very long name", () => {
    const snapshot = sampleSnapshot();
    const long = {
      ...snapshot,
      components: snapshot.components.map((c) => (c.id === "login" ? { ...c, name: "x".repeat(500) } : c)),
    };
    const svg = parse(renderBadge(long, "login"));
    expect(svg.title).toBe(`${"x".repeat(39)}…: operational`);
    expect(Number(svg["@width"])).toBeLessThan(400);
  });

  it("any name gives a well-formed badge", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (name) => {
        const snapshot = sampleSnapshot();
        const named = {
          ...snapshot,
          components: snapshot.components.map((c) => (c.id === "login" ? { ...c, name } : c)),
        };
        const svg = renderBadge(named, "login");
        expect(svg).not.toBeNull();
        expect(XMLValidator.validate(svg!)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

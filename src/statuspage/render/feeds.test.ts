import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { servedLinks } from "../links.ts";
import type { PageIncident, PageMaintenance, PageSnapshot } from "../model.ts";
import { sampleSnapshot } from "../test-fixtures.ts";
import { FEED_LIMIT, renderAtom, renderRss } from "./feeds.ts";

const links = servedLinks("/");
const base = sampleSnapshot();
const [openIncident, resolvedIncident] = base.incidents as [PageIncident, PageIncident];
const [maintenance] = base.maintenances as [PageMaintenance];

/** RFC 822 as RSS 2.0 uses it (four-digit year): "Fri, 27 Nov 2026 11:30:00 +0000". */
const RFC_822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (\+0000|GMT)$/;
/** RFC 3339 date-time. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ["item", "entry", "link", "atom:link"].includes(name),
});

interface Rss {
  rss: {
    "@version": string;
    "@xmlns:atom": string;
    channel: Record<string, string> & {
      "atom:link": Array<Record<string, string>>;
      link: string[];
      item?: Array<Record<string, string> & { guid: Record<string, string>; link: string[] }>;
    };
  };
}

interface Atom {
  feed: Record<string, string> & {
    "@xmlns": string;
    author: { name: string };
    link: Array<Record<string, string>>;
    entry?: Array<
      Record<string, string> & {
        link: Array<Record<string, string>>;
        content: Record<string, string>;
        title: Record<string, string>;
      }
    >;
  };
}

function rss(snapshot: PageSnapshot) {
  const xml = renderRss(snapshot, links);
  expect(XMLValidator.validate(xml)).toBe(true);
  return { xml, doc: parser.parse(xml) as Rss };
}

function atom(snapshot: PageSnapshot) {
  const xml = renderAtom(snapshot, links);
  expect(XMLValidator.validate(xml)).toBe(true);
  return { xml, doc: parser.parse(xml) as Atom };
}

function incidentAt(n: number): PageIncident {
  const createdAt = new Date(Date.parse("2026-01-01T00:00:00.000Z") + n * 3_600_000).toISOString();
  return {
    ...resolvedIncident,
    id: `inc-${n}`,
    name: `Incident ${n}`,
    createdAt,
    updatedAt: createdAt,
    startedAt: createdAt,
  };
}

describe("renderRss", () => {
  it("is RSS 2.0 with every required channel and item element", () => {
    const { xml, doc } = rss(base);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')).toBe(true);
    expect(doc.rss["@version"]).toBe("2.0");
    expect(doc.rss["@xmlns:atom"]).toBe("http://www.w3.org/2005/Atom");
    const channel = doc.rss.channel;
    expect(channel.title).toBe("Quillmark status");
    expect(channel.link).toEqual(["https://status.example.com/"]);
    expect(channel.description).toBe("Live status of Quillmark's apps and payments.");
    expect(channel.language).toBe("en");
    expect(channel.lastBuildDate).toBe("Fri, 27 Nov 2026 11:30:00 +0000");
    expect(channel.lastBuildDate).toMatch(RFC_822);
    expect(channel["atom:link"]).toEqual([
      { "@href": "https://status.example.com/history.rss", "@rel": "self", "@type": "application/rss+xml" },
    ]);
    const items = channel.item ?? [];
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item.title).toBeTruthy();
      expect(item.description).toBeTruthy();
      expect(item.pubDate).toMatch(RFC_822);
      expect(item.guid["@isPermaLink"]).toBe("true");
      expect(item.guid["#text"]).toBe(item.link[0]);
      expect(new URL(item.link[0]!).href).toBe(item.link[0]);
      expect(item.link[0]).toMatch(/^https:\/\/status\.example\.com\/incidents\/[\w-]+$/);
    }
  });

  it("lists incidents and maintenances newest first, linked absolutely", () => {
    const items = rss(base).doc.rss.channel.item ?? [];
    expect(items.map((item) => item.link[0])).toEqual([
      `https://status.example.com/incidents/${openIncident.id}`,
      `https://status.example.com/incidents/${maintenance.id}`,
      `https://status.example.com/incidents/${resolvedIncident.id}`,
    ]);
    expect(items.map((item) => item.pubDate)).toEqual([
      "Fri, 27 Nov 2026 11:00:00 +0000",
      "Fri, 20 Nov 2026 10:00:00 +0000",
      "Sat, 03 Oct 2026 08:00:00 +0000",
    ]);
    expect(items.map((item) => item.category)).toEqual(["incident", "maintenance", "incident"]);
  });

  it("builds links on a page URL with a path, ignoring a trailing slash", () => {
    const snapshot = sampleSnapshot({ page: { ...base.page, url: "https://example.com/status/" } });
    const channel = rss(snapshot).doc.rss.channel;
    expect(channel["atom:link"][0]!["@href"]).toBe("https://example.com/status/history.rss");
    expect(channel.item?.[0]?.link[0]).toBe(`https://example.com/status/incidents/${openIncident.id}`);
  });

  it("describes each update, phase and time in the page's zone, text escaped twice", () => {
    const { xml, doc } = rss(base);
    const description = doc.rss.channel.item?.[0]?.description ?? "";
    // Once decoded as XML it is HTML in which "<certificate>" is text, not a tag.
    expect(description).toContain("a &lt;certificate&gt; expired");
    expect(description).not.toContain("<certificate>");
    expect(xml).toContain("a &amp;lt;certificate&amp;gt; expired");
    expect(description).toMatch(/<strong>Identified<\/strong> <small>27 Nov 2026, 11:30 (WET|GMT)<\/small>/);
    expect(description).toContain("<strong>Investigating</strong>");
    expect(description).toContain("Some card payments fail.<br>We are looking into it.");
    expect(description.indexOf("Identified")).toBeLessThan(description.indexOf("Investigating"));
    expect(description).toContain("<strong>Affected:</strong> Card payments");
  });

  it("gives update times in the page's time zone", () => {
    const snapshot = sampleSnapshot({ page: { ...base.page, timeZone: "America/Los_Angeles" } });
    const description = rss(snapshot).doc.rss.channel.item?.[0]?.description ?? "";
    expect(description).toMatch(/<small>27 Nov 2026, 03:30 (PST|GMT-8)<\/small>/);
  });

  it("keeps at most 50 entries, the newest", () => {
    const incidents = Array.from({ length: 60 }, (_, n) => incidentAt(n)).reverse();
    const items = rss(sampleSnapshot({ incidents, maintenances: [] })).doc.rss.channel.item ?? [];
    expect(items).toHaveLength(FEED_LIMIT);
    expect(items[0]?.title).toBe("Incident 59");
    expect(items.at(-1)?.title).toBe("Incident 10");
  });

  it("is a valid empty channel with no history", () => {
    const channel = rss(sampleSnapshot({ incidents: [], maintenances: [] })).doc.rss.channel;
    expect(channel.item).toBeUndefined();
    expect(channel.title).toBe("Quillmark status");
  });
});

describe("renderAtom", () => {
  it("is Atom 1.0 with every required feed and entry element", () => {
    const { xml, doc } = atom(base);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const feed = doc.feed;
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.id).toBe("https://status.example.com/history");
    expect(feed.title).toBe("Quillmark status");
    expect(feed.updated).toBe("2026-11-27T11:30:00.000Z");
    expect(feed.updated).toMatch(RFC_3339);
    expect(feed.author.name).toBe("Quillmark");
    expect(feed.link).toEqual(
      expect.arrayContaining([
        {
          "@rel": "self",
          "@type": "application/atom+xml",
          "@href": "https://status.example.com/history.atom",
        },
        { "@rel": "alternate", "@type": "text/html", "@href": "https://status.example.com/history" },
      ]),
    );
    const entries = feed.entry ?? [];
    expect(entries).toHaveLength(3);
    const ids = new Set<string>();
    for (const entry of entries) {
      expect(entry.id).toMatch(/^https:\/\/status\.example\.com\/incidents\/[\w-]+$/);
      ids.add(entry.id!);
      expect(entry.title["#text"]).toBeTruthy();
      expect(entry.updated).toMatch(RFC_3339);
      expect(entry.published).toMatch(RFC_3339);
      expect(Date.parse(entry.updated!)).toBeGreaterThanOrEqual(Date.parse(entry.published!));
      const alternate = entry.link.find((link) => link["@rel"] === "alternate");
      expect(alternate?.["@href"]).toBe(entry.id);
      expect(entry.content["@type"]).toBe("html");
      expect(entry.content["#text"]).toBeTruthy();
    }
    expect(ids.size).toBe(3);
  });

  it("lists entries newest first with published and updated times", () => {
    const entries = atom(base).doc.feed.entry ?? [];
    expect(entries.map((entry) => entry.id)).toEqual([
      `https://status.example.com/incidents/${openIncident.id}`,
      `https://status.example.com/incidents/${maintenance.id}`,
      `https://status.example.com/incidents/${resolvedIncident.id}`,
    ]);
    expect(entries[0]).toMatchObject({
      published: "2026-11-27T11:00:00.000Z",
      updated: "2026-11-27T11:30:00.000Z",
    });
  });

  it("keeps the same ids from one render to the next", () => {
    const first = (atom(base).doc.feed.entry ?? []).map((entry) => entry.id);
    const later = sampleSnapshot({ incidents: [incidentAt(9999), ...base.incidents] });
    const second = (atom(later).doc.feed.entry ?? []).map((entry) => entry.id);
    expect(second.slice(1)).toEqual(first);
  });

  it("escapes markup in the content once for HTML, once for XML", () => {
    const { xml, doc } = atom(base);
    expect(doc.feed.entry?.[0]?.content["#text"]).toContain("a &lt;certificate&gt; expired");
    expect(xml).not.toContain("<certificate>");
  });

  it("mentions a published postmortem with its link, and counts its publication as an update", () => {
    const withPostmortem = sampleSnapshot({
      incidents: [
        openIncident,
        {
          ...resolvedIncident,
          postmortem: {
            publishedAt: "2026-12-01T10:00:00.000Z",
            html: "<p>Why</p>",
            title: "Expired <certificate> at the edge",
          },
        },
      ],
    });
    const { xml, doc } = atom(withPostmortem);
    const entry = (doc.feed.entry ?? []).find((e) => e.id?.endsWith(resolvedIncident.id))!;
    expect(entry.updated).toBe("2026-12-01T10:00:00.000Z");
    const content = entry.content["#text"];
    expect(content).toContain("<strong>Postmortem published</strong>");
    expect(content).toContain(
      `<a href="https://status.example.com/incidents/${resolvedIncident.id}#postmortem">Expired &lt;certificate&gt; at the edge</a>`,
    );
    expect(xml).not.toContain("<certificate>");
    const without = (atom(base).doc.feed.entry ?? []).find((e) => e.id?.endsWith(resolvedIncident.id))!;
    expect(without.content["#text"]).not.toContain("Postmortem");
  });

  it("keeps at most 50 entries, the newest", () => {
    const incidents = Array.from({ length: 60 }, (_, n) => incidentAt(n));
    const entries = atom(sampleSnapshot({ incidents, maintenances: [] })).doc.feed.entry ?? [];
    expect(entries).toHaveLength(FEED_LIMIT);
    expect(entries.map((entry) => entry.title["#text"])).toEqual(
      Array.from({ length: 50 }, (_, k) => `Incident ${59 - k}`),
    );
  });
});

describe("feeds escape whatever people write", () => {
  const hostile = sampleSnapshot({
    page: { ...base.page, name: 'Q & "A" <Co>', description: "Tom's <b>page</b>" },
    incidents: [
      {
        ...openIncident,
        name: "Bad\u0000\u0001\u0008\u000b\u000c\u001f\uFFFE name & <x>",
        updates: [
          { ...openIncident.updates[0]!, body: "nul\u0000 here\ud800 & ]]> <script>alert(1)</script>" },
        ],
      },
    ],
    maintenances: [],
  });

  it.each([
    ["RSS", () => renderRss(hostile, links)],
    ["Atom", () => renderAtom(hostile, links)],
  ])("%s: no control characters, no raw markup, still valid", (_name, render) => {
    const xml = render();
    expect(XMLValidator.validate(xml)).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the test
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("<x>");
    expect(xml).not.toContain("]]>");
    expect(xml).toContain("Bad name &amp; &lt;x&gt;");
    expect(xml).toContain("Q &amp; &quot;A&quot; &lt;Co&gt;");
  });

  it("any text in names and updates gives well-formed feeds that say exactly that text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.string({ unit: "binary" }),
        (name, body) => {
          const snapshot = sampleSnapshot({
            page: { ...base.page, name },
            incidents: [{ ...openIncident, name, updates: [{ ...openIncident.updates[0]!, body }] }],
            maintenances: [],
          });
          // What XML can carry, with line ends as every XML parser reads them (CR and CRLF become LF).
          const kept = name
            .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
            .replace(/\r\n?/g, "\n");
          const rssXml = renderRss(snapshot, links);
          const atomXml = renderAtom(snapshot, links);
          expect(XMLValidator.validate(rssXml)).toBe(true);
          expect(XMLValidator.validate(atomXml)).toBe(true);
          const rssDoc = parser.parse(rssXml) as Rss;
          const atomDoc = parser.parse(atomXml) as Atom;
          expect(String(rssDoc.rss.channel.item?.[0]?.title ?? "")).toBe(kept);
          expect(String(atomDoc.feed.entry?.[0]?.title["#text"] ?? "")).toBe(kept);
          expect(String(atomDoc.feed.author.name ?? "")).toBe(kept);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("feed speed", () => {
  it("renders 50 incidents in a few milliseconds", () => {
    const incidents = Array.from({ length: 60 }, (_, n) => incidentAt(n));
    const snapshot = sampleSnapshot({ incidents });
    for (let i = 0; i < 20; i++) renderRss(snapshot, links);
    const start = performance.now();
    for (let i = 0; i < 50; i++) {
      renderRss(snapshot, links);
      renderAtom(snapshot, links);
    }
    expect((performance.now() - start) / 50).toBeLessThan(10);
  });
});

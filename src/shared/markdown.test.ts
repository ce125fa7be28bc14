import fc from "fast-check";
import { type Element, Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { renderMarkdown, sanitizeMarkdownHtml } from "./markdown.ts";

const ALLOWED_PROTOCOLS = ["http:", "https:", "mailto:"];

/** Everything a browser would find dangerous in a piece of HTML, read as a browser reads it. */
function dangers(html: string): string[] {
  const window = new Window();
  const doc = window.document;
  const template = doc.createElement("template");
  template.innerHTML = html;
  const found: string[] = [];
  const walk = (node: Element) => {
    const tag = node.tagName.toLowerCase();
    if (
      [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
        "svg",
        "math",
        "base",
        "meta",
        "link",
      ].includes(tag)
    )
      found.push(`<${tag}>`);
    for (const attribute of Array.from(node.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      if (name === "style" || name === "srcdoc" || name === "formaction" || name === "action")
        found.push(`${tag}[${name}]`);
      if (name === "href" || name === "src" || name === "xlink:href") {
        const value = attribute.value ?? "";
        if (value.startsWith("#")) continue;
        let protocol: string;
        try {
          protocol = new URL(value).protocol;
        } catch {
          found.push(`${tag}[${name}] relative ${value}`);
          continue;
        }
        const allowed = name === "src" ? ["http:", "https:"] : ALLOWED_PROTOCOLS;
        if (!allowed.includes(protocol)) found.push(`${tag}[${name}]=${value}`);
      }
    }
    for (const child of Array.from(node.children)) walk(child);
  };
  for (const child of Array.from(template.content.children)) walk(child);
  window.close();
  return found;
}

describe("renderMarkdown", () => {
  it("is checked by a checker that does see danger in unsanitized HTML", () => {
    expect(
      dangers(`<img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a><script></script>`),
    ).toEqual(["img[src] relative x", "img[onerror]", "a[href]=javascript:alert(1)", "<script>"]);
  });

  it("renders GitHub-flavoured Markdown: headings, emphasis, lists, tables, code, task lists", () => {
    const html = renderMarkdown(
      [
        "## Timeline",
        "",
        "Some *emphasis*, **strong** and `code`.",
        "",
        "- one",
        "- [x] done",
        "",
        "| a | b |",
        "|:--|--:|",
        "| 1 | 2 |",
        "",
        "```sql",
        "select 1 < 2;",
        "```",
      ].join("\n"),
    );
    expect(html).toContain("<h2>Timeline</h2>");
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain(`<input type="checkbox" disabled checked /> done`);
    expect(html).toContain(`<th align="left">a</th>`);
    expect(html).toContain(`<pre><code class="language-sql">select 1 &lt; 2;`);
    expect(dangers(html)).toEqual([]);
  });

  it("keeps http(s) and mailto links with rel=noopener noreferrer nofollow, and in-page anchors", () => {
    const html = renderMarkdown(
      `[site](https://example.com/a?b=1 "Title") [mail](mailto:ops@example.com) [up](#timeline)`,
    );
    expect(html).toContain(
      `<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow" title="Title">site</a>`,
    );
    expect(html).toContain(`<a href="mailto:ops@example.com" rel="noopener noreferrer nofollow">mail</a>`);
    expect(html).toContain(`<a href="#timeline">up</a>`);
  });

  it("sets its own rel on links, whatever the author wrote", () => {
    const html = renderMarkdown(`<a href="https://example.com" rel="opener" target="_blank">x</a>`);
    expect(html).toContain(`<a href="https://example.com/" rel="noopener noreferrer nofollow">x</a>`);
  });

  it("keeps images with an absolute http(s) source only", () => {
    const html = renderMarkdown(
      "![graph](https://example.com/g.png) ![rel](/g.png) ![js](javascript:alert(1))",
    );
    expect(html).toContain(
      `<img src="https://example.com/g.png" loading="lazy" referrerpolicy="no-referrer" alt="graph" />`,
    );
    expect(html).not.toContain("rel.png");
    expect(html).not.toContain("javascript");
  });

  const VECTORS: Array<[string, string]> = [
    ["a script tag", `<script>alert(1)</script>`],
    ["a script tag in a list", `- <script>alert(1)</script>`],
    ["an image with onerror", `<img src=x onerror=alert(1)>`],
    ["an image with onerror and a valid source", `<img src="https://example.com/x.png" onerror="alert(1)">`],
    ["a Markdown javascript: link", `[x](javascript:alert(1))`],
    ["a mixed-case javascript: link", `[x](JaVaScRiPt:alert(1))`],
    ["an entity-encoded colon", `[x](javascript&#58;alert(1))`],
    ["a hex-entity colon in HTML", `<a href="JaVaScRiPt&#x3A;alert(1)">x</a>`],
    ["an entity-encoded first letter", `<a href="&#106;avascript:alert(1)">x</a>`],
    ["a tab inside the scheme", `<a href="java\tscript:alert(1)">x</a>`],
    ["a newline inside the scheme", `<a href="java&#10;script:alert(1)">x</a>`],
    ["leading whitespace and control characters", `<a href=" \u0001javascript:alert(1)">x</a>`],
    ["an svg with onload", `<svg onload=alert(1)><circle r="1"/></svg>`],
    ["an svg with a script", `<svg><script>alert(1)</script></svg>`],
    ["a data: HTML link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`],
    ["a Markdown data: link", `[x](data:text/html,<script>alert(1)</script>)`],
    ["a vbscript: link", `<a href="vbscript:msgbox(1)">x</a>`],
    ["a data: image", `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`],
    ["a protocol-relative link", `<a href="//evil.example/x">x</a>`],
    ["an iframe", `<iframe src="https://evil.example"></iframe>`],
    ["an iframe with srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`],
    ["a style tag", `<style>body{display:none}</style>`],
    ["a style attribute", `<p style="background:url(javascript:alert(1))">x</p>`],
    ["an event handler on an allowed tag", `<p onclick="alert(1)">x</p>`],
    ["a form with a formaction button", `<form><button formaction="javascript:alert(1)">x</button></form>`],
    ["an object", `<object data="javascript:alert(1)"></object>`],
    ["an embed", `<embed src="javascript:alert(1)">`],
    ["a meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`],
    ["a base tag", `<base href="javascript:alert(1)//">`],
    ["a link tag", `<link rel="stylesheet" href="https://evil.example/x.css">`],
    ["HTML inside a Markdown link's text", `[<img src=x onerror=alert(1)>](https://example.com)`],
    ["a Markdown link inside raw HTML", `<div>[x](javascript:alert(1))</div>`],
    ["a Markdown image inside a link", `[![x](javascript:alert(1))](javascript:alert(1))`],
    ["a reference-style link", `[x][1]\n\n[1]: javascript:alert(1)`],
    ["an autolink", `<javascript:alert(1)>`],
    ["a broken-up tag", `<scr<script>ipt>alert(1)</scr</script>ipt>`],
    ["an unclosed attribute", `<a href="https://example.com" onmouseover="alert(1)`],
    ["a math element", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`],
    ["a noscript trick", `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`],
    ["a comment trick", `<!--><img src=x onerror=alert(1)>-->`],
    ["an input with onfocus", `<input autofocus onfocus=alert(1)>`],
    ["a details ontoggle", `<details open ontoggle=alert(1)><summary>x</summary></details>`],
  ];

  it.each(VECTORS)("defuses %s", (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(dangers(html)).toEqual([]);
    expect(html.toLowerCase()).not.toContain("<script");
    // Inside tags (text may say anything, escaped).
    expect(html.toLowerCase()).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/);
    expect(html.toLowerCase()).not.toMatch(
      /<[a-z][^>]*(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):/,
    );
  });

  it("shows Markdown the parser cannot take (nested thousands deep) as escaped text, never failing", () => {
    const deep = `${"> ".repeat(5_000)}<img src=x onerror=alert(1)>`;
    const html = renderMarkdown(deep);
    expect(html.startsWith("<pre>&gt; &gt; ")).toBe(true);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;</pre>");
    expect(dangers(html)).toEqual([]);
  });

  it("never lets anything dangerous through, for any mix of tricks (property)", () => {
    const pieces = fc.constantFrom(
      ...VECTORS.map(([, v]) => v),
      "<",
      ">",
      '"',
      "'",
      "&#",
      ":",
      "](",
      "[",
      ")",
      "\n",
      "\n\n",
      "`",
      "javascript",
      "on",
      "error=",
      " ",
      "<a href=",
      "<img src=",
      "https://example.com",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 25 }), (parts) => {
        const html = renderMarkdown(parts.join(""));
        expect(dangers(html)).toEqual([]);
        // Sanitizing what we produced changes nothing: the output is already inside the allow-list.
        expect(sanitizeMarkdownHtml(html)).toBe(html);
      }),
      { numRuns: 300 },
    );
  });
});

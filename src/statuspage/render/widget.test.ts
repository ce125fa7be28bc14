import { Window } from "happy-dom";
import { afterEach, describe, expect, it } from "vitest";
import { renderWidgetScript, widgetSnippet } from "./widget.ts";

describe("widgetSnippet", () => {
  it("links to the page and loads the script from it", () => {
    expect(widgetSnippet("https://status.example.com/")).toBe(
      '<a data-runsheet-status="https://status.example.com" href="https://status.example.com">Status</a>' +
        '<script async src="https://status.example.com/widget.js"></script>',
    );
  });

  it("escapes the URL in every attribute", () => {
    const snippet = widgetSnippet("https://example.com/a&b'c/");
    expect(snippet).toBe(
      '<a data-runsheet-status="https://example.com/a&amp;b&#39;c" href="https://example.com/a&amp;b&#39;c">Status</a>' +
        '<script async src="https://example.com/a&amp;b&#39;c/widget.js"></script>',
    );
  });

  it("keeps only the page's root: no query or fragment", () => {
    expect(widgetSnippet("https://status.example.com/status/?utm=x#top")).toContain(
      'href="https://status.example.com/status"',
    );
  });

  it("refuses a URL that is not http(s)", () => {
    expect(() => widgetSnippet("javascript:alert(1)")).toThrow(/http/);
    expect(() => widgetSnippet("not a url")).toThrow(/http/);
  });
});

describe("renderWidgetScript", () => {
  const script = renderWidgetScript();
  it("never turns text into markup", () => {
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it("is plain script that parses", () => {
    expect(() => new Function(script)).not.toThrow();
  });

  const windows: Window[] = [];
  afterEach(async () => {
    await Promise.all(windows.splice(0).map((window) => window.happyDOM.close()));
  });

  /** Runs the script in a fresh page holding `html`, answering its fetches with `respond`. */
  async function run(html: string, respond: (url: string) => Promise<Response>) {
    const window = new Window({ url: "https://customer.example.org/" });
    windows.push(window);
    const { document } = window;
    const requested: string[] = [];
    const fetch = (input: string) => {
      requested.push(input);
      return respond(input);
    };
    const holder = document.createElement("div");
    // Test markup, written by the test.
    holder.innerHTML = html;
    document.body.append(holder);
    new Function("document", "fetch", "URL", script)(document, fetch, URL);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    return { requested, holder };
  }

  it("shows the description as text, with a dot coloured by the indicator", async () => {
    const description = '<img src=x onerror="window.hacked=1">Partial System Outage';
    const { requested, holder } = await run(
      '<a data-runsheet-status="https://status.example.com/" href="https://status.example.com">Status</a>',
      async () => Response.json({ page: {}, status: { indicator: "major", description } }),
    );
    expect(requested).toEqual(["https://status.example.com/api/v2/status.json"]);
    const link = holder.querySelector("a")!;
    expect(link.textContent).toBe(description);
    expect(holder.querySelector("img")).toBeNull();
    expect(link.getAttribute("href")).toBe("https://status.example.com");
    const dot = link.querySelector("span")!;
    expect(dot.getAttribute("aria-hidden")).toBe("true");
    expect(dot.style.backgroundColor).not.toBe("");
    expect(link.getAttribute("data-runsheet-indicator")).toBe("major");
  });

  it("puts a link inside an element that is not one", async () => {
    const { holder } = await run('<div data-runsheet-status="https://status.example.com"></div>', async () =>
      Response.json({ status: { indicator: "none", description: "All Systems Operational" } }),
    );
    const link = holder.querySelector("div > a")!;
    expect(link.textContent).toBe("All Systems Operational");
    expect(link.getAttribute("href")).toBe("https://status.example.com");
  });

  it("keeps the plain link when the page cannot be read", async () => {
    const { holder } = await run(
      '<a data-runsheet-status="https://status.example.com" href="https://status.example.com">Status</a>',
      async () =>
        Response.json(
          { status: { indicator: "none", description: "All Systems Operational" } },
          { status: 503 },
        ),
    );
    expect(holder.querySelector("a")!.textContent).toBe("Status");
  });

  it("fetches nothing for a URL that is not http(s)", async () => {
    const { requested, holder } = await run(
      '<a data-runsheet-status="javascript:alert(1)" href="#">Status</a>',
      async () => Response.json({ status: { indicator: "none", description: "All Systems Operational" } }),
    );
    expect(requested).toEqual([]);
    expect(holder.querySelector("a")!.textContent).toBe("Status");
  });
});

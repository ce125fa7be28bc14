import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COMPONENT_ID,
  checkComponents,
  componentFieldOf,
  groupSuggestions,
  moveRow,
  newRow,
  renamed,
  rowsOf,
  sameComponents,
  suggestId,
  toComponentsBody,
} from "./components-form";

const existing = rowsOf([
  {
    id: "web-app",
    name: "Web app",
    group: "Apps",
    groupId: "apps",
    description: "app.example.com",
    showUptime: true,
    onlyShowIfDegraded: false,
  },
  {
    id: "card-payments",
    name: "Card payments",
    group: "Payments",
    groupId: "payments",
    description: null,
    showUptime: false,
    onlyShowIfDegraded: true,
  },
]);

describe("component ids", () => {
  it("suggests an id from the name", () => {
    const none = new Set<string>();
    expect(suggestId("Card payments (EU)", none)).toBe("card-payments-eu");
    expect(suggestId("  Café & Bar  ", none)).toBe("cafe-and-bar");
    expect(suggestId("Überweisungen", none)).toBe("uberweisungen");
    expect(suggestId("---", none)).toBe("component");
    expect(suggestId("日本", none)).toBe("component");
    expect(suggestId("x".repeat(80), none)).toHaveLength(63);
  });

  it("keeps a suggestion unique in the list", () => {
    expect(suggestId("Web app", new Set(["web-app"]))).toBe("web-app-2");
    expect(suggestId("Web app", new Set(["web-app", "web-app-2"]))).toBe("web-app-3");
    const long = "a".repeat(63);
    expect(suggestId(long, new Set([long]))).toBe(`${"a".repeat(61)}-2`);
  });

  it("always suggests an id the server accepts", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.array(fc.string(), { maxLength: 5 }), (name, taken) => {
        const id = suggestId(name, new Set(taken));
        expect(id).toMatch(COMPONENT_ID);
        expect(taken).not.toContain(id);
      }),
    );
  });

  it("lets a new row's id follow its name until the id is typed", () => {
    const rows = [...existing, newRow("new:1")];
    const named = renamed(rows, 2, "Web app");
    expect(named[2]?.id).toBe("web-app-2");
    expect(renamed(named, 2, "")[2]?.id).toBe("");
    const typed = named.map((r, i) => (i === 2 ? { ...r, id: "webapp", idEdited: true } : r));
    expect(renamed(typed, 2, "Reports")[2]?.id).toBe("webapp");
    // An existing component keeps its id, which incidents and history refer to.
    expect(renamed(rows, 0, "Dashboard")[0]).toMatchObject({ id: "web-app", name: "Dashboard" });
  });
});

describe("the components list", () => {
  it("checks ids, names and lengths with the server's words, by the server's paths", () => {
    const rows = [
      ...existing,
      { ...newRow("a"), id: "Web App", name: "Web" },
      { ...newRow("b"), id: "web-app", name: " " },
      { ...newRow("c"), id: "", name: "Reports", group: "g".repeat(101) },
    ];
    expect(checkComponents(rows)).toEqual({
      "components.2.id": "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
      "components.3.id": '"web-app" is listed twice',
      "components.3.name": "give the component a name",
      "components.4.id":
        "give it an id: use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit",
      "components.4.group": "at most 100 characters",
    });
    expect(checkComponents(existing)).toEqual({});
  });

  it("builds the whole list in page order, empty text as null", () => {
    const rows = moveRow(
      [...existing, { ...newRow("n"), id: "reports", name: " Reports ", group: " " }],
      2,
      -2,
    );
    expect(toComponentsBody(rows).components).toEqual([
      {
        id: "reports",
        name: "Reports",
        group: null,
        description: null,
        showUptime: true,
        onlyShowIfDegraded: false,
      },
      {
        id: "web-app",
        name: "Web app",
        group: "Apps",
        description: "app.example.com",
        showUptime: true,
        onlyShowIfDegraded: false,
      },
      {
        id: "card-payments",
        name: "Card payments",
        group: "Payments",
        description: null,
        showUptime: false,
        onlyShowIfDegraded: true,
      },
    ]);
  });

  it("moves a row up and down, not past either end", () => {
    expect(moveRow(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveRow(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveRow(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveRow(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
  });

  it("suggests the groups in use, once each", () => {
    expect(groupSuggestions([...existing, { ...newRow("x"), group: "Apps " }])).toEqual(["Apps", "Payments"]);
  });

  it("tells a change from none", () => {
    expect(
      sameComponents(
        existing,
        rowsOf(toComponentsBody(existing).components.map((c) => ({ ...c, groupId: null }))),
      ),
    ).toBe(true);
    expect(sameComponents(existing, moveRow(existing, 0, 1))).toBe(false);
  });

  it("maps the server's paths to the form's fields", () => {
    expect(componentFieldOf("body.components.1.id")).toBe("components.1.id");
    expect(componentFieldOf("components.3.show_uptime")).toBe("components.3.showUptime");
    expect(componentFieldOf("components.3.only_show_if_degraded")).toBe("components.3.onlyShowIfDegraded");
  });
});

import { describe, expect, it } from "vitest";
import { type KeyInput, matchShortcut } from "./shortcuts";

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inField: false,
  ...extra,
});

describe("matchShortcut", () => {
  it("finds single keys", () => {
    expect(matchShortcut(key("d"), null)).toEqual({ action: "declare", pending: null });
    expect(matchShortcut(key("?"), null)).toEqual({ action: "help", pending: null });
  });

  it("waits for the second key of a sequence", () => {
    const first = matchShortcut(key("g"), null);
    expect(first).toEqual({ action: null, pending: "g" });
    expect(matchShortcut(key("p"), first.pending)).toEqual({ action: "go-plan", pending: null });
    expect(matchShortcut(key("x"), "g")).toEqual({ action: null, pending: null });
    expect(matchShortcut(key("o"), "g").action).toBe("go-on-call");
    expect(matchShortcut(key("l"), "g").action).toBe("go-alerts");
    expect(matchShortcut(key("m"), "g").action).toBe("go-me");
  });

  it("leaves typing in fields and modified keys alone", () => {
    expect(matchShortcut(key("d", { inField: true }), null).action).toBeNull();
    expect(matchShortcut(key("d", { ctrlKey: true }), null).action).toBeNull();
    expect(matchShortcut(key("i", { inField: true }), "g").action).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { safeNext } from "./sign-in-screen";

describe("where sign-in goes next", () => {
  it("goes back to the page the user came from", () => {
    expect(safeNext("/incidents/INC-4")).toBe("/incidents/INC-4");
  });

  it("never leaves the app", () => {
    expect(safeNext("//evil.example.com")).toBe("/incidents");
    expect(safeNext("https://evil.example.com")).toBe("/incidents");
    expect(safeNext(null)).toBe("/incidents");
  });
});

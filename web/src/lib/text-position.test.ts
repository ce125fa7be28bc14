import { describe, expect, it } from "vitest";
import { lineCount, offsetOf } from "./text-position";

describe("text positions", () => {
  const text = "version: 1\norganization:\n  name: Q\n";

  it("finds the offset of a line and column", () => {
    expect(offsetOf(text, 1)).toBe(0);
    expect(offsetOf(text, 2)).toBe(11);
    expect(offsetOf(text, 3, 3)).toBe(27);
    expect(text.slice(offsetOf(text, 3, 3), offsetOf(text, 3, 7))).toBe("name");
  });

  it("clamps past the end of a line or of the text", () => {
    expect(offsetOf(text, 1, 99)).toBe(10);
    expect(offsetOf(text, 99)).toBe(text.length);
  });

  it("counts lines", () => {
    expect(lineCount("")).toBe(1);
    expect(lineCount(text)).toBe(4);
  });
});

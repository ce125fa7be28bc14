import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graphemeCount, graphemes, mastodonLength, shorten, xWeightedLength } from "./measure.ts";

describe("measuring text like the providers", () => {
  it("counts links as 23 without the sentence's trailing punctuation", () => {
    expect(xWeightedLength("See https://a.co/x.")).toBe(4 + 23 + 1);
    expect(mastodonLength("(https://a.co/x)")).toBe(1 + 23 + 1);
    expect(mastodonLength("https://en.wikipedia.org/wiki/Foo_(bar)")).toBe(23);
  });

  it("weighs CJK and emoji 2 on X, after NFC normalisation", () => {
    expect(xWeightedLength("abc")).toBe(3);
    expect(xWeightedLength("障害")).toBe(4);
    expect(xWeightedLength("👍🏽")).toBe(2);
    expect(xWeightedLength("e\u0301")).toBe(xWeightedLength("é"));
  });

  it("segments long texts in chunks exactly as the segmenter does whole", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 3000 }),
        fc.string({ maxLength: 2500 }),
        (a, b) => {
          const text = `${a}${b}${a}`;
          const whole = Array.from(
            new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text),
            (s) => s.segment,
          );
          expect(graphemes(text)).toEqual(whole);
          expect(graphemeCount(text)).toBe(whole.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("counts a 64 KB text, cut into chunks, like its parts", () => {
    const piece = "Déploiement annulé 👍 ";
    expect(graphemeCount(piece)).toBe(21);
    expect(graphemeCount(piece.repeat(3200))).toBe(21 * 3200);
  });

  it("shortens to fit, keeping the link whole at the end", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.integer({ min: 30, max: 300 }), (text, max) => {
        const tail = "https://status.example.com/incidents/INC-42";
        const out = shorten(text, max, xWeightedLength, tail);
        expect(xWeightedLength(out)).toBeLessThanOrEqual(max);
        if (xWeightedLength(text) <= max) expect(out).toBe(text);
        else expect(out.endsWith(`… ${tail}`)).toBe(true);
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  jaccard,
  LIST_THRESHOLD,
  type Profile,
  REPEAT_THRESHOLD,
  rankSimilar,
  similarity,
  titleWords,
} from "./score.ts";

const profile = (over: Partial<Profile> = {}): Profile => ({
  components: [],
  alertKeys: [],
  title: "",
  ...over,
});

describe("titleWords", () => {
  it("drops case, accents, punctuation, stop words, single characters and plural s", () => {
    expect([...titleWords("Card payments: 5xx above 20% for the Café API (a)")].sort()).toEqual(
      ["20", "5xx", "above", "api", "cafe", "card", "payment"].sort(),
    );
  });

  it("keeps double s and short words as they are", () => {
    expect([...titleWords("Access to DNS is down")].sort()).toEqual(["access", "dns", "down"]);
  });

  it("is empty for a title of nothing but noise", () => {
    expect(titleWords("— a / the —").size).toBe(0);
  });
});

describe("jaccard", () => {
  it("is the shared share of the union", () => {
    expect(jaccard(new Set(["a", "b", "c"]), new Set(["b", "c", "d"]))).toEqual({
      index: 0.5,
      shared: ["b", "c"],
    });
  });

  it("is 0 when either side is empty", () => {
    expect(jaccard(new Set(), new Set(["a"])).index).toBe(0);
    expect(jaccard(new Set(), new Set()).index).toBe(0);
  });
});

describe("similarity", () => {
  it("scores the same components and title as a repeat", () => {
    const a = profile({ components: ["card-payments"], title: "Card payments failing" });
    const s = similarity(a, { ...a });
    expect(s.score).toBe(0.75);
    expect(s.score).toBeGreaterThanOrEqual(REPEAT_THRESHOLD);
    expect(s.reasons.map((r) => r.kind).sort()).toEqual(["components", "title"]);
  });

  it("scores a shared alert key above the repeat threshold on its own", () => {
    const s = similarity(
      profile({ alertKeys: ["card-5xx"], title: "x1" }),
      profile({ alertKeys: ["card-5xx", "other"], title: "y2" }),
    );
    expect(s.score).toBe(0.8);
    expect(s.reasons).toEqual([{ kind: "alert", similarity: 1, shared: ["card-5xx"] }]);
  });

  it("lists one shared component, but does not call it a repeat", () => {
    const s = similarity(
      profile({ components: ["login"], title: "Sign-in codes late" }),
      profile({ components: ["login"], title: "Invitations bounce" }),
    );
    expect(s.score).toBe(0.5);
    expect(s.score).toBeGreaterThanOrEqual(LIST_THRESHOLD);
    expect(s.score).toBeLessThan(REPEAT_THRESHOLD);
  });

  it("combines partial evidence: half the components and half the title words", () => {
    const s = similarity(
      profile({ components: ["a", "b"], title: "alpha beta" }),
      profile({ components: ["a"], title: "alpha" }),
    );
    expect(s.score).toBe(0.438);
    expect(s.reasons.map((r) => [r.kind, r.similarity])).toEqual([
      ["components", 0.5],
      ["title", 0.5],
    ]);
  });

  it("is 0 with no reasons when nothing is shared", () => {
    expect(
      similarity(profile({ components: ["a"], title: "one" }), profile({ components: ["b"], title: "two" })),
    ).toEqual({ score: 0, reasons: [] });
  });

  const arbitraryProfile = fc.record({
    components: fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 4 }),
    alertKeys: fc.array(fc.constantFrom("k1", "k2", "k3"), { maxLength: 3 }),
    title: fc.string({ maxLength: 40 }),
  });

  it("is symmetric, within [0, 1], and has reasons exactly when above 0", () => {
    fc.assert(
      fc.property(arbitraryProfile, arbitraryProfile, (a, b) => {
        const ab = similarity(a, b);
        const ba = similarity(b, a);
        expect(ab.score).toBe(ba.score);
        expect(ab.score).toBeGreaterThanOrEqual(0);
        expect(ab.score).toBeLessThanOrEqual(1);
        expect(ab.reasons.length > 0).toBe(ab.score > 0);
      }),
    );
  });

  it("never lowers the score when more is shared", () => {
    fc.assert(
      fc.property(arbitraryProfile, arbitraryProfile, fc.constantFrom("a", "b", "c", "d"), (a, b, c) => {
        const more = similarity(
          { ...a, components: [...a.components, c] },
          { ...b, components: [...b.components, c] },
        );
        const base = similarity({ ...a, components: a.components.filter((x) => x !== c) }, b);
        // Adding the same component to both sides shares at least as much as removing it from one.
        expect(more.score).toBeGreaterThanOrEqual(base.score);
      }),
    );
  });
});

describe("rankSimilar", () => {
  const current = profile({ components: ["card-payments"], title: "Card payments failing" });
  it("keeps those above the list threshold, most similar first, newest first on a tie, at most five", () => {
    const candidates = [
      { id: "old-same", declaredAt: "2026-01-01T00:00:00.000Z", ...current },
      { id: "new-same", declaredAt: "2026-02-01T00:00:00.000Z", ...current },
      {
        id: "component-only",
        declaredAt: "2026-03-01T00:00:00.000Z",
        ...profile({ components: ["card-payments"], title: "Refunds slow" }),
      },
      { id: "unrelated", declaredAt: "2026-03-02T00:00:00.000Z", ...profile({ title: "DNS outage" }) },
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `filler-${i}`,
        declaredAt: `2026-04-0${i + 1}T00:00:00.000Z`,
        ...profile({ components: ["card-payments"], title: "Something else" }),
      })),
    ];
    const ranked = rankSimilar(current, candidates);
    expect(ranked.map((r) => r.id)).toEqual(["new-same", "old-same", "filler-4", "filler-3", "filler-2"]);
    expect(ranked.every((r) => r.score >= LIST_THRESHOLD)).toBe(true);
  });
});

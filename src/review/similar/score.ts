/**
 * How alike two incidents are, from what is known when one is declared: the
 * components it affects, the keys of the alerts that declared it, and its
 * title. Pure: no store, no clock.
 *
 * Each kind of evidence gives a similarity in [0, 1] (a Jaccard index, or 1
 * for a shared alert key) and a weight; they combine like independent signals
 * ("noisy OR"): score = 1 − Π (1 − weight × similarity). One strong signal is
 * enough to be listed, and every further one raises the score without ever
 * passing 1:
 *
 * | evidence                         | score |
 * | -------------------------------- | ----- |
 * | the same alert key alone         | 0.80  |
 * | the same components alone        | 0.50  |
 * | the same title words alone       | 0.50  |
 * | same components and same title   | 0.75  |
 * | half the components, half title  | 0.44  |
 *
 * A past incident is listed as similar from `LIST_THRESHOLD` (0.3: e.g. a
 * title sharing 60 % of its words, or components overlapping 60 %); it can
 * make the new one a repeat from `REPEAT_THRESHOLD` (0.6: the same alert key,
 * or the same components with a similar title). Sharing one busy component is
 * worth showing, but is not on its own "the same incident twice".
 */

export const WEIGHTS = { alert: 0.8, components: 0.5, title: 0.5 } as const;
export const LIST_THRESHOLD = 0.3;
export const REPEAT_THRESHOLD = 0.6;
/** How many similar incidents are kept per incident. */
export const MAX_SIMILAR = 5;

export type ReasonKind = keyof typeof WEIGHTS;

export interface Reason {
  kind: ReasonKind;
  /** The similarity of this kind of evidence, in [0, 1]. */
  similarity: number;
  /** What the two share: component ids, alert keys, or title words. */
  shared: string[];
}

export interface Profile {
  components: readonly string[];
  alertKeys: readonly string[];
  title: string;
}

export interface Similarity {
  score: number;
  reasons: Reason[];
}

/** Words that say nothing about what broke. */
const STOP_WORDS = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "of",
  "on",
  "or",
  "the",
  "to",
  "was",
  "were",
  "with",
]);

/**
 * A title's words, normalized: accents dropped, lower case, split on anything
 * that is not a letter or digit, stop words and single characters dropped,
 * and a plural `s` taken off longer words ("payments" and "payment" match).
 */
export function titleWords(title: string): Set<string> {
  const words = new Set<string>();
  const plain = title.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  for (const raw of plain.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) continue;
    words.add(raw.length > 3 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw);
  }
  return words;
}

/** |A ∩ B| / |A ∪ B|, and the shared items (sorted); 0 when either set is empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): { index: number; shared: string[] } {
  if (a.size === 0 || b.size === 0) return { index: 0, shared: [] };
  const shared = [...a].filter((x) => b.has(x)).sort();
  return { index: shared.length / (a.size + b.size - shared.length), shared };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** How alike `past` is to `current`, with the reasons (strongest first); score 0 and no reasons when nothing is shared. */
export function similarity(current: Profile, past: Profile): Similarity {
  const reasons: Reason[] = [];
  const keys = jaccard(new Set(current.alertKeys), new Set(past.alertKeys));
  if (keys.shared.length > 0) reasons.push({ kind: "alert", similarity: 1, shared: keys.shared });
  const components = jaccard(new Set(current.components), new Set(past.components));
  if (components.index > 0) {
    reasons.push({ kind: "components", similarity: round(components.index), shared: components.shared });
  }
  const title = jaccard(titleWords(current.title), titleWords(past.title));
  if (title.index > 0) reasons.push({ kind: "title", similarity: round(title.index), shared: title.shared });

  let apart = 1;
  for (const reason of reasons) apart *= 1 - WEIGHTS[reason.kind] * reason.similarity;
  reasons.sort((x, y) => WEIGHTS[y.kind] * y.similarity - WEIGHTS[x.kind] * x.similarity);
  return { score: round(1 - apart), reasons };
}

export interface Candidate extends Profile {
  id: string;
  declaredAt: string;
}

export interface Ranked {
  id: string;
  score: number;
  reasons: Reason[];
}

/**
 * The past incidents at least `LIST_THRESHOLD` alike, most similar first (the
 * more recent first on a tie), at most `MAX_SIMILAR`.
 */
export function rankSimilar(current: Profile, candidates: readonly Candidate[]): Ranked[] {
  return candidates
    .map((c) => ({ id: c.id, declaredAt: c.declaredAt, ...similarity(current, c) }))
    .filter((r) => r.score >= LIST_THRESHOLD)
    .sort(
      (a, b) => b.score - a.score || (a.declaredAt < b.declaredAt ? 1 : a.declaredAt > b.declaredAt ? -1 : 0),
    )
    .slice(0, MAX_SIMILAR)
    .map(({ id, score, reasons }) => ({ id, score, reasons }));
}

/**
 * Measuring and shortening text the way each provider counts it. Never
 * `.length`: it counts UTF-16 code units, so one emoji can count 2 or 11.
 */

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const CHUNK = 1_000;

/**
 * Node 20's segmenter takes quadratic time on long texts (64 KB: ~2 s), so
 * long texts are segmented in chunks, cut only where Unicode always allows a
 * grapheme break: between two printable ASCII characters, or after a line feed.
 */
function chunks(text: string): string[] {
  if (text.length <= CHUNK) return [text];
  const out: string[] = [];
  let start = 0;
  let at = CHUNK;
  while (at < text.length) {
    const a = text.charCodeAt(at - 1);
    const b = text.charCodeAt(at);
    const safe = a === 10 || (a >= 0x20 && a <= 0x7e && b >= 0x20 && b <= 0x7e);
    if (safe) {
      out.push(text.slice(start, at));
      start = at;
      at += CHUNK;
    } else {
      at += 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function graphemes(text: string): string[] {
  return chunks(text).flatMap((part) => Array.from(segmenter.segment(part), (s) => s.segment));
}

export function graphemeCount(text: string): number {
  let n = 0;
  for (const part of chunks(text)) for (const _ of segmenter.segment(part)) n += 1;
  return n;
}

export function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const TRAILING = /[.,:;!?'"\]]+$|\)+$/;

/**
 * The links in a text as X and Mastodon see them: trailing punctuation ends a
 * sentence, not the link ("see https://x.co/a." links https://x.co/a), and a
 * closing parenthesis stays only when the link opened one.
 */
export function linkSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    let link = match[0];
    for (;;) {
      const trail = TRAILING.exec(link);
      if (!trail) break;
      const cut = trail[0];
      if (cut.startsWith(")")) {
        const opens = (link.match(/\(/g) ?? []).length;
        const closes = (link.match(/\)/g) ?? []).length;
        if (closes <= opens) break;
        link = link.slice(0, -1);
      } else {
        link = link.slice(0, -cut.length);
      }
    }
    if (/^https?:\/\/[^/]*\.[^/.]+/.test(link))
      spans.push({ start: match.index, end: match.index + link.length });
  }
  return spans;
}
/** X and Mastodon count every link as 23 characters, whatever its length. */
export const LINK_WEIGHT = 23;

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** X's weight of one grapheme: 1 for Latin and common punctuation, 2 for CJK, emoji and the rest. */
function xWeight(grapheme: string): number {
  if (EMOJI.test(grapheme)) return 2;
  let weight = 0;
  for (const ch of grapheme) {
    const cp = ch.codePointAt(0)!;
    const light =
      (cp >= 0 && cp <= 4351) ||
      (cp >= 8192 && cp <= 8205) ||
      (cp >= 8208 && cp <= 8223) ||
      (cp >= 8242 && cp <= 8247);
    weight += light ? 1 : 2;
  }
  return weight;
}

/** Length as X counts it (twitter-text's weighted length): links 23, CJK and emoji 2. */
export function xWeightedLength(text: string): number {
  // X counts the text after NFC normalisation.
  return weightedLength(text.normalize("NFC"), xWeight);
}

/** Length as Mastodon counts it: characters, with every link 23. */
export function mastodonLength(text: string): number {
  return weightedLength(text, () => 1);
}

function weightedLength(text: string, weigh: (grapheme: string) => number): number {
  let total = 0;
  let last = 0;
  for (const span of linkSpans(text)) {
    for (const g of graphemes(text.slice(last, span.start))) total += weigh(g);
    total += LINK_WEIGHT;
    last = span.end;
  }
  for (const g of graphemes(text.slice(last))) total += weigh(g);
  return total;
}

/**
 * Shortens `text` so that `measure(result) <= max`, cutting at a grapheme
 * boundary (preferably a space) and ending with "…" and then `tail` (the
 * incident's link), which is kept whole. Returns the text unchanged if it fits.
 */
export function shorten(text: string, max: number, measure: (s: string) => number, tail = ""): string {
  if (measure(text) <= max) return text;
  const suffix = tail ? `… ${tail}` : "…";
  if (measure(suffix) > max) return shortenPlain(tail || text, max, measure);
  const parts = graphemes(text);
  let lo = 0;
  let hi = parts.length;
  // The longest prefix that fits with the suffix (binary search: measures are monotonic in the prefix).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(parts.slice(0, mid).join("").trimEnd() + suffix) <= max) lo = mid;
    else hi = mid - 1;
  }
  let prefix = parts.slice(0, lo).join("");
  const space = prefix.lastIndexOf(" ");
  if (space > prefix.length * 0.6) prefix = prefix.slice(0, space);
  return prefix.trimEnd() + suffix;
}

function shortenPlain(text: string, max: number, measure: (s: string) => number): string {
  const parts = graphemes(text);
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(parts.slice(0, mid).join("")) <= max) lo = mid;
    else hi = mid - 1;
  }
  return parts.slice(0, lo).join("");
}

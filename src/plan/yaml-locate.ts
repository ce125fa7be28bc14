import { type Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Pair } from "yaml";

/**
 * Maps between paths in the parsed plan (`roles.1.lead`, as zod reports them)
 * and places in the YAML text, so every error can name a line and a column an
 * editor can jump to.
 */
export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
}

/** Converts character offsets into 1-based line and column. */
export function positionsOf(text: string): (offset: number) => Position {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: at - (lineStarts[low] ?? 0) + 1 };
  };
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (isScalar(node) || isCollection(node) || isAlias(node)) return node.range ?? undefined;
  return undefined;
}

function pairFor(node: unknown, segment: PathSegment): Pair | undefined {
  if (!isMap(node)) return undefined;
  // The last match wins, as it does when YAML is read into an object.
  return node.items.findLast((pair) => isScalar(pair.key) && String(pair.key.value) === String(segment));
}

function itemFor(node: unknown, segment: PathSegment): unknown {
  if (!isSeq(node)) return undefined;
  const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
  return index >= 0 ? node.items[index] : undefined;
}

/**
 * The offset of the node at `path`, or of the nearest parent that exists (a
 * missing field is reported where its mapping is). A field points at its key,
 * except when its value is written on the same line (a scalar or a flow
 * collection): then the value itself is the offending text. With `atKey`, it
 * always points at the key (for fields that should not be there at all).
 */
export function offsetOfPath(doc: Document, path: readonly PathSegment[], atKey = false): number {
  let node: unknown = doc.contents;
  let offset = rangeOf(node)?.[0] ?? 0;
  let complete = true;
  for (const segment of path) {
    if (isAlias(node)) {
      complete = false; // an alias is reported where it is used, not where its anchor is
      break;
    }
    const pair = pairFor(node, segment);
    if (pair) {
      offset = rangeOf(pair.key)?.[0] ?? offset;
      node = pair.value;
      continue;
    }
    const item = itemFor(node, segment);
    if (item === undefined || item === null) {
      complete = false;
      break;
    }
    offset = rangeOf(item)?.[0] ?? offset;
    node = item;
  }
  if (complete && !atKey) {
    const range = rangeOf(node);
    const inline = isScalar(node)
      ? range !== undefined && range[1] > range[0]
      : isCollection(node) && node.flow;
    if (inline && range) offset = range[0];
  }
  return offset;
}

/** Where a node's own text is: [start, end) offsets, if the node exists. */
export function sourceRangeOfPath(doc: Document, path: readonly PathSegment[]): [number, number] | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    node = pairFor(node, segment)?.value ?? itemFor(node, segment);
    if (node === undefined || node === null) return undefined;
  }
  const range = rangeOf(node);
  return range ? [range[0], range[1]] : undefined;
}

/** The path of the innermost node containing `offset`, for errors YAML reports only by offset. */
export function pathAtOffset(doc: Document, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p, offset));
      if (!pair || !isScalar(pair.key)) return path;
      path.push(String(pair.key.value));
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index < 0) return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

function contains(item: unknown, offset: number): boolean {
  if (isPair(item)) {
    const start = rangeOf(item.key)?.[0];
    const end = rangeOf(item.value)?.[2] ?? rangeOf(item.key)?.[2];
    return start !== undefined && end !== undefined && start <= offset && offset <= end;
  }
  const range = rangeOf(item);
  return range !== undefined && range[0] <= offset && offset <= range[2];
}

/** `roles.1.lead`; a key that is empty or holds a dot or space is quoted so the path stays unambiguous. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return "(root)";
  return path
    .map((s) => (typeof s === "string" && (s === "" || /[.\s"]/.test(s)) ? JSON.stringify(s) : String(s)))
    .join(".");
}

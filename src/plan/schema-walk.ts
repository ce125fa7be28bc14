import type { z } from "zod";
import type { PathSegment } from "./yaml-locate.ts";

/**
 * Finds what the schema expects at a path, so an unknown or misspelt field can
 * be answered with the fields that are allowed there ("did you mean …").
 */
/** The schemas a value may be checked against once wrappers (optional, default, pipe, union) are peeled off. */
function alternatives(schema: z.core.$ZodType): z.core.$ZodTypes[] {
  const s = schema as z.core.$ZodTypes;
  const def = s._zod.def;
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return alternatives(def.innerType);
    case "pipe":
      return alternatives(def.in);
    case "union":
      return def.options.flatMap(alternatives);
    default:
      return [s];
  }
}

function children(schema: z.core.$ZodType, segment: PathSegment): z.core.$ZodType[] {
  return alternatives(schema).flatMap((s) => {
    const def = s._zod.def;
    if (def.type === "object") {
      const child = def.shape[String(segment)];
      return child ? [child] : [];
    }
    if (def.type === "array") return typeof segment === "number" ? [def.element] : [];
    if (def.type === "record") return [def.valueType];
    return [];
  });
}

function objectKeys(schema: z.core.$ZodType): string[] {
  return alternatives(schema).flatMap((s) =>
    s._zod.def.type === "object" ? Object.keys(s._zod.def.shape) : [],
  );
}

/** The field names allowed in the mapping at `path`. */
export function knownFieldsAt(root: z.core.$ZodType, path: readonly PathSegment[]): string[] {
  let schemas = [root];
  for (const segment of path) schemas = schemas.flatMap((schema) => children(schema, segment));
  return [...new Set(schemas.flatMap(objectKeys))];
}

/** The closest candidate by edit distance, if it is close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

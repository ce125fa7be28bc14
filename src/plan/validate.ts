import { type Document, parseDocument, type YAMLError } from "yaml";
import { crossCheck } from "./cross-checks.ts";
import { Plan } from "./schema.ts";
import {
  formatPath,
  offsetOfPath,
  type Position,
  pathAtOffset,
  positionsOf,
  sourceRangeOfPath,
} from "./yaml-locate.ts";
import { describeIssues, type Finding } from "./zod-issues.ts";

/**
 * Reads runsheet.yaml in three steps, each only if the one before passed:
 * YAML syntax, the schema, then rules across sections. Every error carries the
 * field, the place in the file and how to fix it; parsePlan never throws, so a
 * bad plan is always answered with errors rather than a stack trace.
 */
export interface PlanError {
  /** Dotted path of the field, e.g. `roles.1.lead`; `(root)` for the file as a whole. */
  path: string;
  message: string;
  hint?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: PlanError[] };

export function parsePlan(text: string, file?: string): PlanResult {
  try {
    return parseOrFail(text);
  } catch (error) {
    // A bug here must not hide the plan's real problem behind a crash.
    const reason = error instanceof Error ? error.message : String(error);
    return fail([
      {
        path: "(root)",
        message: `could not read ${file ?? "the plan"}: ${reason}`,
        hint: "check the YAML near the start of the file; if it looks right, report this as a Runsheet bug",
        line: 1,
        col: 1,
      },
    ]);
  }
}

function parseOrFail(text: string): PlanResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const at = positionsOf(text);
  if (doc.errors.length > 0) return fail(firstYamlErrors(doc.errors).map((e) => yamlError(doc, e, at)));

  // toJS caps alias expansion, so a "billion laughs" file errors instead of eating memory.
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = Plan.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return fail(describeIssues(Plan, parsed.error.issues).map((f) => locate(doc, text, f, at)));
  }

  const findings = crossCheck(parsed.data);
  if (findings.length > 0) return fail(findings.map((f) => locate(doc, text, f, at)));
  return { ok: true, plan: parsed.data };
}

function fail(errors: PlanError[]): PlanResult {
  const sorted = [...errors].sort((a, b) => a.line - b.line || a.col - b.col);
  return { ok: false, errors: sorted };
}

function locate(
  doc: Document,
  text: string,
  finding: Finding & { needle?: string },
  at: (o: number) => Position,
) {
  let offset = offsetOfPath(doc, finding.path, finding.atKey);
  if (finding.needle) {
    // Point at the placeholder itself when it is written verbatim in the source.
    const range = sourceRangeOfPath(doc, finding.path);
    const found = range ? text.slice(range[0], range[1]).indexOf(finding.needle) : -1;
    if (range && found >= 0) offset = range[0] + found;
  }
  return { path: formatPath(finding.path), message: finding.message, hint: finding.hint, ...at(offset) };
}

const YAML_HINTS: Partial<Record<YAMLError["code"], string>> = {
  DUPLICATE_KEY: "each key may appear once in a mapping: merge the two entries or remove one",
  MULTIPLE_DOCS: "keep the whole plan in one YAML document: remove the extra `---`",
  TAB_AS_INDENT: "indent with spaces; YAML does not allow tabs for indentation",
  BAD_INDENT: "line up the entries of one mapping or list at the same column, indenting with spaces",
  MISSING_CHAR: "close the quote or bracket that was opened",
  BLOCK_AS_IMPLICIT_KEY: "put a nested mapping on its own indented lines, or quote text that contains ': '",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line: check for a missing ':' or an unclosed quote above",
  BAD_SCALAR_START: "quote the value: unquoted text cannot start with this character",
  BAD_DQ_ESCAPE: "in double quotes write a backslash as \\\\, or use single quotes",
  UNEXPECTED_TOKEN: "check the punctuation here; quote text that contains ': ', ' #', '[' or '{'",
};

/**
 * After a syntax error the parser guesses, and what it reports next is mostly
 * noise; duplicate keys before it are real and independent, so they are kept.
 */
function firstYamlErrors(errors: readonly YAMLError[]): YAMLError[] {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const firstSyntax = sorted.findIndex((e) => e.code !== "DUPLICATE_KEY");
  return firstSyntax < 0 ? sorted : sorted.slice(0, firstSyntax + 1);
}

function yamlError(doc: Document, error: YAMLError, at: (o: number) => Position): PlanError {
  const path = pathAtOffset(doc, error.pos[0]);
  const message =
    error.code === "DUPLICATE_KEY"
      ? `duplicate key "${String(path.at(-1) ?? "")}"`
      : firstSentence(error.message);
  // An unclosed quote is noticed where the text ends; the fix is where it opened.
  const start =
    error.code === "MISSING_CHAR" ? Math.min(error.pos[0], offsetOfPath(doc, path)) : error.pos[0];
  return {
    path: formatPath(path),
    message,
    hint: YAML_HINTS[error.code] ?? "fix the YAML syntax here; quote text that contains ': ' or ' #'",
    ...at(start),
  };
}

function firstSentence(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** One line per error, in the `file:line:col` form editors and CI logs link to. */
export function formatPlanErrors(errors: readonly PlanError[], file: string): string {
  return errors
    .map((e) => `${file}:${e.line}:${e.col}: ${e.path}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`)
    .join("\n");
}

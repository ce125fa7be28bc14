import type { z } from "zod";
import { DURATION_PATTERN } from "./duration.ts";
import { closest, knownFieldsAt } from "./schema-walk.ts";
import { CHANNEL_SECRET_KEY } from "./secrets.ts";
import type { PathSegment } from "./yaml-locate.ts";

/**
 * Turns zod's issues into sentences for the person editing runsheet.yaml: what
 * is wrong in their words, and what to write instead. zod's default messages
 * ("Invalid input: expected string, received number") say neither.
 */
export interface Finding {
  path: PathSegment[];
  message: string;
  hint: string;
  /** Point at the field's key rather than its value: the field itself is the mistake. */
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

const EXAMPLE = "examples/runsheet.yaml";

export function describeIssues(schema: z.core.$ZodType, issues: readonly Issue[]): Finding[] {
  return issues.flatMap((issue) => describeIssue(schema, issue));
}

function describeIssue(schema: z.core.$ZodType, issue: Issue): Finding[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  const field = path.at(-1);
  // With reportInput, zod sets `input` on every issue; YAML has no undefined, so undefined means absent.
  const missing = issue.input === undefined;
  const shown = show(issue.input, path);

  if (issue.code === "unrecognized_keys") {
    const known = knownFieldsAt(schema, path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      const list =
        known.length > 0 ? `fields allowed here: ${known.join(", ")}` : "no fields are allowed here";
      return {
        path: [...path, key],
        message: `unknown field "${key}"`,
        hint: guess ? `did you mean "${guess}"? ${list}` : `remove it or fix its spelling; ${list}`,
        atKey: true,
      };
    });
  }
  if (path.length === 0 && (issue.input === undefined || issue.input === null)) {
    return [
      {
        path,
        message: "the plan is empty",
        hint: `write organization, definition, severities, roles and templates; start from ${EXAMPLE}`,
      },
    ];
  }
  if (missing && typeof field === "string") {
    return [
      {
        path,
        message: `missing required field "${field}"`,
        hint: `add \`${field}:\` here; ${expectation(issue)}`,
      },
    ];
  }
  if (missing) {
    return [{ path, message: "missing list item", hint: expectation(issue) }];
  }

  switch (issue.code) {
    case "invalid_type":
      if (path.length === 0) {
        return [
          {
            path,
            message: `the plan must be a mapping of fields, not ${shown}`,
            hint: `write organization, definition, severities, roles and templates as \`key: value\` lines; start from ${EXAMPLE}`,
          },
        ];
      }
      return [
        {
          path,
          message: `expected ${typeWords(issue.expected)}, got ${shown}`,
          hint: fieldHint(path) ?? expectation(issue),
        },
      ];
    case "invalid_value":
      return [{ path, message: `${shown} is not allowed here`, hint: expectation(issue) }];
    case "invalid_format":
      return [{ path, message: `${shown} is not ${formatWords(issue)}`, hint: formatHint(issue) }];
    case "too_small":
      if (issue.origin === "array") {
        return [
          {
            path,
            message: "the list is empty",
            hint: customOr(issue.message, `list at least ${issue.minimum} item(s)`),
          },
        ];
      }
      if (issue.origin === "string")
        return [{ path, message: "the text is empty", hint: "write some text here" }];
      return [{ path, message: `${shown} is too small`, hint: `use at least ${issue.minimum}` }];
    case "too_big":
      return [{ path, message: `${shown} is too big`, hint: `use at most ${issue.maximum}` }];
    case "invalid_union":
      return [
        { path, message: `${shown} is not allowed here`, hint: fieldHint(path) ?? `compare with ${EXAMPLE}` },
      ];
    case "custom":
      return [
        {
          path,
          message: `${shown} is not ${field === "timezone" ? "a known time zone" : "valid here"}`,
          hint: issue.message,
        },
      ];
    default:
      return [{ path, message: issue.message, hint: `compare this field with ${EXAMPLE}` }];
  }
}

/** What a value is, in words; secrets are never echoed back into terminals and logs. */
function show(input: unknown, path: readonly PathSegment[]): string {
  if (path.some((s) => typeof s === "string" && CHANNEL_SECRET_KEY.test(s)) && path.includes("settings")) {
    return "this value";
  }
  if (input === null || input === undefined) return "nothing (an empty value)";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `"${input.length > 60 ? `${input.slice(0, 57)}...` : input}"`;
  return String(input);
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value lines)",
};

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? expected;
}

function expectation(issue: Issue): string {
  if (issue.code === "invalid_value") {
    const values = issue.values.map(String);
    return values.length === 1 ? `write ${values[0]}` : `use one of: ${values.join(", ")}`;
  }
  if (issue.code === "invalid_type") return `write ${typeWords(issue.expected)}`;
  return `compare with ${EXAMPLE}`;
}

/** Hints for fields whose type alone does not say how to write them. */
function fieldHint(path: readonly PathSegment[]): string | undefined {
  const field = path.at(-1);
  if (field === "update_every" || field === "ack_within" || field === "min_duration") {
    return "write a duration such as 20m, 1h30m or 2d";
  }
  if (field === "primary" || field === "backup") {
    return "write a person's email (ana@example.com) or an on-call schedule as `{ schedule: schedule-id }`";
  }
  if (path.includes("templates")) return "write the message as text, or as `subject:` and `body:`";
  if (path.includes("settings")) {
    return "write text, a number, true/false, a list of text, or `{ env: NAME }` for a secret";
  }
  if (field === "id") return "write an id such as sev1 or incident-manager";
  return undefined;
}

function formatWords(issue: Issue): string {
  if (issue.code !== "invalid_format") return "valid";
  if (issue.format === "email") return "an email address";
  if (issue.format === "url") return "a URL";
  if (issue.pattern === String(DURATION_PATTERN)) return "a duration";
  if (issue.path.at(-1) === "env") return "an environment variable name";
  if (issue.path.at(-1) === "id" || issue.path.at(-2) === "severities" || issue.path.at(-2) === "roles") {
    return "a valid id";
  }
  return "in the expected format";
}

function formatHint(issue: Issue): string {
  if (issue.path.at(-1) === "env") return "use capital letters, digits and _, such as SLACK_WEBHOOK_URL";
  return customOr(issue.message, `compare with ${EXAMPLE}`);
}

/** zod's own messages start with a capital ("Invalid input"); ours are written as instructions. */
function customOr(message: string, fallback: string): string {
  return /^(Invalid|Too )/.test(message) ? fallback : message;
}

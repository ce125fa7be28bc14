import type { FieldIssue, Problem } from "./types";

/**
 * A failed API call. It carries the problem document the server sent (or one
 * made up for a network failure), and what the user was trying to do, so the
 * message says what failed.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly action: string;

  constructor(action: string, status: number, problem: Problem) {
    super(`${action}: ${problem.detail}`);
    this.name = "ApiError";
    this.action = action;
    this.status = status;
    this.problem = problem;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.detail === "string" && typeof candidate.title === "string";
}

/** The server's problem document, or one that says as much as we know. */
export function toProblem(status: number, body: unknown): Problem {
  if (isProblem(body)) {
    return { ...body, errors: Array.isArray(body.errors) ? body.errors : [] };
  }
  if (status === 0) {
    return {
      type: "about:blank",
      title: "No connection",
      status: 0,
      code: "network",
      detail: "The server could not be reached. Check your connection; what you typed is kept.",
      errors: [],
    };
  }
  const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 200) : `HTTP ${status}`;
  return {
    type: "about:blank",
    title: status >= 500 ? "Server error" : "Request failed",
    status,
    code: status >= 500 ? "internal" : "bad_request",
    detail: `The server answered ${status}: ${text}`,
    errors: [],
  };
}

/**
 * The path of a field as the form knows it. Schema errors come as
 * `body.title` or `querystring.x`; rule errors as `title` or `criteria.0`.
 */
export function fieldPath(path: string): string {
  return path.replace(/^(body|querystring|params)(\.|$)/, "");
}

export function describeIssue(issue: FieldIssue): string {
  return issue.hint ? `${issue.message}: ${issue.hint}` : issue.message;
}

/** The messages for one field: its own and its children's (`criteria` shows `criteria.2`). */
export function errorsFor(problem: Problem | undefined, field: string): string[] {
  if (!problem) return [];
  return problem.errors
    .filter((issue) => {
      const path = fieldPath(issue.path);
      return path === field || path.startsWith(`${field}.`);
    })
    .map(describeIssue);
}

/** The issues no field on the form shows, so the form's alert lists them. */
export function unclaimedIssues(problem: Problem, fields: readonly string[]): FieldIssue[] {
  return problem.errors.filter((issue) => {
    const path = fieldPath(issue.path);
    return !fields.some((field) => path === field || path.startsWith(`${field}.`));
  });
}

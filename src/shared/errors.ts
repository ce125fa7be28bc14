/**
 * The one error type of Runsheet. Domain code throws it with a `code`; the HTTP
 * layer maps the code to a status once (http/problem.ts) and the CLI maps it to
 * an exit code once (cli/output.ts). The domain never speaks in status codes.
 */
export type ErrorCode =
  | "invalid" // the request is well-formed but breaks a rule (unknown criterion, missing final fix)
  | "bad_request" // the request does not match its schema (wrong type, unknown field)
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict" // a concurrent change won, or the thing already exists
  | "too_large"
  | "rate_limited"
  | "unavailable";

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `components.0.impact`. */
  path: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.issues = issues;
  }
}

export const invalid = (message: string, issues: FieldIssue[] = []) =>
  new AppError("invalid", message, issues);
export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);
export const forbidden = (message: string) => new AppError("forbidden", message);
export const conflict = (message: string) => new AppError("conflict", message);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Turns a zod error's issues into our field issues. */
export function issuesFromZod(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

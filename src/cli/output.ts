import { type ErrorCode, isAppError } from "../shared/errors.ts";

/** The one mapping from error codes to process exit codes. */
export const EXIT_CODES: Record<ErrorCode, number> = {
  invalid: 1,
  bad_request: 1,
  too_large: 1,
  unauthenticated: 4,
  forbidden: 4,
  not_found: 3,
  conflict: 5,
  rate_limited: 6,
  unavailable: 10,
};

export interface Output {
  json: boolean;
}

/** Prints data: as JSON with --json, else through the given human formatter. */
export function print<T>(out: Output, data: T, human: (data: T) => string): void {
  process.stdout.write(out.json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
}

/** Reports an error on stderr and returns the exit code for it. */
export function reportError(error: unknown): number {
  if (isAppError(error)) {
    process.stderr.write(`runsheet: ${error.message}\n`);
    for (const issue of error.issues) {
      process.stderr.write(`  ${issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ""}\n`);
    }
    return EXIT_CODES[error.code];
  }
  process.stderr.write(
    `runsheet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 70;
}

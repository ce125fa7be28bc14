import createClient from "openapi-fetch";
import { ApiError, toProblem } from "./problem";
import type { paths } from "./schema";

/** The one way the app talks to the server: the documented /api/v1, typed from its OpenAPI document. */
export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits a typed request and returns its data, or throws an ApiError that
 * names the action ("Could not declare the incident") and carries the problem.
 */
export async function call<T>(action: string, request: Promise<Result<T>>): Promise<NonNullable<T>> {
  let result: Result<T>;
  try {
    result = await request;
  } catch {
    throw new ApiError(action, 0, toProblem(0, null));
  }
  if (!result.response.ok || result.error !== undefined) {
    throw new ApiError(action, result.response.status, toProblem(result.response.status, result.error));
  }
  return result.data as NonNullable<T>;
}

/** For answers without a body (204). */
export async function callVoid(action: string, request: Promise<Result<unknown>>): Promise<void> {
  await call(action, request);
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { type ErrorCode, type FieldIssue, isAppError } from "../shared/errors.ts";
import { escapeHtml } from "../shared/html.ts";

/**
 * Errors leave the API as RFC 9457 problem documents, with the failing fields
 * in `errors`. This is the one place an error code becomes an HTTP status.
 */
export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Sign in first",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  406: "Not acceptable",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported media type",
  422: "Not valid",
  429: "Too many requests",
  500: "Internal error",
  503: "Unavailable",
};

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({
      description:
        "bad_request, unauthenticated, forbidden, not_found, conflict, too_large, invalid, unavailable, internal",
    }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), hint: z.string().optional() }))
      .meta({ description: "Each failing field, with a hint on how to fix it." }),
  })
  .meta({ id: "Problem", description: "An RFC 9457 problem document." });
export type Problem = z.infer<typeof Problem>;

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors: FieldIssue[] = [],
): FastifyReply {
  if (isFormPost(reply.request)) return sendFormProblem(reply, status, detail, errors);
  const body: Problem = {
    type: `https://runsheet.dev/problems/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    errors,
  };
  return reply.code(status).type("application/problem+json").send(body);
}

/** A plain HTML form (the status page's subscribe form works without JavaScript). */
function isFormPost(request: FastifyRequest): boolean {
  return String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
}

/** The same problem as a small page a person can read, for form posts. */
function sendFormProblem(
  reply: FastifyReply,
  status: number,
  detail: string,
  errors: FieldIssue[],
): FastifyReply {
  const items = errors
    .map(
      (e) =>
        `<li><strong>${escapeHtml(e.path.replace(/^body\./, ""))}</strong>: ${escapeHtml(e.message)}${e.hint ? ` (${escapeHtml(e.hint)})` : ""}</li>`,
    )
    .join("");
  const title = TITLES[status] ?? "Error";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>${items ? `<ul>${items}</ul>` : ""}<p>Go back, correct the form and send it again.</p></main></body></html>`;
  return reply
    .code(status)
    .type("text/html; charset=utf-8")
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
    .send(html);
}

function zodIssuesOf(error: FastifyError): FieldIssue[] {
  const context = (error as { validationContext?: string }).validationContext ?? "body";
  return (error.validation ?? []).map((v) => {
    const pointer = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
    const issue = (v.params as { issue?: { code?: string; keys?: string[] } }).issue;
    const unknownKeys = issue?.code === "unrecognized_keys" ? issue.keys : undefined;
    return {
      path: [context, pointer].filter(Boolean).join("."),
      message: v.message ?? "is not valid",
      ...(unknownKeys
        ? { hint: `remove ${unknownKeys.join(", ")}; see /api/v1/openapi.json for the fields` }
        : {}),
    };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(error)) {
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
      return sendProblem(reply, STATUS_OF[error.code], error.code, error.message, error.issues);
    }
    if (error instanceof z.ZodError) {
      const issues = error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
      return sendProblem(reply, 400, "bad_request", "The request is not valid.", issues);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = zodIssuesOf(error);
      return sendProblem(
        reply,
        400,
        "bad_request",
        `The request is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendProblem(reply, 413, "too_large", "The request body is too large.", [
        { path: "body", message: error.message, hint: "send a smaller body" },
      ]);
    }
    if (status >= 400 && status < 500) {
      const code = status === 415 ? "unsupported_media_type" : "bad_request";
      const hint = status === 415 ? "send Content-Type: application/json" : undefined;
      return sendProblem(reply, status, code, error.message, [
        { path: "body", message: error.message, ...(hint ? { hint } : {}) },
      ]);
    }
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, 500, "internal", "Something went wrong on the server; it has been logged.");
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, "not_found", `There is no ${request.method} ${request.url.split("?")[0]} here.`),
  );
}

import { z } from "zod";
import { type PublishUpdateInput, StatusUpdate, UpdatePreview } from "../comms/model.ts";
import {
  type AssignRoleInput,
  ChecklistItem,
  type DeclareInput,
  Incident,
  type StatusInput,
  TimelineEntry,
  type TimelineInput,
} from "../incidents/index.ts";
import type { Phase } from "../plan/index.ts";
import { AppError, type ErrorCode, type FieldIssue } from "../shared/errors.ts";
import { EXIT_CODES } from "./output.ts";

/**
 * A small typed client of the REST API for the CLI. Problem answers become
 * AppError with the server's code and field issues, so the CLI reports them
 * like its own errors; a server that cannot be reached is `unavailable`.
 */

export const DEFAULT_URL = "http://127.0.0.1:3000";
const TIMEOUT_MS = 30_000;

export interface ClientConfig {
  /** Base address of the server, without a trailing slash. */
  url: string;
  token: string;
}

type Env = Record<string, string | undefined>;

const BaseUrl = z.url({
  protocol: /^https?$/,
  error: "use an http:// or https:// address, such as http://127.0.0.1:3000",
});

/** Reads RUNSHEET_URL and RUNSHEET_TOKEN once, at the command boundary. */
export function clientConfig(env: Env): ClientConfig {
  const raw = env.RUNSHEET_URL?.trim() || DEFAULT_URL;
  const url = BaseUrl.safeParse(raw);
  if (!url.success) {
    throw new AppError("invalid", `RUNSHEET_URL is not a valid address: ${raw}`, [
      {
        path: "RUNSHEET_URL",
        message: url.error.issues[0]?.message ?? "not a URL",
        hint: "set it to the server's address",
      },
    ]);
  }
  const token = env.RUNSHEET_TOKEN?.trim();
  if (!token) {
    throw new AppError("unauthenticated", "No API token: set RUNSHEET_TOKEN.", [
      {
        path: "RUNSHEET_TOKEN",
        message: "not set",
        hint: "create one with `runsheet token create --email you@example.com`, then export RUNSHEET_TOKEN=rs_…",
      },
    ]);
  }
  return { url: url.data.replace(/\/+$/, ""), token };
}

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
const IncidentPage = pageOf(Incident);
const TimelinePage = pageOf(TimelineEntry);
export type Page<T> = { items: T[]; nextCursor?: string | undefined };

const ProblemBody = z.object({
  detail: z.string().optional(),
  title: z.string().optional(),
  code: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), hint: z.string().optional() }))
    .optional(),
});

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "too_large",
  422: "invalid",
};

function isErrorCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && Object.hasOwn(EXIT_CODES, code);
}

function errorCodeOf(status: number, bodyCode: string | undefined): ErrorCode {
  if (isErrorCode(bodyCode)) return bodyCode;
  if (status >= 500) return "unavailable";
  return CODE_OF_STATUS[status] ?? "bad_request";
}

/** Turns an error answer (problem+json, or whatever a proxy sent) into an AppError. */
export function problemToError(baseUrl: string, status: number, text: string): AppError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const problem = ProblemBody.safeParse(json);
  const body = problem.success ? problem.data : {};
  const code = errorCodeOf(status, body.code);
  const message = body.detail || body.title || `Runsheet at ${baseUrl} answered HTTP ${status}.`;
  const issues: FieldIssue[] = (body.errors ?? []).map((e) =>
    e.hint ? e : { path: e.path, message: e.message },
  );
  return new AppError(code, message, issues);
}

/** Why fetch failed (ECONNREFUSED, ENOTFOUND, "bad port"…), which it hides in `cause`. */
function networkCause(error: unknown): { code?: string; message?: string } {
  const cause = (
    error as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } }
  ).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return {
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof cause?.message === "string" && cause.message ? { message: cause.message } : {}),
  };
}

function unreachable(baseUrl: string, error: unknown): AppError {
  if (error instanceof Error && error.name === "TimeoutError") {
    return new AppError(
      "unavailable",
      `Runsheet at ${baseUrl} did not answer within ${TIMEOUT_MS / 1000} s.`,
    );
  }
  const cause = networkCause(error);
  if (cause.code === "ECONNREFUSED") {
    return new AppError(
      "unavailable",
      `Cannot reach Runsheet at ${baseUrl}: is the server running? Set RUNSHEET_URL.`,
    );
  }
  const why = cause.code ?? cause.message ?? (error instanceof Error ? error.message : String(error));
  return new AppError(
    "unavailable",
    `Cannot reach Runsheet at ${baseUrl} (${why}): check RUNSHEET_URL and the network.`,
  );
}

type Query = Record<string, string | number | boolean | undefined>;

export interface IncidentFilter {
  status?: "active" | "resolved" | "investigating" | "identified" | "monitoring" | undefined;
  severity?: string | undefined;
  mine?: boolean | undefined;
  drill?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export type ApiClient = ReturnType<typeof apiClient>;

export function apiClient(config: ClientConfig) {
  const base = config.url.replace(/\/+$/, "");
  const seg = encodeURIComponent;

  async function call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    options: { body?: unknown; query?: Query } = {},
  ): Promise<z.output<S>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.size > 0 ? `?${params}` : "";
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${config.token}`,
    };
    // No content-type without a body: the server refuses an empty JSON body.
    if (options.body !== undefined) headers["content-type"] = "application/json";
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${base}${path}${search}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw unreachable(base, error);
    }
    if (status < 200 || status >= 300) throw problemToError(base, status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError(
        "unavailable",
        `Runsheet at ${base} answered ${method} ${path} with something that is not JSON.`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        "unavailable",
        `Runsheet at ${base} answered ${method} ${path} in a shape this CLI does not know: is it the same version as the server?`,
        parsed.error.issues
          .slice(0, 5)
          .map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
      );
    }
    // Checked, but handed back as sent, so --json shows the server's answer unchanged.
    return json as z.output<S>;
  }

  const incident = (ref: string) => `/api/v1/incidents/${seg(ref)}`;

  async function timeline(
    ref: string,
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<TimelineEntry>> {
    return call(TimelinePage, "GET", `${incident(ref)}/timeline`, { query: page });
  }

  return {
    url: base,

    declare: (input: DeclareInput): Promise<Incident> =>
      call(Incident, "POST", "/api/v1/incidents", { body: input }),

    listIncidents: (filter: IncidentFilter = {}): Promise<Page<Incident>> =>
      call(IncidentPage, "GET", "/api/v1/incidents", {
        query: {
          status: filter.status,
          severity: filter.severity,
          mine: filter.mine ? true : undefined,
          drill: filter.drill,
          limit: filter.limit,
          cursor: filter.cursor,
        },
      }),

    getIncident: (ref: string): Promise<Incident> => call(Incident, "GET", incident(ref)),

    changeStatus: (ref: string, input: StatusInput): Promise<Incident> =>
      call(Incident, "POST", `${incident(ref)}/status`, { body: input }),

    handOverRole: (ref: string, roleId: string, to: AssignRoleInput): Promise<Incident> =>
      call(Incident, "PUT", `${incident(ref)}/roles/${seg(roleId)}`, { body: to }),

    setChecklistItem: (ref: string, itemId: string, done: boolean): Promise<ChecklistItem> =>
      call(ChecklistItem, "PUT", `${incident(ref)}/checklist/${seg(itemId)}`, { body: { done } }),

    appendEntry: (ref: string, input: TimelineInput): Promise<TimelineEntry> =>
      call(TimelineEntry, "POST", `${incident(ref)}/timeline`, { body: input }),

    confirmFinalFix: (ref: string, entryId: string): Promise<TimelineEntry> =>
      call(TimelineEntry, "POST", `${incident(ref)}/timeline/${seg(entryId)}/confirm`),

    timeline,

    /** The whole timeline, oldest first, following nextCursor page by page. */
    async wholeTimeline(ref: string, pageSize?: number): Promise<{ items: TimelineEntry[] }> {
      const items: TimelineEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await timeline(ref, {
          ...(pageSize ? { limit: pageSize } : {}),
          ...(cursor ? { cursor } : {}),
        });
        items.push(...page.items);
        // A cursor that does not move on would page forever.
        if (page.nextCursor !== undefined && (page.nextCursor === cursor || page.items.length === 0)) {
          throw new AppError(
            "unavailable",
            `Runsheet at ${base} gave a timeline cursor that does not move on.`,
          );
        }
        cursor = page.nextCursor;
      } while (cursor);
      return { items };
    },

    previewUpdate: (
      ref: string,
      input: { phase: Phase; body?: string; subject?: string },
    ): Promise<z.infer<typeof UpdatePreview>> =>
      call(UpdatePreview, "POST", `${incident(ref)}/updates/preview`, { body: input }),

    publishUpdate: (
      ref: string,
      input: Partial<PublishUpdateInput> & { phase: Phase },
    ): Promise<StatusUpdate> => call(StatusUpdate, "POST", `${incident(ref)}/updates`, { body: input }),
  };
}

import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { AppError } from "../shared/errors.ts";
import type { AppDeps } from "./app.ts";
import { Problem } from "./problem.ts";

/** The error answers every authenticated route may give, for the OpenAPI document. */
export function withProblems<T extends Record<number, z.ZodType>>(responses: T) {
  return {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    413: Problem,
    422: Problem,
    ...responses,
  };
}

export const IdParams = z.object({
  id: z.string().min(1).max(100).meta({ description: "Incident id or reference (INC-42)" }),
});

export function ctxOf(deps: AppDeps, request: FastifyRequest): Ctx {
  return {
    store: deps.store,
    actor: request.actor ?? { kind: "system" },
    clock: deps.clock,
    plans: deps.plans,
    publicUrl: deps.publicUrl,
    events: deps.events,
    comms: deps.comms,
  };
}

/** Reads If-Match (`"7"` or `7`) as the incident version the client last saw. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers["if-match"];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(String(header).trim());
  if (!match) {
    throw new AppError("bad_request", "If-Match must be the incident's version, as in its ETag.", [
      {
        path: "headers.if-match",
        message: "not a version",
        hint: 'send the ETag you received, e.g. If-Match: "3"',
      },
    ]);
  }
  return Number(match[1]);
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header("etag", `"${version}"`);
}

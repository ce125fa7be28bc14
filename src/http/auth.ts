import type { FastifyInstance, FastifyRequest } from "fastify";
import { authenticateSession, authenticateToken } from "../auth/credentials.ts";
import { type Access, type Actor, hasRole } from "../auth/model.ts";
import type { Clock } from "../shared/clock.ts";
import { AppError } from "../shared/errors.ts";
import type { Store } from "../store/open.ts";

export const SESSION_COOKIE = "runsheet_session";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; the app refuses to start otherwise. */
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/**
 * Resolves who calls (bearer token, else session cookie) and checks the
 * route's declared access. Routes without a declaration make the app fail at
 * start, so no route can be forgotten.
 */
export function registerAuth(
  app: FastifyInstance,
  deps: { store: Store; clock: Clock; publicPrefixes: string[] },
  routes: RouteInfo[],
): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("sessionId", null);

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let access = route.config?.access;
    if (!access && deps.publicPrefixes.some((p) => route.url.startsWith(p))) {
      access = "public";
      route.config = { ...route.config, access };
    }
    if (!access) throw new Error(`Route ${methods.join(",")} ${route.url} does not declare who may call it.`);
    for (const method of methods) {
      if (method !== "HEAD") routes.push({ method, url: route.url, access });
    }
  });

  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? "public";
    if (access === "public") {
      // Who calls a public route is only a courtesy: monitoring tools often
      // send their own Authorization header to the intake URLs, and that must
      // not turn a valid alert into a 401.
      request.actor = await identify(request, deps).catch(() => null);
      return;
    }
    const actor = await identify(request, deps);
    request.actor = actor;
    if (!actor) {
      throw new AppError("unauthenticated", "Sign in, or send an API token as 'Authorization: Bearer rs_…'.");
    }
    if (!hasRole(actor, access)) {
      const role = actor.kind === "user" ? actor.user.role : "system";
      throw new AppError("forbidden", `This needs the ${access} role or higher; you are a ${role}.`);
    }
  });
}

async function identify(
  request: FastifyRequest,
  deps: { store: Store; clock: Clock },
): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw new AppError("unauthenticated", "Send the API token as 'Authorization: Bearer rs_…'.");
    }
    const user = await authenticateToken(deps.store, token, deps.clock.now());
    if (!user) throw new AppError("unauthenticated", "The API token is unknown or revoked.");
    return { kind: "user", user, via: "token" };
  }
  const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (!sessionId) return null;
  const user = await authenticateSession(deps.store.db, sessionId, deps.clock.now());
  if (!user) return null;
  // A browser session may only change things from our own pages: a request
  // from another site's page carries its Origin, which must be ours.
  const origin = request.headers.origin;
  if (UNSAFE.has(request.method) && origin && hostOf(origin) !== request.headers.host) {
    throw new AppError("forbidden", "Cross-site requests with a session cookie are refused.");
  }
  request.sessionId = sessionId;
  return { kind: "user", user, via: "session" };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

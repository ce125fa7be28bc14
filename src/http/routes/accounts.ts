import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  CreateTokenInput,
  createToken,
  listTokens,
  revokeToken,
  SESSION_DAYS,
  signIn,
  signOut,
  startSession,
} from "../../auth/credentials.ts";
import { isAdmin, OrgRole } from "../../auth/model.ts";
import { SetupInput } from "../../auth/setup.ts";
import {
  CreateUserInput,
  createUser,
  findUser,
  getUser,
  listUsers,
  UpdateUserInput,
  updateUser,
} from "../../auth/users.ts";
import { AppError, notFound } from "../../shared/errors.ts";
import type { AppDeps } from "../app.ts";
import { SESSION_COOKIE } from "../auth.ts";
import { ctxOf, withProblems } from "../route-helpers.ts";

const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: OrgRole,
    timezone: z.string(),
    createdAt: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: "User" });

const ApiToken = z
  .object({
    id: z.string(),
    label: z.string(),
    prefix: z.string().meta({ description: "The first characters, to recognise the token" }),
    userId: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revoked: z.boolean(),
  })
  .meta({ id: "ApiToken" });

const Me = z.object({ user: User });

export function accountRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  const secure = deps.publicUrl.startsWith("https://");
  const setCookie = (reply: FastifyReply, value: string, maxAge: number) =>
    reply.header(
      "set-cookie",
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`,
    );

  return async (app) => {
    app.get(
      "/api/v1/setup",
      {
        config: { access: "public" },
        schema: {
          tags: ["accounts"],
          summary: "Whether the first admin still has to be set up",
          response: { 200: z.object({ pending: z.boolean() }) },
        },
      },
      async () => ({ pending: deps.setup.pending }),
    );

    app.post(
      "/api/v1/setup",
      {
        config: { access: "public" },
        schema: {
          tags: ["accounts"],
          summary: "Create the first admin with the code the server printed at its first start",
          body: SetupInput,
          response: withProblems({ 201: Me }),
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(deps, request);
        const user = await deps.setup.complete(ctx, request.body);
        const session = await startSession(ctx, user);
        setCookie(reply, session.sessionId, SESSION_DAYS * 86_400);
        return reply.code(201).send({ user });
      },
    );

    app.post(
      "/api/v1/auth/login",
      {
        config: { access: "public" },
        schema: {
          tags: ["accounts"],
          summary: "Sign in; sets the session cookie",
          body: z.strictObject({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }),
          response: withProblems({ 200: Me }),
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(deps, request);
        const session = await signIn(ctx, request.body.email, request.body.password);
        setCookie(reply, session.sessionId, SESSION_DAYS * 86_400);
        return { user: await getUser(deps.store.db, session.user.id) };
      },
    );

    app.post(
      "/api/v1/auth/logout",
      {
        config: { access: "public" },
        schema: { tags: ["accounts"], summary: "Sign out; ends the session", response: { 204: z.null() } },
      },
      async (request, reply) => {
        if (request.sessionId) await signOut(deps.store.db, request.sessionId);
        setCookie(reply, "", 0);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/me",
      {
        config: { access: "viewer" },
        schema: { tags: ["accounts"], summary: "Who you are", response: withProblems({ 200: Me }) },
      },
      async (request) => {
        const actor = request.actor;
        if (actor?.kind !== "user") throw new AppError("unauthenticated", "Sign in first.");
        return { user: await getUser(deps.store.db, actor.user.id) };
      },
    );

    app.get(
      "/api/v1/users",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "List users",
          response: withProblems({ 200: z.object({ items: z.array(User) }) }),
        },
      },
      async () => ({ items: await listUsers(deps.store.db) }),
    );

    app.post(
      "/api/v1/users",
      {
        config: { access: "admin" },
        schema: {
          tags: ["accounts"],
          summary: "Create a user (a password is generated and returned once when none is given)",
          body: CreateUserInput,
          response: withProblems({ 201: z.object({ user: User, generatedPassword: z.string().optional() }) }),
        },
      },
      async (request, reply) => reply.code(201).send(await createUser(ctxOf(deps, request), request.body)),
    );

    app.get(
      "/api/v1/users/:userId",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "Read a user",
          params: z.object({ userId: z.string().min(1).max(100) }),
          response: withProblems({ 200: User }),
        },
      },
      async (request) => getUser(deps.store.db, request.params.userId),
    );

    app.patch(
      "/api/v1/users/:userId",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "Change a user (yourself: name, time zone, password; admins: anyone, role, disabled)",
          params: z.object({ userId: z.string().min(1).max(100) }),
          body: UpdateUserInput,
          response: withProblems({ 200: User }),
        },
      },
      async (request) => updateUser(ctxOf(deps, request), request.params.userId, request.body),
    );

    app.get(
      "/api/v1/tokens",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "List your API tokens (admins: ?all=true for everyone's)",
          querystring: z.strictObject({ all: z.enum(["true", "false"]).optional() }),
          response: withProblems({ 200: z.object({ items: z.array(ApiToken) }) }),
        },
      },
      async (request) => ({ items: await listTokens(ctxOf(deps, request), request.query.all === "true") }),
    );

    app.post(
      "/api/v1/tokens",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "Create an API token; the token is shown only in this answer",
          body: CreateTokenInput,
          response: withProblems({ 201: z.object({ token: z.string(), record: ApiToken }) }),
        },
      },
      async (request, reply) => {
        const ctx = ctxOf(deps, request);
        const actor = ctx.actor;
        if (actor.kind !== "user") throw new AppError("unauthenticated", "Sign in first.");
        let userId = actor.user.id;
        if (request.body.userId && request.body.userId !== userId) {
          if (!isAdmin(actor))
            throw new AppError("forbidden", "Only admins can create tokens for other users.");
          const target = await findUser(deps.store.db, { userId: request.body.userId });
          if (!target) throw notFound(`User ${request.body.userId}`);
          userId = target.id;
        }
        return reply.code(201).send(await createToken(ctx, userId, request.body.label));
      },
    );

    app.delete(
      "/api/v1/tokens/:tokenId",
      {
        config: { access: "viewer" },
        schema: {
          tags: ["accounts"],
          summary: "Revoke an API token",
          params: z.object({ tokenId: z.string().min(1).max(100) }),
          response: withProblems({ 204: z.null() }),
        },
      },
      async (request, reply) => {
        await revokeToken(ctxOf(deps, request), request.params.tokenId);
        return reply.code(204).send(null);
      },
    );
  };
}

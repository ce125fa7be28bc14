import { z } from "zod";
import type { Ctx } from "../context.ts";
import { AppError, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Db, Store } from "../store/open.ts";
import type { UsersTable } from "../store/schema.ts";
import { type Actor, actorUserId, isAdmin } from "./model.ts";
import { hashPassword, newSecret, sha256, verifyPassword } from "./secrets.ts";
import { cachedToken, cacheToken, forgetCachedTokens } from "./token-cache.ts";
import { normalizeEmail } from "./users.ts";

/** API tokens for machines and sessions for browsers; both resolve to the user they act as. */

export const TOKEN_PREFIX = "rs_";
export const SESSION_DAYS = 14;
/** last_used_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;

export const CreateTokenInput = z.strictObject({
  label: z.string().trim().min(1).max(100).default("API token"),
  /** Admins may create a token for another user. */
  userId: z.string().optional(),
});

export interface ApiToken {
  id: string;
  label: string;
  prefix: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

type ActorUser = Extract<Actor, { kind: "user" }>["user"];

function actorFromRow(row: Pick<UsersTable, "id" | "email" | "name" | "role">): ActorUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function createToken(
  ctx: Pick<Ctx, "store" | "clock">,
  userId: string,
  label: string,
): Promise<{ token: string; record: ApiToken }> {
  const token = newSecret(TOKEN_PREFIX);
  const now = ctx.clock.now().toISOString();
  const row = {
    id: newId(),
    user_id: userId,
    label,
    token_hash: sha256(token),
    prefix: token.slice(0, 10),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await ctx.store.db.insertInto("api_tokens").values(row).execute();
  return { token, record: toToken(row) };
}

function toToken(row: {
  id: string;
  label: string;
  prefix: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiToken {
  return {
    id: row.id,
    label: row.label,
    prefix: row.prefix,
    userId: row.user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
  };
}

export async function listTokens(ctx: Ctx, all: boolean): Promise<ApiToken[]> {
  let query = ctx.store.db.selectFrom("api_tokens").selectAll().orderBy("created_at", "desc");
  if (!all || !isAdmin(ctx.actor)) query = query.where("user_id", "=", actorUserId(ctx.actor) ?? "");
  return (await query.execute()).map(toToken);
}

export async function revokeToken(ctx: Ctx, tokenId: string): Promise<void> {
  const row = await ctx.store.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("id", "=", tokenId)
    .executeTakeFirst();
  if (!row || (row.user_id !== actorUserId(ctx.actor) && !isAdmin(ctx.actor)))
    throw notFound(`API token ${tokenId}`);
  await ctx.store.db
    .updateTable("api_tokens")
    .set({ revoked_at: ctx.clock.now().toISOString() })
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .execute();
  forgetCachedTokens();
}

export async function authenticateToken(store: Store, token: string, now: Date): Promise<ActorUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = sha256(token);
  const cached = cachedToken(hash, now);
  if (cached) return cached;
  const row = await store.db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as tokenId",
      "api_tokens.last_used_at",
      "users.id",
      "users.email",
      "users.name",
      "users.role",
    ])
    .where("api_tokens.token_hash", "=", hash)
    .where("api_tokens.revoked_at", "is", null)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await store.db
      .updateTable("api_tokens")
      .set({ last_used_at: now.toISOString() })
      .where("id", "=", row.tokenId)
      .execute();
  }
  const user = actorFromRow(row);
  cacheToken(hash, user, now);
  return user;
}

export async function signIn(
  ctx: Pick<Ctx, "store" | "clock">,
  email: string,
  password: string,
): Promise<{ sessionId: string; user: ActorUser; expiresAt: string }> {
  const row = await ctx.store.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normalizeEmail(email))
    .executeTakeFirst();
  // Verify against something even for unknown emails, so timing does not tell which emails exist.
  dummyHash ??= await hashPassword(newSecret(""));
  const ok = await verifyPassword(row?.password_hash ?? dummyHash, password);
  if (!row || !ok || row.disabled_at !== null || !row.password_hash) {
    throw new AppError("unauthenticated", "The email or password is wrong.");
  }
  return startSession(ctx, row);
}

let dummyHash: string | undefined;

export async function startSession(
  ctx: Pick<Ctx, "store" | "clock">,
  row: Pick<UsersTable, "id" | "email" | "name" | "role">,
): Promise<{ sessionId: string; user: ActorUser; expiresAt: string }> {
  const sessionId = newSecret("");
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  await ctx.store.db
    .insertInto("sessions")
    .values({ id: sha256(sessionId), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { sessionId, user: actorFromRow(row), expiresAt };
}

export async function authenticateSession(db: Db, sessionId: string, now: Date): Promise<ActorUser | null> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.name", "users.role"])
    .where("sessions.id", "=", sha256(sessionId))
    .where("sessions.expires_at", ">", now.toISOString())
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  return row ? actorFromRow(row) : null;
}

export async function signOut(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sha256(sessionId)).execute();
}

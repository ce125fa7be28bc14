import { z } from "zod";
import type { Ctx } from "../context.ts";
import { conflict, forbidden, invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { UsersTable } from "../store/schema.ts";
import { isAdmin, OrgRole, type User, type UserSummary } from "./model.ts";
import { generatePassword, hashPassword } from "./secrets.ts";
import { forgetCachedTokens } from "./token-cache.ts";

export const MIN_PASSWORD_LENGTH = 12;

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "use an IANA time zone name such as Europe/Berlin" },
);

export const CreateUserInput = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  role: OrgRole.default("responder"),
  timezone: TimeZone.default("UTC"),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024)
    .optional(),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export const UpdateUserInput = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: OrgRole.optional(),
  timezone: TimeZone.optional(),
  disabled: z.boolean().optional(),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024)
    .optional(),
});
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

export function toUser(row: UsersTable): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    timezone: row.timezone,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}

export function toSummary(row: Pick<UsersTable, "id" | "email" | "name">): UserSummary {
  return { id: row.id, email: row.email, name: row.name };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Creates a user; returns the generated password when none was given. */
export async function createUser(
  ctx: Pick<Ctx, "store" | "clock">,
  raw: CreateUserInput,
): Promise<{ user: User; generatedPassword?: string }> {
  const input = CreateUserInput.parse(raw);
  const generated = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  const now = ctx.clock.now().toISOString();
  const row: UsersTable = {
    id: newId(),
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    timezone: input.timezone,
    password_hash: passwordHash,
    created_at: now,
    updated_at: now,
    disabled_at: null,
  };
  await ctx.store.transaction(async (tx) => {
    const existing = await tx
      .selectFrom("users")
      .select("id")
      .where("email", "=", row.email)
      .executeTakeFirst();
    if (existing) throw conflict(`A user with the email ${row.email} already exists.`);
    await tx.insertInto("users").values(row).execute();
  });
  return generated ? { user: toUser(row), generatedPassword: generated } : { user: toUser(row) };
}

export async function updateUser(ctx: Ctx, userId: string, raw: UpdateUserInput): Promise<User> {
  const input = UpdateUserInput.parse(raw);
  const self = ctx.actor.kind === "user" && ctx.actor.user.id === userId;
  if (!isAdmin(ctx.actor) && !self) throw forbidden("Only admins can change other users.");
  if (!isAdmin(ctx.actor) && (input.role !== undefined || input.disabled !== undefined)) {
    throw forbidden("Only admins can change a user's role or disable a user.");
  }
  if (
    self &&
    (input.disabled === true || (input.role !== undefined && input.role !== "admin")) &&
    isAdmin(ctx.actor)
  ) {
    await ensureAnotherAdmin(ctx.store.db, userId);
  }
  const now = ctx.clock.now().toISOString();
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const user = await ctx.store.transaction(async (tx) => {
    const row = await tx.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
    if (!row) throw notFound(`User ${userId}`);
    const changes: Partial<UsersTable> = { updated_at: now };
    if (input.name !== undefined) changes.name = input.name;
    if (input.role !== undefined) changes.role = input.role;
    if (input.timezone !== undefined) changes.timezone = input.timezone;
    if (input.disabled !== undefined) changes.disabled_at = input.disabled ? (row.disabled_at ?? now) : null;
    if (passwordHash) changes.password_hash = passwordHash;
    await tx.updateTable("users").set(changes).where("id", "=", userId).execute();
    if (input.disabled) await tx.deleteFrom("sessions").where("user_id", "=", userId).execute();
    return toUser({ ...row, ...changes });
  });
  // A cached token must not keep acting with the old role or a disabled account.
  forgetCachedTokens();
  return user;
}

async function ensureAnotherAdmin(db: Db, userId: string): Promise<void> {
  const other = await db
    .selectFrom("users")
    .select("id")
    .where("role", "=", "admin")
    .where("disabled_at", "is", null)
    .where("id", "!=", userId)
    .executeTakeFirst();
  if (!other) throw invalid("You are the last admin: make someone else an admin first.");
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom("users").selectAll().orderBy("name").orderBy("email").execute();
  return rows.map(toUser);
}

export async function findUser(
  db: Db,
  ref: { userId?: string; email?: string },
): Promise<UsersTable | undefined> {
  let query = db.selectFrom("users").selectAll();
  if (ref.userId) query = query.where("id", "=", ref.userId);
  else if (ref.email) query = query.where("email", "=", normalizeEmail(ref.email));
  else return undefined;
  return query.executeTakeFirst();
}

export async function getUser(db: Db, userId: string): Promise<User> {
  const row = await findUser(db, { userId });
  if (!row) throw notFound(`User ${userId}`);
  return toUser(row);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

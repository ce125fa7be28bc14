import { z } from "zod";
import type { Ctx } from "../context.ts";
import { AppError } from "../shared/errors.ts";
import type { Store } from "../store/open.ts";
import type { User } from "./model.ts";
import { newSecret, sameSecret } from "./secrets.ts";
import { countUsers, createUser, MIN_PASSWORD_LENGTH } from "./users.ts";

/**
 * First run: while the store has no user, the server holds a one-time setup
 * code and prints it. Whoever presents it creates the first admin; then the
 * code is gone. The code lives in memory only, so a restart prints a new one.
 */
export const SetupInput = z.strictObject({
  code: z.string().min(1),
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  timezone: z.string().optional(),
});

export class FirstRunSetup {
  #code: string | null = null;

  /** Returns a fresh setup code when the store has no users yet, else null. */
  async prepare(store: Store): Promise<string | null> {
    this.#code = (await countUsers(store.db)) === 0 ? newSecret("") : null;
    return this.#code;
  }

  get pending(): boolean {
    return this.#code !== null;
  }

  async complete(ctx: Pick<Ctx, "store" | "clock">, raw: z.input<typeof SetupInput>): Promise<User> {
    const input = SetupInput.parse(raw);
    if (this.#code === null) throw new AppError("conflict", "Setup is already done: sign in instead.");
    if (!sameSecret(this.#code, input.code)) {
      throw new AppError("forbidden", "The setup code is wrong: use the one the server printed at start.", [
        { path: "code", message: "does not match", hint: "copy the code from the server's start-up output" },
      ]);
    }
    if ((await countUsers(ctx.store.db)) > 0) {
      this.#code = null;
      throw new AppError("conflict", "Setup is already done: sign in instead.");
    }
    const { user } = await createUser(ctx, {
      email: input.email,
      name: input.name,
      password: input.password,
      role: "admin",
      timezone: input.timezone ?? "UTC",
    });
    this.#code = null;
    return user;
  }
}

import type { Command } from "commander";
import { createToken } from "../auth/credentials.ts";
import { findUser } from "../auth/users.ts";
import { systemClock } from "../shared/clock.ts";
import { notFound } from "../shared/errors.ts";
import { print } from "./output.ts";
import { openStoreFromFlags, withStoreOptions } from "./store-options.ts";

export function register(program: Command): void {
  const token = program.command("token").description("manage API tokens in the store");
  withStoreOptions(
    token
      .command("create")
      .description("create an API token for a user; prints the token once")
      .requiredOption("--email <email>", "the user the token acts as")
      .option("--name <label>", "a label to recognise the token by", "CLI token")
      .option("--json", "print JSON"),
  ).action(async (flags: { email: string; name: string; data?: string; json?: boolean }) => {
    const store = await openStoreFromFlags(flags);
    try {
      const user = await findUser(store.db, { email: flags.email });
      if (!user) throw notFound(`A user with the email ${flags.email}`);
      const result = await createToken({ store, clock: systemClock }, user.id, flags.name);
      print({ json: Boolean(flags.json) }, result, (r) => r.token);
    } finally {
      await store.close();
    }
  });
}

import type { Command } from "commander";
import { createUser } from "../auth/users.ts";
import { systemClock } from "../shared/clock.ts";
import { print } from "./output.ts";
import { openStoreFromFlags, withStoreOptions } from "./store-options.ts";

export function register(program: Command): void {
  const user = program.command("user").description("manage user accounts in the store");
  withStoreOptions(
    user
      .command("create")
      .description("create a user; prints a generated password when none is given")
      .requiredOption("--email <email>", "their email address")
      .requiredOption("--name <name>", "their name")
      .option("--role <role>", "admin, responder or viewer", "responder")
      .option("--password <password>", "their password (at least 12 characters); generated when left out")
      .option("--timezone <tz>", "their IANA time zone", "UTC")
      .option("--json", "print JSON"),
  ).action(
    async (flags: {
      email: string;
      name: string;
      role: string;
      password?: string;
      timezone: string;
      data?: string;
      json?: boolean;
    }) => {
      const store = await openStoreFromFlags(flags);
      try {
        const result = await createUser(
          { store, clock: systemClock },
          {
            email: flags.email,
            name: flags.name,
            role: flags.role as "admin",
            timezone: flags.timezone,
            ...(flags.password ? { password: flags.password } : {}),
          },
        );
        print({ json: Boolean(flags.json) }, result, (r) =>
          [
            `Created ${r.user.role} ${r.user.name} <${r.user.email}> (${r.user.id})`,
            ...(r.generatedPassword ? [`Password (shown once): ${r.generatedPassword}`] : []),
          ].join("\n"),
        );
      } finally {
        await store.close();
      }
    },
  );
}

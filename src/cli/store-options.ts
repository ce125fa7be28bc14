import type { Command } from "commander";
import { storeFlags } from "../config.ts";
import { openStore, type Store } from "../store/open.ts";

/** Commands that act on the store directly (user create, token create) share these flags. */
export function withStoreOptions(command: Command): Command {
  return command.option(
    "--data <dir>",
    "folder of the embedded SQLite store (env RUNSHEET_DATA; default ./data)",
  );
}

export async function openStoreFromFlags(flags: { data?: string }): Promise<Store> {
  const config = storeFlags(flags, process.env);
  return openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

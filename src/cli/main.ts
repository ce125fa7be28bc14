import { Command, CommanderError } from "commander";
import { reportError } from "./output.ts";

/**
 * The `runsheet` command. Each sub-command lives in its own file and registers
 * itself on the program; its action throws AppError for the user's mistakes,
 * which reportError turns into a message and an exit code.
 */
type Register = (program: Command) => void;

const COMMANDS: Array<() => Promise<{ register: Register }>> = [
  () => import("./serve.ts"),
  () => import("./validate.ts"),
  () => import("./plan-export.ts"),
  () => import("./user-create.ts"),
  () => import("./token-create.ts"),
  () => import("./incident-commands.ts"),
  () => import("./page-commands.ts"),
  () => import("./statuspage-export.ts"),
  () => import("./oncall.ts"),
];

export async function main(argv: string[]): Promise<number> {
  const program = new Command("runsheet")
    .description("Runsheet: your incident response plan as a running system.")
    .exitOverride()
    .showHelpAfterError();
  for (const load of COMMANDS) (await load()).register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(error);
  }
}

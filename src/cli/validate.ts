import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { formatPlanErrors, loadPlanFile, type PlanError } from "../plan/index.ts";
import { AppError } from "../shared/errors.ts";

/**
 * `runsheet validate [file]`: checks a plan and prints each problem as
 * `file:line:col: path: message (hint)`, the form editors and CI logs link to.
 */
export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const DEFAULT_PLAN_FILE = "runsheet.yaml";

/** The plan file to use: the argument, else ./runsheet.yaml when it exists. */
export function findPlanFile(file: string | undefined, cwd: string = process.cwd()): string {
  if (file) return file;
  if (existsSync(resolve(cwd, DEFAULT_PLAN_FILE))) return DEFAULT_PLAN_FILE;
  throw new AppError("bad_request", `no plan file given, and there is no ./${DEFAULT_PLAN_FILE} here`, [
    {
      path: "file",
      message: "missing",
      hint: "pass the plan's path (runsheet validate path/to/runsheet.yaml), or start from examples/runsheet.yaml",
    },
  ]);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function runValidate(
  file: string | undefined,
  options: { json?: boolean },
): Promise<CommandOutput> {
  const path = findPlanFile(file);
  const loaded = await loadPlanFile(path);
  const errors: PlanError[] = loaded.ok ? [] : loaded.errors;
  if (options.json) {
    const stdout = `${JSON.stringify({ valid: loaded.ok, errors }, null, 2)}\n`;
    return { exitCode: loaded.ok ? 0 : 1, stdout, stderr: "" };
  }
  if (!loaded.ok) return { exitCode: 1, stdout: "", stderr: `${formatPlanErrors(errors, path)}\n` };
  const { plan } = loaded;
  const summary = [
    count(plan.definition.criteria.length, "criterion", "criteria"),
    count(plan.severities.length, "severity", "severities"),
    count(plan.roles.length, "role", "roles"),
    count(plan.channels.length, "channel", "channels"),
  ].join(", ");
  return { exitCode: 0, stdout: `${path}: valid (${summary})\n`, stderr: "" };
}

/** Writes a command's output and sets the exit code without ending the process. */
export function emit(output: CommandOutput): void {
  if (output.stdout) process.stdout.write(output.stdout);
  if (output.stderr) process.stderr.write(output.stderr);
  if (output.exitCode !== 0) process.exitCode = output.exitCode;
}

export function register(program: Command): void {
  program
    .command("validate")
    .description(`check a plan file (default ./${DEFAULT_PLAN_FILE}) and show each problem with its fix`)
    .argument("[file]", "the plan file")
    .option("--json", "print { valid, errors } as JSON")
    .action(async (file: string | undefined, options: { json?: boolean }) => {
      emit(await runValidate(file, options));
    });
}

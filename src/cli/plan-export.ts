import { rename, rm, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { type Command, Option } from "commander";
import { formatPlanErrors, loadPlanFile, renderPlanHtml, renderPlanMarkdown } from "../plan/index.ts";
import { AppError } from "../shared/errors.ts";
import { type CommandOutput, emit, findPlanFile } from "./validate.ts";

/**
 * `runsheet plan export --format md|html [file] [--out FILE]`: the filled-in
 * sheet as Markdown (for a wiki) or as a standalone HTML page to print and keep
 * for when the tools are down.
 */
export type ExportFormat = "md" | "html";

export interface ExportOptions {
  format?: ExportFormat;
  out?: string;
}

/** An explicit --format wins; else the --out file's extension decides; else Markdown. */
export function exportFormat(options: ExportOptions): ExportFormat {
  if (options.format) return options.format;
  const ext = options.out ? extname(options.out).toLowerCase() : "";
  return ext === ".html" || ext === ".htm" ? "html" : "md";
}

export async function runPlanExport(
  file: string | undefined,
  options: ExportOptions,
): Promise<CommandOutput> {
  const path = findPlanFile(file);
  const loaded = await loadPlanFile(path);
  if (!loaded.ok) return { exitCode: 1, stdout: "", stderr: `${formatPlanErrors(loaded.errors, path)}\n` };
  const format = exportFormat(options);
  const document = format === "html" ? renderPlanHtml(loaded.plan) : renderPlanMarkdown(loaded.plan);
  if (!options.out) return { exitCode: 0, stdout: document, stderr: "" };
  await writeAtomically(options.out, document);
  return { exitCode: 0, stdout: `wrote ${options.out} (${format})\n`, stderr: "" };
}

/** Write then rename, so an interrupted export never leaves a half-written copy of the plan. */
async function writeAtomically(out: string, text: string): Promise<void> {
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(code === "ENOENT" ? "not_found" : "invalid", `cannot write ${out}`, [
      {
        path: "out",
        message: error instanceof Error ? error.message : String(error),
        hint: "check that the folder exists and is writable",
      },
    ]);
  }
}

export function register(program: Command): void {
  // Other commands may add to the `plan` group too, so reuse it if it exists.
  const plan =
    program.commands.find((command) => command.name() === "plan") ??
    program.command("plan").description("work with the incident response plan");
  plan
    .command("export")
    .description("print the filled-in sheet as Markdown or as a printable HTML page")
    .argument("[file]", "the plan file (default ./runsheet.yaml)")
    .addOption(
      new Option("--format <format>", "md or html (default: from --out's extension, else md)").choices([
        "md",
        "html",
      ]),
    )
    .option("--out <file>", "write to this file instead of standard output")
    .action(async (file: string | undefined, options: ExportOptions) => {
      emit(await runPlanExport(file, options));
    });
}

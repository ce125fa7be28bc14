import { readFile } from "node:fs/promises";
import { type PlanResult, parsePlan } from "./validate.ts";

export type LoadedPlan = PlanResult & { file: string; text: string };

/**
 * Reads and validates a plan file. A file that cannot be read is reported like
 * any other plan error (at 1:1), so callers have one shape to print.
 */
export async function loadPlanFile(path: string): Promise<LoadedPlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT"
        ? `file not found: ${path}`
        : code === "EISDIR"
          ? `${path} is a folder, not a file`
          : `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
    const hint =
      code === "ENOENT"
        ? "check the path, or start a plan by copying examples/runsheet.yaml"
        : "pass the path of a readable runsheet.yaml";
    return { ok: false, errors: [{ path: "(root)", message, hint, line: 1, col: 1 }], file: path, text: "" };
  }
  // A byte order mark from some Windows editors is not part of the YAML.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  return { ...parsePlan(text, path), file: path, text };
}

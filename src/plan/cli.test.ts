import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Command } from "commander";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { register as registerExport } from "../cli/plan-export.ts";
import { findPlanFile, register as registerValidate } from "../cli/validate.ts";
import { isAppError } from "../shared/errors.ts";
import { EXAMPLE_PLAN_PATH } from "./index.ts";
import { edit, MINIMAL_PLAN } from "./test-fixtures.ts";

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the commands as `runsheet` would, through commander, capturing what they print. */
async function run(args: string[], parse: (argv: string[]) => Promise<unknown>): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await parse(["node", "runsheet", ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = typeof process.exitCode === "number" ? process.exitCode : 0;
  process.exitCode = 0;
  return { exitCode, stdout, stderr };
}

function runCommands(args: string[]): Promise<Run> {
  const program = new Command("runsheet").exitOverride();
  registerValidate(program);
  registerExport(program);
  return run(args, (argv) => program.parseAsync(argv));
}

afterEach(() => {
  process.exitCode = 0;
});

let dir: string;
let broken: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "runsheet-cli-"));
  broken = join(dir, "broken.yaml");
  await writeFile(broken, edit(MINIMAL_PLAN, "update_every: 20m", "update_every: 20"));
});

describe("runsheet validate", () => {
  it("reports a valid plan with its counts", async () => {
    const result = await runCommands(["validate", EXAMPLE_PLAN_PATH]);
    expect(result).toEqual({
      exitCode: 0,
      stdout: `${EXAMPLE_PLAN_PATH}: valid (5 criteria, 3 severities, 6 roles, 14 channels)\n`,
      stderr: "",
    });
  });

  it("prints file:line:col: path: message (hint) on stderr and exits 1", async () => {
    const result = await runCommands(["validate", broken]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `${broken}:15:19: severities.0.update_every: expected text, got 20 (write a duration such as 20m, 1h30m or 2d)\n`,
    );
  });

  it("prints {valid, errors} with --json", async () => {
    const result = await runCommands(["validate", "--json", broken]);
    expect(result.exitCode).toBe(1);
    const body = JSON.parse(result.stdout);
    expect(body.valid).toBe(false);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: "severities.0.update_every", line: 15, col: 19 }),
    ]);
    const ok = await runCommands(["validate", "--json", EXAMPLE_PLAN_PATH]);
    expect(JSON.parse(ok.stdout)).toEqual({ valid: true, errors: [] });
  });

  it("reports a missing file as a plan error at 1:1", async () => {
    const missing = join(dir, "nope.yaml");
    const result = await runCommands(["validate", missing]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^${missing.replaceAll(".", "\\.")}:1:1: \\(root\\): file not found`),
    );
  });

  it("asks for a file when there is no argument and no ./runsheet.yaml", async () => {
    expect(() => findPlanFile(undefined, dir)).toThrow(/no plan file given/);
    try {
      findPlanFile(undefined, dir);
    } catch (error) {
      expect(isAppError(error) && error.issues[0]?.hint).toMatch(/pass the plan's path/);
    }
  });

  it("uses ./runsheet.yaml when it exists", async () => {
    const here = await mkdtemp(join(tmpdir(), "runsheet-cwd-"));
    await writeFile(join(here, "runsheet.yaml"), MINIMAL_PLAN);
    expect(findPlanFile(undefined, here)).toBe("runsheet.yaml");
    expect(findPlanFile("other.yaml", here)).toBe("other.yaml");
  });
});

describe("runsheet plan export", () => {
  it("prints Markdown by default", async () => {
    const result = await runCommands(["plan", "export", EXAMPLE_PLAN_PATH]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith("# Get your 'Sheet' Together! — Quillmark\n")).toBe(true);
  });

  it("writes HTML to --out", async () => {
    const out = join(dir, "plan.html");
    const result = await runCommands(["plan", "export", "--format", "html", EXAMPLE_PLAN_PATH, "--out", out]);
    expect(result).toEqual({ exitCode: 0, stdout: `wrote ${out} (html)\n`, stderr: "" });
    expect((await readFile(out, "utf8")).startsWith("<!doctype html>")).toBe(true);
  });

  it("takes the format from --out's extension", async () => {
    const out = join(dir, "paper.htm");
    await runCommands(["plan", "export", EXAMPLE_PLAN_PATH, "--out", out]);
    expect(await readFile(out, "utf8")).toContain("<!doctype html>");
  });

  it("refuses an invalid plan with its errors and exit 1", async () => {
    const out = join(dir, "never.md");
    const result = await runCommands(["plan", "export", broken, "--out", out]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${broken}:15:19: severities.0.update_every:`);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an unknown format", async () => {
    await expect(runCommands(["plan", "export", "--format", "pdf", EXAMPLE_PLAN_PATH])).rejects.toThrow(
      /pdf/,
    );
  });
});

// main() loads every command file; other engineers' commands may not exist yet.
const cliDir = fileURLToPath(new URL("../cli/", import.meta.url));
const allCommandsExist = [
  "serve",
  "validate",
  "plan-export",
  "user-create",
  "token-create",
  "incident-commands",
].every((name) => existsSync(join(cliDir, `${name}.ts`)));

describe.runIf(allCommandsExist)("through main()", () => {
  it("validates and exports", async () => {
    const { main } = await import("../cli/main.ts");
    let code = -1;
    const result = await run(["validate", broken], async (argv) => {
      code = await main(argv);
    });
    expect(code).toBe(1);
    expect(result.stderr).toContain(`${broken}:15:19:`);
    const exported = await run(["plan", "export", "--format", "md", EXAMPLE_PLAN_PATH], (argv) => main(argv));
    expect(exported.stdout).toContain("## INCIDENT VALUES");
  });
});

describe.runIf(allCommandsExist)("the runsheet binary", () => {
  it("exits 1 with the error line for an invalid plan", async () => {
    const bin = fileURLToPath(new URL("../../bin/runsheet.js", import.meta.url));
    const failure = await promisify(execFile)(process.execPath, [bin, "validate", broken]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`${broken}:15:19: severities.0.update_every:`);
  }, 30_000);
});

import { type Command, Option } from "commander";
import { z } from "zod";
import { OnCallAnswer, type OnCallItem } from "../oncall/schedules.ts";
import { AppError, invalid } from "../shared/errors.ts";
import { type ClientConfig, clientConfig, problemToError } from "./api-client.ts";
import { print } from "./output.ts";

/**
 * `runsheet oncall`: who is on call now, at an instant, or over a range, in
 * every schedule of the plan or one of them, asked of a running server.
 */

const TIMEOUT_MS = 30_000;

export interface OnCallQuery {
  schedule?: string | undefined;
  at?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function instantFlag(flag: string): (value: string) => string {
  return (value) => {
    if (z.iso.datetime({ offset: true }).safeParse(value).success) return value;
    throw invalid(`${flag} is not valid.`, [
      {
        path: flag,
        message: `"${value}" is not an ISO-8601 time`,
        hint: "write it like 2026-11-27T09:00:00Z",
      },
    ]);
  };
}

/** GET /api/v1/oncall, with the server's problems reported as the CLI's own errors. */
export async function fetchOnCall(config: ClientConfig, query: OnCallQuery): Promise<OnCallAnswer> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const search = params.size > 0 ? `?${params}` : "";
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${config.url}/api/v1/oncall${search}`, {
      headers: { accept: "application/json", authorization: `Bearer ${config.token}` },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await response.text();
  } catch {
    throw new AppError(
      "unavailable",
      `Cannot reach Runsheet at ${config.url}: is the server running? Check RUNSHEET_URL.`,
    );
  }
  if (!response.ok) throw problemToError(config.url, response.status, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!OnCallAnswer.safeParse(json).success) {
    throw new AppError(
      "unavailable",
      `Runsheet at ${config.url} answered in a shape this CLI does not know: is it the same version as the server?`,
    );
  }
  // Checked, but handed back as sent, so --json shows the server's answer unchanged.
  return json as OnCallAnswer;
}

// ---- human format ----

/** "2026-11-27 09:00Z", with seconds only when there are some. */
const time = (iso: string) =>
  iso
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z")
    .replace(/:00Z$/, "Z");

function who(item: OnCallItem): string {
  if (item.email === null) return "(nobody)";
  const person = item.name ? `${item.name} <${item.email}>` : item.email;
  return item.source.kind === "override" ? `${person} (override)` : person;
}

/** Columns padded to their widest cell; the last one is left as it is. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

export function formatOnCall(answer: OnCallAnswer): string {
  const heading =
    "at" in answer
      ? `On call at ${time(answer.at)}:`
      : `On call from ${time(answer.from)} to ${time(answer.to)}:`;
  if (answer.items.length === 0) return "No schedules in the plan.";
  const rows = answer.items.map((item) => [
    `${item.scheduleName} (${item.scheduleId})`,
    who(item),
    time(item.shiftStart),
    time(item.shiftEnd),
  ]);
  return [heading, ...table([["SCHEDULE", "ON CALL", "FROM", "UNTIL"], ...rows])].join("\n");
}

export function register(program: Command): void {
  program
    .command("oncall")
    .description("who is on call: now, at a time (--at) or over a range (--from/--to)")
    .option("--schedule <id>", "only this schedule of the plan")
    .option("--at <time>", "the instant to ask about, ISO 8601 (default: now)", instantFlag("--at"))
    .option("--from <time>", "start of a range, ISO 8601 (default: now)", instantFlag("--from"))
    .option("--to <time>", "end of a range, ISO 8601 (default: 14 days after --from)", instantFlag("--to"))
    .addOption(new Option("--json", "print the API's answer as JSON"))
    .action(async (flags: OnCallQuery & { json?: boolean }) => {
      if (flags.at && (flags.from || flags.to)) {
        throw invalid("--at is not valid.", [
          { path: "--at", message: "not with --from or --to", hint: "ask at an instant or over a range" },
        ]);
      }
      const { json, ...query } = flags;
      const answer = await fetchOnCall(clientConfig(process.env), query);
      print({ json: Boolean(json) }, answer, formatOnCall);
    });
}

import { type Command, Option } from "commander";
import { z } from "zod";
import { Page } from "../oncall/paging/model.ts";
import { AppError, invalid } from "../shared/errors.ts";
import { type ClientConfig, clientConfig, problemToError } from "./api-client.ts";
import { print } from "./output.ts";

/**
 * The paging commands: `runsheet pages` lists my open pages (or everyone's,
 * or acknowledged ones), `runsheet page ack <id>` acknowledges one. Each makes
 * one API call with RUNSHEET_URL and RUNSHEET_TOKEN and prints the answer: raw
 * with --json, else compactly for people.
 */

const PageList = z.object({ items: z.array(Page) });
const TIMEOUT_MS = 30_000;

export function pagingClient(config: ClientConfig) {
  async function call<S extends z.ZodType>(schema: S, method: string, path: string): Promise<z.output<S>> {
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${config.url}${path}`, {
        method,
        headers: { accept: "application/json", authorization: `Bearer ${config.token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new AppError(
        "unavailable",
        `Cannot reach Runsheet at ${config.url}${cause ? ` (${cause})` : ""}: is the server running? Check RUNSHEET_URL.`,
      );
    }
    if (status < 200 || status >= 300) throw problemToError(config.url, status, text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        "unavailable",
        `Runsheet at ${config.url} answered ${method} ${path} in a shape this CLI does not know: is it the same version as the server?`,
      );
    }
    return parsed.data;
  }
  return {
    listPages: (filter: { status: string; all: boolean }) =>
      call(PageList, "GET", `/api/v1/pages?status=${filter.status}&all=${filter.all}`),
    ackPage: (id: string) => call(Page, "POST", `/api/v1/pages/${encodeURIComponent(id)}/ack`),
  };
}

const time = (iso: string) => iso.replace("T", " ").replace(/(:\d\d)(\.\d+)?Z$/, "$1Z");

export function pageRows(pages: Page[]): string {
  if (pages.length === 0) return "No pages.";
  const rows = pages.map((p) => [
    p.id,
    p.incident.reference,
    p.status,
    time(p.createdAt),
    `${p.roleName} (${p.stageLabel})`,
    p.user.name,
    p.incident.title,
  ]);
  const all = [["PAGE", "INCIDENT", "STATUS", "PAGED AT", "AS", "WHO", "TITLE"], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  "))
    .join("\n");
}

function acknowledged(page: Page): string {
  return `Acknowledged ${page.incident.reference} as ${page.roleName}: nobody else will be paged for it.`;
}

const STATUSES = ["open", "acknowledged", "all"] as const;

function parseStatus(value: string): string {
  if ((STATUSES as readonly string[]).includes(value)) return value;
  throw invalid("--status is not valid.", [
    {
      path: "--status",
      message: `"${value}" is not one of the choices`,
      hint: `use one of: ${STATUSES.join(", ")}`,
    },
  ]);
}

export function register(program: Command): void {
  const json = () => new Option("--json", "print the API's answer as JSON");
  const connect = () => pagingClient(clientConfig(process.env));

  program
    .command("pages")
    .description("list your open pages (--all: everyone's, for responders)")
    .option("--all", "everyone's pages, not only yours")
    .addOption(new Option("--status <status>", STATUSES.join(", ")).argParser(parseStatus).default("open"))
    .addOption(json())
    .action(async (flags: { all?: boolean; status: string; json?: boolean }) => {
      const list = await connect().listPages({ status: flags.status, all: Boolean(flags.all) });
      print({ json: Boolean(flags.json) }, list, (l) => pageRows(l.items));
    });

  const page = program.command("page").description("act on a page");
  page
    .command("ack")
    .description("acknowledge a page: its escalation stops, and you take the role if nobody holds it")
    .argument("<page>", "the page's id, as `runsheet pages` lists it")
    .addOption(json())
    .action(async (id: string, flags: { json?: boolean }) => {
      print({ json: Boolean(flags.json) }, await connect().ackPage(id), acknowledged);
    });
}

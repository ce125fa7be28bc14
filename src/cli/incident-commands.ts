import { type Command, Option } from "commander";
import { z } from "zod";
import {
  type ChecklistItem,
  DETECTED_BY,
  ENTRY_KINDS,
  type Incident,
  STATUSES,
  type TimelineEntry,
} from "../incidents/index.ts";
import { IMPACTS, type Impact, PHASES } from "../plan/index.ts";
import { systemClock } from "../shared/clock.ts";
import { type AppError, invalid } from "../shared/errors.ts";
import { type ApiClient, apiClient, clientConfig, type IncidentFilter } from "./api-client.ts";
import { print } from "./output.ts";

/**
 * The incident commands: declare, list, show, and the moves of a response
 * (status, note, role, check, confirm, timeline, update). Each one checks its
 * flags, makes one API call (or follows the timeline's pages) and prints the
 * answer: raw with --json, else compactly for people.
 */

interface JsonFlag {
  json?: boolean;
}

const output = (flags: JsonFlag) => ({ json: Boolean(flags.json) });

/** The server address and token are read here, once, when a command runs. */
function connect(): ApiClient {
  return apiClient(clientConfig(process.env));
}

// ---- flag parsing: each failure names the flag and how to fix it ----

function flagError(flag: string, message: string, hint: string): AppError {
  return invalid(`${flag} is not valid.`, [{ path: flag, message, hint }]);
}

function oneOf<T extends string>(flag: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw flagError(flag, `"${value}" is not one of the choices`, `use one of: ${allowed.join(", ")}`);
  };
}

function parseCriteria(value: string): string[] {
  const ids = value
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) {
    throw flagError(
      "--criteria",
      "no criterion given",
      "list the plan's criteria that hold, e.g. --criteria money-flow-down,customer-reports",
    );
  }
  return ids;
}

function parseComponent(value: string, previous: Array<{ id: string; impact: Impact }>) {
  const match = /^([^=\s]+)=(\S+)$/.exec(value.trim());
  const example = "e.g. --component card-payments=major_outage";
  if (!match) {
    throw flagError(
      "--component",
      `"${value}" is not id=impact`,
      `write the id, '=' and the impact, ${example}`,
    );
  }
  const impact = match[2]!;
  if (!(IMPACTS as readonly string[]).includes(impact)) {
    throw flagError(
      "--component",
      `"${impact}" is not an impact`,
      `use one of: ${IMPACTS.join(", ")}; ${example}`,
    );
  }
  return [...previous, { id: match[1]!, impact: impact as Impact }];
}

function parseTime(value: string): string {
  if (z.iso.datetime({ offset: true }).safeParse(value).success) return value;
  throw flagError(
    "--impact-started-at",
    `"${value}" is not an ISO-8601 time`,
    "write it like 2026-11-27T03:12:00Z",
  );
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1 && n <= 200) return n;
  throw flagError("--limit", `"${value}" is not a whole number from 1 to 200`, "e.g. --limit 20");
}

function parseEmail(value: string): string {
  if (z.email().safeParse(value).success) return value;
  throw flagError(
    "--to",
    `"${value}" is not an email address`,
    "give the email of a responder, e.g. --to marta.silva@example.com",
  );
}

// ---- human formats ----

const time = (iso: string) => iso.replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/, "$1$3");

/** "45s", "12m", "2h 5m", "3d 4h". */
function compactDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3_600), Math.floor((s % 3_600) / 60)];
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return m > 0 ? `${m}m` : `${s}s`;
}

/** Columns padded to their widest cell; the last one is left as it is. */
function table(rows: string[][], indent = ""): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}`.trimEnd(),
  );
}

const person = (user: { name: string; email: string } | null) =>
  user ? `${user.name} <${user.email}>` : "(unfilled)";

function roleLines(incident: Incident): string[] {
  return table(
    incident.roles.map((r) => [r.roleId, r.name, person(r.holder), r.lead ? "lead" : ""]),
    "  ",
  );
}

function declared(incident: Incident): string {
  const unfilled = incident.roles.filter((r) => !r.holder).map((r) => r.roleId);
  return [
    `Declared ${incident.reference}: ${incident.title} (${incident.severity})${incident.drill ? " [drill]" : ""}`,
    "Roles:",
    ...roleLines(incident),
    ...(unfilled.length > 0
      ? [
          `Unfilled: ${unfilled.join(", ")}; hand them over with: runsheet role ${incident.reference} <roleId> --to <email>`,
        ]
      : []),
  ].join("\n");
}

function incidentRows(items: Incident[], now: Date): string {
  if (items.length === 0) return "No incidents match.";
  const rows = items.map((i) => {
    const end = i.resolvedAt ? Date.parse(i.resolvedAt) : now.getTime();
    const lead = i.roles.find((r) => r.lead)?.holder?.name ?? "-";
    const marks = [i.drill ? "[drill]" : "", i.private ? "[private]" : ""].filter(Boolean).join(" ");
    const title = marks ? `${i.title} ${marks}` : i.title;
    return [i.reference, i.severity, i.status, compactDuration(end - Date.parse(i.declaredAt)), lead, title];
  });
  return table([["REF", "SEV", "STATUS", "FOR", "LEAD", "TITLE"], ...rows]).join("\n");
}

function checkLine(item: ChecklistItem): string[] {
  const by = item.doneBy ? ` (done by ${item.doneBy.name})` : "";
  return [item.done ? "[x]" : "[ ]", item.id, item.roleId, `${item.text}${by}`];
}

function finalFixLine(incident: Incident): string {
  const fix = incident.finalFix;
  if (!fix)
    return "Final fix: none logged yet (log one with: runsheet note <incident> <text> --kind fix --final)";
  if (fix.confirmed) return `Final fix: confirmed (entry ${fix.entryId})`;
  return `Final fix: logged, waiting for the incident manager: runsheet confirm ${incident.reference} ${fix.entryId}`;
}

function details(incident: Incident, now: Date): string {
  const lines = [
    `${incident.reference}  ${incident.title}`,
    [
      incident.severity,
      incident.status,
      `declared ${time(incident.declaredAt)} (${compactDuration(now.getTime() - Date.parse(incident.declaredAt))} ago)${incident.declaredBy ? ` by ${incident.declaredBy.name}` : ""}`,
      `impact from ${time(incident.impactStartedAt)}`,
      ...(incident.resolvedAt ? [`resolved ${time(incident.resolvedAt)}`] : []),
      `detected by ${incident.detectedBy}`,
      ...(incident.drill ? ["drill"] : []),
      ...(incident.private ? ["private"] : []),
    ].join(" · "),
  ];
  if (incident.summary) lines.push(`Summary: ${incident.summary}`);
  lines.push(
    incident.components.length > 0
      ? `Components: ${incident.components.map((c) => `${c.name} (${c.impact.replaceAll("_", " ")})`).join(", ")}`
      : "Components: none named",
  );
  lines.push("Roles:", ...roleLines(incident));
  const done = incident.checklist.filter((i) => i.done).length;
  lines.push(
    `Checklist (${done}/${incident.checklist.length} done):`,
    ...table(incident.checklist.map(checkLine), "  "),
  );
  lines.push(finalFixLine(incident));
  return lines.join("\n");
}

function entryLines(entries: TimelineEntry[]): string {
  if (entries.length === 0) return "(the timeline is empty)";
  const width = Math.max(...entries.map((e) => e.kind.length));
  return entries
    .map((e) => {
      const head = `${time(e.createdAt)}  ${e.kind.padEnd(width)}  `;
      let body = `${e.author?.name ?? "Runsheet"}: ${e.body}`;
      if (e.kind === "fix") {
        body += e.confirmedBy
          ? ` [final fix, confirmed by ${e.confirmedBy.name}]`
          : e.final
            ? ` [final fix, awaiting confirmation; entry ${e.id}]`
            : ` [entry ${e.id}]`;
      }
      return head + body.replaceAll("\n", `\n${" ".repeat(head.length)}`);
    })
    .join("\n");
}

// ---- the commands ----

/** Commander's reducer for a repeatable flag. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  const json = () => new Option("--json", "print the API's answer as JSON");

  program
    .command("declare")
    .description("declare an incident; its roles are filled from the plan's contacts")
    .requiredOption("--title <title>", "what is happening, in one line")
    .requiredOption("--severity <id>", "one of the plan's severities, e.g. sev1")
    .requiredOption("--criteria <ids>", "the plan's criteria that hold, comma-separated", parseCriteria)
    .option("--summary <text>", "what is known so far")
    .option(
      "--component <id=impact>",
      `an affected component and its impact (${IMPACTS.join(", ")}); repeatable`,
      parseComponent,
      [],
    )
    .addOption(
      new Option("--detected-by <source>", DETECTED_BY.join(", ")).argParser(
        oneOf("--detected-by", DETECTED_BY),
      ),
    )
    .option("--impact-started-at <time>", "when the impact started, ISO 8601 (default: now)", parseTime)
    .option("--private", "visible only to admins, the declarer and the role holders")
    .option("--drill", "a practice incident")
    .addOption(json())
    .action(
      async (flags: {
        title: string;
        severity: string;
        criteria: string[];
        summary?: string;
        component: Array<{ id: string; impact: Impact }>;
        detectedBy?: (typeof DETECTED_BY)[number];
        impactStartedAt?: string;
        private?: boolean;
        drill?: boolean;
        json?: boolean;
      }) => {
        const { component, json: _, ...rest } = flags;
        const incident = await connect().declare({
          ...rest,
          components: component.length ? component : undefined,
        });
        print(output(flags), incident, declared);
      },
    );

  const filters = ["active", "resolved", ...STATUSES.filter((s) => s !== "resolved")] as const;
  program
    .command("incidents")
    .description("list incidents, newest first")
    .addOption(new Option("--status <status>", filters.join(", ")).argParser(oneOf("--status", filters)))
    .option("--severity <id>", "only this severity")
    .option("--mine", "only those you declared or hold a role in")
    .option("--drills", "only drills")
    .option("--no-drills", "leave drills out")
    .option("--limit <n>", "how many, 1-200 (default 50)", parseLimit)
    .addOption(json())
    .action(async (flags: Omit<IncidentFilter, "drill" | "cursor"> & { drills?: boolean } & JsonFlag) => {
      const page = await connect().listIncidents({ ...flags, drill: flags.drills });
      print(output(flags), page, (p) =>
        [
          incidentRows(p.items, systemClock.now()),
          ...(p.nextCursor ? ["(more: raise --limit, up to 200)"] : []),
        ].join("\n"),
      );
    });

  program
    .command("show")
    .description("show an incident: roles, checklist, final fix, and with --timeline its whole timeline")
    .argument("<incident>", "reference (INC-7) or id")
    .option("--timeline", "also print the whole timeline")
    .addOption(json())
    .action(async (ref: string, flags: { timeline?: boolean } & JsonFlag) => {
      const client = connect();
      const incident = await client.getIncident(ref);
      const now = systemClock.now();
      if (!flags.timeline) return print(output(flags), incident, (i) => details(i, now));
      const { items } = await client.wholeTimeline(ref);
      print(
        output(flags),
        { incident, timeline: items },
        (d) => `${details(d.incident, now)}\nTimeline:\n${entryLines(d.timeline)}`,
      );
    });

  program
    .command("timeline")
    .description("print an incident's whole timeline, oldest first")
    .argument("<incident>", "reference (INC-7) or id")
    .addOption(json())
    .action(async (ref: string, flags: JsonFlag) => {
      print(output(flags), await connect().wholeTimeline(ref), (t) => entryLines(t.items));
    });

  program
    .command("status")
    .description("move an incident to another status; resolving needs a confirmed final fix, or --override")
    .argument("<incident>", "reference (INC-7) or id")
    .argument("<status>", STATUSES.join(", "), oneOf("<status>", STATUSES))
    .option("--reason <text>", "why (needed with --override)")
    .option("--override", "resolve without a confirmed final fix (incident manager or admin, with --reason)")
    .addOption(json())
    .action(
      async (
        ref: string,
        status: (typeof STATUSES)[number],
        flags: { reason?: string; override?: boolean } & JsonFlag,
      ) => {
        if (flags.override && !flags.reason?.trim()) {
          throw flagError(
            "--reason",
            "required with --override",
            'say why, e.g. --reason "fixed by the provider"',
          );
        }
        const incident = await connect().changeStatus(ref, {
          status,
          reason: flags.reason,
          override: flags.override,
        });
        print(output(flags), incident, (i) => `${i.reference} is now ${i.status}: ${i.title}`);
      },
    );

  program
    .command("note")
    .description("log a change, decision, fix or note on the timeline")
    .argument("<incident>", "reference (INC-7) or id")
    .argument("<text>", "what happened")
    .option("--kind <kind>", ENTRY_KINDS.join(", "), oneOf("--kind", ENTRY_KINDS), "note")
    .option("--final", "this fix is the final one (confirmed at once when the incident manager logs it)")
    .addOption(json())
    .action(
      async (
        ref: string,
        text: string,
        flags: { kind: (typeof ENTRY_KINDS)[number]; final?: boolean } & JsonFlag,
      ) => {
        if (flags.final && flags.kind !== "fix") {
          throw flagError(
            "--final",
            `a ${flags.kind} cannot be final`,
            "only a fix can be final: add --kind fix",
          );
        }
        const entry = await connect().appendEntry(ref, { kind: flags.kind, body: text, final: flags.final });
        print(output(flags), entry, (e) => entryLines([e]));
      },
    );

  program
    .command("role")
    .description("hand an incident role over to someone")
    .argument("<incident>", "reference (INC-7) or id")
    .argument("<roleId>", "the plan's role id, e.g. incident-manager")
    .requiredOption("--to <email>", "the email of the responder taking the role", parseEmail)
    .addOption(json())
    .action(async (ref: string, roleId: string, flags: { to: string } & JsonFlag) => {
      const incident = await connect().handOverRole(ref, roleId, { email: flags.to });
      print(output(flags), incident, (i) => {
        const role = i.roles.find((r) => r.roleId === roleId);
        return `${i.reference}: ${role?.name ?? roleId} is now held by ${person(role?.holder ?? null)}`;
      });
    });

  program
    .command("check")
    .description("tick (or with --undo untick) an item of an incident's checklist")
    .argument("<incident>", "reference (INC-7) or id")
    .argument("<itemId>", "the item's id, as `runsheet show` lists it")
    .option("--undo", "untick it")
    .addOption(json())
    .action(async (ref: string, itemId: string, flags: { undo?: boolean } & JsonFlag) => {
      const item = await connect().setChecklistItem(ref, itemId, !flags.undo);
      print(output(flags), item, (i) => `${ref}: ${table([checkLine(i)]).join("")}`);
    });

  program
    .command("confirm")
    .description("confirm a fix as the final fix (the incident manager only)")
    .argument("<incident>", "reference (INC-7) or id")
    .argument("<entryId>", "the fix's timeline entry id")
    .addOption(json())
    .action(async (ref: string, entryId: string, flags: JsonFlag) => {
      const entry = await connect().confirmFinalFix(ref, entryId);
      print(output(flags), entry, (e) => `${ref}: confirmed as the final fix\n${entryLines([e])}`);
    });

  program
    .command("update")
    .description("post a status update from the plan's template for a phase (or preview it)")
    .argument("<incident>", "reference (INC-7) or id")
    .addOption(
      new Option("--phase <phase>", PHASES.join(", "))
        .argParser(oneOf("--phase", PHASES))
        .makeOptionMandatory(),
    )
    .option("--body <text>", "the text instead of the template; {{variables}} are filled in either way")
    .option("--subject <text>", "the subject instead of the template's")
    .addOption(
      new Option("--audience <audience>", "internal or external (default external)").argParser(
        oneOf("--audience", ["internal", "external"] as const),
      ),
    )
    .option(
      "--channel <id>",
      "a channel of the plan to publish to (repeatable); see --preview for those that apply",
      collect,
      [],
    )
    .option(
      "--confirm-shortened <id>",
      "accept that this channel sends the shortened text the preview showed (repeatable)",
      collect,
      [],
    )
    .option("--preview", "show the filled-in update and every channel's version without posting it")
    .addOption(json())
    .action(
      async (
        ref: string,
        flags: {
          phase: (typeof PHASES)[number];
          body?: string;
          subject?: string;
          audience?: "internal" | "external";
          channel: string[];
          confirmShortened: string[];
          preview?: boolean;
        } & JsonFlag,
      ) => {
        const client = connect();
        const input = { phase: flags.phase, body: flags.body, subject: flags.subject };
        if (flags.preview) {
          const draft = await client.previewUpdate(ref, input);
          return print(output(flags), draft, (d) =>
            [
              `Preview of the ${d.phase} update for ${ref} (not posted):`,
              `Subject: ${d.subject}`,
              "",
              d.body,
              "",
              "Channels:",
              ...d.channels.map((c) => {
                const state = !c.applies
                  ? "does not apply"
                  : !c.mayPublish
                    ? "not yours to publish"
                    : c.problems.length
                      ? "cannot deliver"
                      : "applies";
                const size = `${c.rendering.length}/${c.rendering.limit.max} ${c.rendering.limit.unit}${c.rendering.shortened ? ", shortened" : ""}`;
                const why = [...c.reasons, ...c.problems].join("; ");
                return `  ${c.channelId.padEnd(22)} ${state.padEnd(20)} ${size}  ${why}`;
              }),
            ].join("\n"),
          );
        }
        const update = await client.publishUpdate(ref, {
          ...input,
          ...(flags.audience ? { audience: flags.audience } : {}),
          channels: flags.channel,
          confirmShortened: flags.confirmShortened,
        });
        print(
          output(flags),
          update,
          (u) =>
            `Posted the ${u.audience} ${u.phase} update on ${ref}${u.channels.length ? ` to ${u.channels.join(", ")}` : ""} (${u.deliveries.length} deliveries queued).\nSubject: ${u.subject ?? "(none)"}\n\n${u.body}`,
        );
      },
    );
}

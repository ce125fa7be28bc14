import {
  CHANNEL_COLUMNS,
  channelTitle,
  componentGroups,
  contactInWords,
  criterionRule,
  durationText,
  OWN_ROLES_INTRO,
  PHASE_NAMES,
  RECOMMENDED_ROLES_INTRO,
  roleTitle,
  SECTIONS,
  SEVERITY_COLUMNS,
  SHEET_SUBTITLE,
  SHEET_TITLE,
  TEMPLATES_INTRO,
  templateParts,
  VALUES_INTRO,
  whenInWords,
  whoInWords,
} from "./render-words.ts";
import { PHASES, type Plan, type Template } from "./schema.ts";

/**
 * The filled-in sheet as Markdown, in the seed worksheet's order, for a wiki or
 * a README next to runsheet.yaml. Table cells are escaped (`|` and line breaks)
 * because they are the only place where user text can break the structure.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const blocks = [
    `# ${SHEET_TITLE} — ${plan.organization.name}`,
    `${SHEET_SUBTITLE} Times are in ${plan.organization.timezone}.`,
    ...definition(plan),
    ...severities(plan),
    ...components(plan),
    ...roles(plan),
    ...channels(plan),
    ...templates(plan),
    ...values(plan),
  ];
  return `${blocks.join("\n\n")}\n`;
}

export function escapeTableCell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\r\n|\r|\n/g, "<br>");
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeTableCell).join(" | ")} |`;
  return [line(header), `| ${header.map(() => "---").join(" | ")} |`, ...rows.map(line)].join("\n");
}

function bullets(items: readonly string[]): string {
  return items.map((item) => `· ${item}`).join("\n");
}

function definition(plan: Plan): string[] {
  const list = plan.definition.criteria
    .map((c, i) => {
      const rule = criterionRule(c);
      return `${i + 1}. ${c.text}${rule ? ` _(${rule})_` : ""}`;
    })
    .join("\n");
  return [`## ${SECTIONS.definition}`, plan.definition.intro, list];
}

function severities(plan: Plan): string[] {
  const rows = plan.severities.map((s) => [
    s.id,
    s.name,
    s.description,
    durationText(s.update_every),
    s.page_out_of_hours ? "yes" : "no",
  ]);
  return [`## ${SECTIONS.severities}`, table(SEVERITY_COLUMNS, rows)];
}

function components(plan: Plan): string[] {
  if (plan.components.length === 0) return [];
  const groups = componentGroups(plan.components).map(
    ({ group, components: list }) =>
      `**${group}:**\n\n${list.map((c) => `- ${c.name}${c.description ? ` — ${c.description}` : ""}`).join("\n")}`,
  );
  return [`## ${SECTIONS.components}`, ...groups];
}

function roles(plan: Plan): string[] {
  const own = plan.roles.filter((r) => !r.recommended);
  const recommended = plan.roles.filter((r) => r.recommended);
  const ack = (role: Plan["roles"][number]) => `\nacknowledge within ${durationText(role.ack_within)}`;
  return [
    `## ${SECTIONS.roles}`,
    OWN_ROLES_INTRO,
    table(
      ["Role", "Who owns this role?", "What are the core responsibilities?"],
      own.map((r) => [
        roleTitle(r),
        `${contactInWords(r.primary)}${r.backup ? `\nbackup: ${contactInWords(r.backup)}` : ""}${ack(r)}`,
        bullets(r.responsibilities),
      ]),
    ),
    RECOMMENDED_ROLES_INTRO,
    table(
      ["Role", "Main point of contact", "Backup contact", "Core responsibilities"],
      recommended.map((r) => [
        roleTitle(r),
        `${contactInWords(r.primary)}${ack(r)}`,
        contactInWords(r.backup),
        bullets(r.responsibilities),
      ]),
    ),
  ];
}

function channels(plan: Plan): string[] {
  const rows = plan.channels.map((c) => [
    channelTitle(c),
    whenInWords(c.when),
    whoInWords(plan, c.who),
    c.how ?? "",
    c.more ?? "",
  ]);
  return [`## ${SECTIONS.channels}`, table(CHANNEL_COLUMNS, rows)];
}

function quote(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

function phase(name: string, template: Template): string {
  const { subject, body } = templateParts(template);
  const text = body.trimEnd();
  return [`**${name}:**`, ...(subject ? [`Subject: ${subject}`] : []), quote(text)].join("\n\n");
}

function templates(plan: Plan): string[] {
  const general = PHASES.map((p) => phase(PHASE_NAMES[p], plan.templates[p]));
  const specific = plan.channels.flatMap((c) =>
    PHASES.flatMap((p) => {
      const template = c.templates?.[p];
      return template ? [phase(`${channelTitle(c)} — ${PHASE_NAMES[p]}`, template)] : [];
    }),
  );
  return [
    `## ${SECTIONS.templates}`,
    TEMPLATES_INTRO,
    ...general,
    ...(specific.length > 0 ? ["### Channel-specific templates", ...specific] : []),
  ];
}

function values(plan: Plan): string[] {
  return [
    `## ${SECTIONS.values}`,
    VALUES_INTRO.replaceAll("*", "\\*"),
    table(
      ["Value", "What it means for us"],
      plan.values.map((v) => [v.name, v.statement]),
    ),
  ];
}

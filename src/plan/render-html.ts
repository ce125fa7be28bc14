import { escapeHtml, safeHref } from "../shared/html.ts";
import { PLAN_PAGE_CSS } from "./render-html-css.ts";
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
import { PHASES, type Plan, type Role, type Template } from "./schema.ts";

/**
 * The filled-in sheet as one standalone, printable HTML page: the paper copy
 * for when every tool is down. No scripts and nothing fetched from elsewhere
 * (the CSP forbids it), so the file works from a USB stick or a printout.
 * Every piece of plan text is escaped; markup only comes from this file.
 */
export function renderPlanHtml(plan: Plan): string {
  const org = plan.organization;
  const orgHref = org.url ? safeHref(org.url) : undefined;
  const orgName = orgHref ? `<a href="${escapeHtml(orgHref)}">${e(org.name)}</a>` : e(org.name);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(`${SHEET_TITLE} — ${org.name}`)}</title>
<style>${PLAN_PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${e(SHEET_TITLE)} <span class="org">${orgName}</span></h1>
<p>${e(SHEET_SUBTITLE)} Times are in ${e(org.timezone)}.</p>
</header>
<main>
${[definition(plan), severities(plan), components(plan), roles(plan), channels(plan), templates(plan), values(plan)].join("\n")}
</main>
</body>
</html>
`;
}

function e(text: string): string {
  return escapeHtml(text);
}

/** Multi-line plan text keeps its line breaks. */
function lines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(e)
    .join("<br>");
}

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}">\n<h2>${e(heading)}</h2>\n${body}\n</section>`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, keep = false): string {
  const head = `<thead><tr>${header.map((h) => `<th scope="col">${e(h)}</th>`).join("")}</tr></thead>`;
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table${keep ? ' class="keep"' : ""}>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "" : `<ul>${items.map((i) => `<li>${lines(i)}</li>`).join("")}</ul>`;
}

function definition(plan: Plan): string {
  const items = plan.definition.criteria.map((c) => {
    const rule = criterionRule(c);
    return `<li>${lines(c.text)}${rule ? ` <span class="rule">(${e(rule)})</span>` : ""}</li>`;
  });
  return section(
    "definition",
    SECTIONS.definition,
    `<p>${lines(plan.definition.intro)}</p>\n<ol>${items.join("")}</ol>`,
  );
}

function severities(plan: Plan): string {
  const rows = plan.severities.map((s) => [
    e(s.id),
    e(s.name),
    lines(s.description),
    e(durationText(s.update_every)),
    s.page_out_of_hours ? "yes" : "no",
  ]);
  return section("severities", SECTIONS.severities, table(SEVERITY_COLUMNS, rows, true));
}

function components(plan: Plan): string {
  if (plan.components.length === 0) return "";
  const groups = componentGroups(plan.components).map(({ group, components: items }) => {
    const names = items.map(
      (c) => `<li>${e(c.name)}${c.description ? ` — ${lines(c.description)}` : ""}</li>`,
    );
    return `<div class="group"><h3>${e(group)}</h3><ul>${names.join("")}</ul></div>`;
  });
  return section("components", SECTIONS.components, `<div class="groups">${groups.join("\n")}</div>`);
}

function contact(role: Role): string {
  return `${e(contactInWords(role.primary))}<br><span class="muted">acknowledge within ${e(durationText(role.ack_within))}</span>`;
}

function roles(plan: Plan): string {
  const own = plan.roles
    .filter((r) => !r.recommended)
    .map((r) => [
      e(roleTitle(r)),
      `${contact(r)}${r.backup ? `<br>backup: ${e(contactInWords(r.backup))}` : ""}`,
      list(r.responsibilities),
    ]);
  const recommended = plan.roles
    .filter((r) => r.recommended)
    .map((r) => [e(roleTitle(r)), contact(r), e(contactInWords(r.backup)), list(r.responsibilities)]);
  return section(
    "roles",
    SECTIONS.roles,
    [
      `<p>${e(OWN_ROLES_INTRO)}</p>`,
      table(["Role", "Who owns this role?", "What are the core responsibilities?"], own),
      `<p>${e(RECOMMENDED_ROLES_INTRO)}</p>`,
      table(["Role", "Main point of contact", "Backup contact", "Core responsibilities"], recommended),
    ].join("\n"),
  );
}

function channels(plan: Plan): string {
  const rows = plan.channels.map((c) => [
    e(channelTitle(c)),
    e(whenInWords(c.when)),
    e(whoInWords(plan, c.who)),
    lines(c.how ?? ""),
    lines(c.more ?? ""),
  ]);
  return section("channels", SECTIONS.channels, table(CHANNEL_COLUMNS, rows));
}

function phase(name: string, template: Template): string {
  const { subject, body } = templateParts(template);
  const text = body.trimEnd();
  return `<div class="phase"><h3>${e(name)}:</h3>${subject ? `<p><strong>Subject:</strong> ${e(subject)}</p>` : ""}<blockquote class="template">${e(text)}</blockquote></div>`;
}

function templates(plan: Plan): string {
  const general = PHASES.map((p) => phase(PHASE_NAMES[p], plan.templates[p]));
  const specific = plan.channels.flatMap((c) =>
    PHASES.flatMap((p) => {
      const template = c.templates?.[p];
      return template ? [phase(`${channelTitle(c)} — ${PHASE_NAMES[p]}`, template)] : [];
    }),
  );
  const channelPart =
    specific.length > 0 ? `\n<h3>Channel-specific templates</h3>\n${specific.join("\n")}` : "";
  return section(
    "templates",
    SECTIONS.templates,
    `<p>${e(TEMPLATES_INTRO)}</p>\n${general.join("\n")}${channelPart}`,
  );
}

function values(plan: Plan): string {
  const rows = plan.values.map((v) => [`<strong>${e(v.name)}</strong>`, lines(v.statement)]);
  return section(
    "values",
    SECTIONS.values,
    `<p>${e(VALUES_INTRO)}</p>\n${table(["Value", "What it means for us"], rows, true)}`,
  );
}

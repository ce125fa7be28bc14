import { visibleIncidentRow } from "../../incidents/access.ts";
import { notFound } from "../../shared/errors.ts";
import { formatTime } from "../../statuspage/render/html-format.ts";
import { EXPORT_CSP, postmortemDocument, renderPostmortemMarkdown } from "./render.ts";
import type { PostmortemCtx } from "./repository.ts";
import { postmortemRowOf } from "./repository.ts";

export type ExportFormat = "md" | "html";
export type ExportVersion = "internal" | "public";

export interface PostmortemExport {
  filename: string;
  contentType: string;
  /** The Content-Security-Policy to send with it (HTML only). */
  csp?: string;
  body: string;
}

const STATUS_WORDS = { draft: "draft", in_review: "in review", published: "published" } as const;

/**
 * The postmortem as a file to keep or share: its Markdown as written, or a
 * standalone HTML document (sanitized, one inline stylesheet, its own CSP).
 * The public version can be exported before it is published, by those who
 * may see the incident.
 */
export async function exportPostmortem(
  ctx: PostmortemCtx,
  idOrReference: string,
  options: { format: ExportFormat; version: ExportVersion },
): Promise<PostmortemExport> {
  const incident = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const row = await postmortemRowOf(ctx.store.db, incident);
  const { plan } = ctx.plans.current();
  const timeZone = plan.organization.timezone;
  const base = `${incident.reference.toLowerCase()}-postmortem${options.version === "public" ? "-public" : ""}`;

  let title: string;
  let markdown: string;
  let meta: string;
  let heading: string | undefined;
  if (options.version === "public") {
    if (row.public_status === "none" || row.public_title === null || row.public_body === null) {
      throw notFound(`The public version of ${incident.reference}'s postmortem`);
    }
    title = row.public_title;
    heading = row.public_title;
    markdown = `# ${row.public_title}\n\n${row.public_body.trim()}\n`;
    meta = `${plan.organization.name} · ${
      row.public_published_at
        ? `published ${formatTime(row.public_published_at, timeZone)}`
        : "public version, not published yet"
    }`;
  } else {
    title = `Postmortem: ${incident.title} (${incident.reference})`;
    markdown = row.body;
    meta = `${plan.organization.name} · ${incident.reference} · postmortem, ${STATUS_WORDS[row.status]}${
      row.published_at ? ` ${formatTime(row.published_at, timeZone)}` : ""
    } · version ${row.version}`;
  }

  if (options.format === "md") {
    return { filename: `${base}.md`, contentType: "text/markdown; charset=utf-8", body: markdown };
  }
  const html =
    options.version === "public"
      ? renderPostmortemMarkdown(row.public_body ?? "")
      : renderPostmortemMarkdown(row.body);
  return {
    filename: `${base}.html`,
    contentType: "text/html; charset=utf-8",
    csp: `${EXPORT_CSP}; sandbox`,
    body: postmortemDocument({ title, meta, html, ...(heading ? { heading } : {}) }),
  };
}

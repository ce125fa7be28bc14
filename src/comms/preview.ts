import type { Ctx } from "../context.ts";
import { visibleIncidentRow } from "../incidents/access.ts";
import { loadIncident } from "../incidents/repository.ts";
import { invalid } from "../shared/errors.ts";
import { escapeHtml } from "../shared/html.ts";
import { newId } from "../shared/ids.ts";
import { composeChannels } from "./compose.ts";
import type { ChannelPreview, UpdatePreviewInput } from "./model.ts";

/** The update filled in from the template, and what every channel of the plan would send, with its rules applied. */
export async function previewUpdate(ctx: Ctx, idOrReference: string, input: UpdatePreviewInput) {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const incident = await loadIncident(ctx.store.db, row, ctx.plans.current().plan);
  const { draft, messages } = await composeChannels(ctx, incident, input, newId());
  return { ...draft, channels: messages.map((m) => m.preview) };
}

/** Which channels apply to the incident now and who may publish there, for the composer. */
export async function channelsFor(ctx: Ctx, idOrReference: string): Promise<ChannelPreview[]> {
  const preview = await previewUpdate(ctx, idOrReference, { phase: "investigating" });
  return preview.channels;
}

/**
 * A ready-to-send reply for customers' support tickets, built from the latest
 * public update: what the support lead pastes into the service desk.
 */
export async function latestReply(ctx: Ctx, idOrReference: string, format: "text" | "html"): Promise<string> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const update = await ctx.store.db
    .selectFrom("status_updates")
    .select(["phase", "body", "created_at"])
    .where("incident_id", "=", row.id)
    .where("audience", "=", "external")
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!update) {
    throw invalid(`${row.reference} has no external update yet.`, [
      {
        path: "incident",
        message: "no external update",
        hint: "post one first; the reply repeats the latest external update",
      },
    ]);
  }
  const { plan } = ctx.plans.current();
  const url = `${ctx.publicUrl.replace(/\/$/, "")}/incidents/${row.reference}`;
  const lines = [
    "Hello,",
    `Thank you for getting in touch. We are aware of an issue: ${row.title}.`,
    `Latest update (${update.phase}, ${update.created_at.replace("T", " ").slice(0, 16)} UTC):`,
    update.body,
    `You can follow it here: ${url}`,
    `— ${plan.organization.name} support`,
  ];
  if (format === "text") return lines.join("\n\n");
  return lines
    .map((line, i) =>
      i === 4
        ? `<p>You can follow it here: <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`
        : `<p>${escapeHtml(line).replaceAll("\n", "<br>")}</p>`,
    )
    .join("\n");
}

import type { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import { toSummary } from "../auth/users.ts";
import type { Ctx } from "../context.ts";
import { durationInWords, parseDuration } from "../plan/duration.ts";
import type { Phase, Plan, Template } from "../plan/schema.ts";
import { renderTemplate } from "../plan/template.ts";
import { newId } from "../shared/ids.ts";
import { visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import type { Incident, PublishUpdateInput, StatusUpdate, UpdatePreviewInput } from "./model.ts";
import { insertEntry, loadIncident } from "./repository.ts";

/**
 * Status updates: the plan's template for a phase, filled with the incident's
 * facts. The update is stored with its audience; delivering it to channels is
 * the comms module's work, which picks up from publishUpdate's result.
 */

export interface UpdateDraft {
  phase: Phase;
  subject: string;
  body: string;
  variables: Record<string, string>;
}

function templateParts(template: Template): { subject?: string | undefined; body: string } {
  return typeof template === "string" ? { body: template } : template;
}

export function templateVariables(
  plan: Plan,
  incident: Incident,
  publicUrl: string,
  now: Date,
): Record<string, string> {
  const severity = plan.severities.find((s) => s.id === incident.severity);
  const updateEvery = severity ? parseDuration(severity.update_every) : null;
  return {
    "incident.title": incident.title,
    "incident.reference": incident.reference,
    "incident.summary": incident.summary ?? "",
    "incident.status": incident.status,
    "incident.url": `${publicUrl.replace(/\/$/, "")}/incidents/${incident.reference}`,
    "incident.impact_started_at": incident.impactStartedAt,
    "incident.declared_at": incident.declaredAt,
    "severity.id": incident.severity,
    "severity.name": severity?.name ?? incident.severity,
    "severity.description": severity?.description ?? "",
    components:
      incident.components.map((c) => `${c.name} (${c.impact.replaceAll("_", " ")})`).join(", ") ||
      "no specific components",
    next_update_in: updateEvery ? durationInWords(updateEvery) : "",
    next_update_at: updateEvery ? new Date(now.getTime() + updateEvery).toISOString() : "",
    "organization.name": plan.organization.name,
  };
}

export function draftUpdate(
  plan: Plan,
  incident: Incident,
  input: z.output<typeof UpdatePreviewInput>,
  publicUrl: string,
  now: Date,
): UpdateDraft {
  const variables = templateVariables(plan, incident, publicUrl, now);
  const template = templateParts(plan.templates[input.phase]);
  const subject =
    input.subject ?? template.subject ?? `{{incident.reference}}: {{incident.title}} (${input.phase})`;
  return {
    phase: input.phase,
    subject: renderTemplate(subject, variables),
    body: renderTemplate(input.body ?? template.body, variables),
    variables,
  };
}

export async function previewUpdate(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof UpdatePreviewInput>,
): Promise<UpdateDraft> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const { plan } = ctx.plans.current();
  const incident = await loadIncident(ctx.store.db, row, plan);
  return draftUpdate(plan, incident, input, ctx.publicUrl, ctx.clock.now());
}

export async function publishUpdate(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof PublishUpdateInput>,
): Promise<StatusUpdate> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const userId = actorUserId(ctx.actor);
  const { plan } = ctx.plans.current();
  const { update, row } = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    const incident = await loadIncident(tx, row, plan);
    const draft = draftUpdate(plan, incident, input, ctx.publicUrl, now);
    const id = newId();
    await tx
      .insertInto("status_updates")
      .values({
        id,
        incident_id: row.id,
        phase: input.phase,
        subject: draft.subject,
        body: draft.body,
        audience: input.audience,
        author_id: userId,
        created_at: at,
      })
      .execute();
    await insertEntry(tx, {
      incidentId: row.id,
      kind: "update_posted",
      body: `${input.audience === "external" ? "External" : "Internal"} ${input.phase} update posted: ${draft.body}`,
      authorId: userId,
      at,
      data: { updateId: id, phase: input.phase, audience: input.audience },
    });
    const author = userId
      ? await tx
          .selectFrom("users")
          .select(["id", "email", "name"])
          .where("id", "=", userId)
          .executeTakeFirst()
      : undefined;
    const update: StatusUpdate = {
      id,
      incidentId: row.id,
      phase: input.phase,
      subject: draft.subject,
      body: draft.body,
      audience: input.audience,
      author: author ? toSummary(author) : null,
      createdAt: at,
      deliveries: [],
    };
    return { update, row };
  });
  announce(ctx, row, "update_posted");
  return update;
}

export async function listUpdates(ctx: Ctx, idOrReference: string): Promise<StatusUpdate[]> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const rows = await ctx.store.db
    .selectFrom("status_updates")
    .leftJoin("users", "users.id", "status_updates.author_id")
    .select([
      "status_updates.id",
      "status_updates.phase",
      "status_updates.subject",
      "status_updates.body",
      "status_updates.audience",
      "status_updates.created_at",
      "users.id as author_id",
      "users.email as author_email",
      "users.name as author_name",
    ])
    .where("status_updates.incident_id", "=", row.id)
    .orderBy("status_updates.created_at")
    .orderBy("status_updates.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: row.id,
    phase: r.phase as Phase,
    subject: r.subject,
    body: r.body,
    audience: r.audience,
    author:
      r.author_id && r.author_email && r.author_name
        ? { id: r.author_id, email: r.author_email, name: r.author_name }
        : null,
    createdAt: r.created_at,
    deliveries: [],
  }));
}

import { actorUserId } from "../auth/model.ts";
import { toSummary } from "../auth/users.ts";
import type { Ctx } from "../context.ts";
import { visibleIncidentRow } from "../incidents/access.ts";
import { announce } from "../incidents/announce.ts";
import { entryRows, loadIncident } from "../incidents/repository.ts";
import { enqueue } from "../jobs/queue.ts";
import { type FieldIssue, forbidden, invalid } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { syncStatusPage } from "../statuspage/sync.ts";
import { insertAll } from "../store/insert-all.ts";
import type { DeliveriesTable } from "../store/schema.ts";
import { writeJson } from "../store/values.ts";
import type { Target } from "./adapters/types.ts";
import { type ChannelMessage, composeChannels } from "./compose.ts";
import { DELIVER_JOB } from "./deliver.ts";
import { deliveryView } from "./deliveries.ts";
import type { PublishUpdateInput, StatusUpdate } from "./model.ts";
import { cadenceDueAt } from "./reminders.ts";
import { targetsFor } from "./targets.ts";

const CHUNK = 400;

/**
 * Publishes a status update to the chosen channels. Each channel must apply
 * to the incident now (the plan's `when`) and the author must be allowed to
 * publish there (`who`); a message the channel would shorten needs the
 * author's consent. The update, one delivery per channel and target, and the
 * delivery jobs are written in one transaction (the outbox): the worker sends
 * them after the commit, and a crash loses none of them.
 */
export async function publishUpdate(
  ctx: Ctx,
  idOrReference: string,
  input: PublishUpdateInput,
): Promise<StatusUpdate> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const authorId = actorUserId(ctx.actor);
  const { plan } = ctx.plans.current();
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const incident = await loadIncident(ctx.store.db, row, plan);
  const updateId = newId();
  const { draft, messages } = await composeChannels(ctx, incident, input, updateId);
  const chosen = checkChoice(messages, input);
  const audience =
    input.audience ?? (chosen.some((m) => m.preview.audience === "external") ? "external" : "internal");
  const isPublic = chosen.some((m) => m.channel.type === "statuspage");

  const targets = new Map<string, Target[]>();
  for (const message of chosen)
    targets.set(message.channel.id, await targetsFor(ctx.store.db, message.channel, incident, ctx.publicUrl));

  const deliveries: DeliveriesTable[] = [];
  const jobs: Array<{ id: string; kind: string; payload: unknown; runAt: string }> = [];
  for (const message of chosen) {
    const local = message.channel.type === "statuspage";
    for (const target of targets.get(message.channel.id) ?? []) {
      const id = newId();
      const jobId = local ? null : newId();
      deliveries.push({
        id,
        update_id: updateId,
        incident_id: incident.id,
        channel_id: message.channel.id,
        target_key: target.key,
        target_address: target.address ?? null,
        // The status page reads public updates itself: nothing to send.
        state: local ? "delivered" : "queued",
        job_id: jobId,
        attempts: 0,
        last_error: null,
        next_attempt_at: local ? null : at,
        provider_message_id: null,
        thread_id: null,
        created_at: at,
        delivered_at: local ? at : null,
      });
      if (jobId) jobs.push({ id: jobId, kind: DELIVER_JOB, payload: { deliveryId: id }, runAt: at });
    }
  }

  const names = chosen.map((m) => m.channel.name);
  const update = await ctx.store.transaction(async (tx) => {
    const current = await visibleIncidentRow(ctx, tx, incident.id);
    const dueAt = audience === "external" ? await cadenceDueAt(tx, plan, current) : null;
    await insertAll(tx, [
      {
        table: "status_updates",
        rows: [
          {
            id: updateId,
            incident_id: incident.id,
            phase: input.phase,
            subject: draft.subject,
            body: draft.body,
            audience,
            author_id: authorId,
            created_at: at,
            due_at: dueAt,
            public: isPublic,
          },
        ],
      },
      {
        table: "update_channels",
        rows: chosen.map((m) => ({
          update_id: updateId,
          channel_id: m.channel.id,
          channel_type: m.channel.type,
          rendering: writeJson(m.rendering),
        })),
      },
      {
        table: "timeline_entries",
        rows: entryRows([
          {
            incidentId: incident.id,
            kind: "update_posted",
            body: `${audience === "external" ? "External" : "Internal"} ${input.phase} update${names.length ? ` to ${names.join(", ")}` : ""}: ${draft.body}`,
            authorId,
            at,
            data: { updateId, phase: input.phase, audience, channels: chosen.map((m) => m.channel.id) },
          },
        ]),
      },
    ]);
    for (let i = 0; i < deliveries.length; i += CHUNK) {
      await tx
        .insertInto("deliveries")
        .values(deliveries.slice(i, i + CHUNK))
        .execute();
    }
    await enqueue(tx, jobs, at);
    if (isPublic) await syncStatusPage(ctx, tx, at, updateId);
    const author = authorId
      ? await tx
          .selectFrom("users")
          .select(["id", "email", "name"])
          .where("id", "=", authorId)
          .executeTakeFirst()
      : undefined;
    return {
      id: updateId,
      incidentId: incident.id,
      phase: input.phase,
      subject: draft.subject,
      body: draft.body,
      audience,
      public: isPublic,
      author: author ? toSummary(author) : null,
      createdAt: at,
      dueAt,
      channels: chosen.map((m) => m.channel.id),
      deliveries: deliveries.map((d) => deliveryView(d, false)),
    } satisfies StatusUpdate;
  });
  if (jobs.length) ctx.comms.poke();
  announce(ctx, row, "update_posted");
  return update;
}

/** The chosen channels, after every rule; refuses with each broken rule named. */
function checkChoice(messages: ChannelMessage[], input: PublishUpdateInput): ChannelMessage[] {
  const byId = new Map(messages.map((m) => [m.channel.id, m]));
  const issues: FieldIssue[] = [];
  const refused: string[] = [];
  const chosen: ChannelMessage[] = [];
  const seen = new Set<string>();
  input.channels.forEach((id, i) => {
    const path = `channels.${i}`;
    const message = byId.get(id);
    if (seen.has(id)) return;
    seen.add(id);
    if (!message) {
      issues.push({
        path,
        message: `"${id}" is not a channel of the plan`,
        hint: `use one of: ${[...byId.keys()].join(", ")}`,
      });
      return;
    }
    const p = message.preview;
    if (!p.mayPublish) {
      refused.push(`${p.name}: only ${p.who} may publish there`);
      return;
    }
    if (!p.applies) {
      issues.push({
        path,
        message: `${p.name} does not apply to this incident: ${p.reasons.join("; ")}`,
        hint: "leave it out, or change the incident if the facts changed",
      });
      return;
    }
    if (p.problems.length) {
      issues.push({
        path,
        message: `${p.name} cannot deliver: ${p.problems.join("; ")}`,
        hint: "an admin must fix the channel's settings first",
      });
      return;
    }
    if (p.rendering.shortened && !input.confirmShortened.includes(id)) {
      issues.push({
        path,
        message: `${p.name} would shorten the message to ${p.rendering.limit.max} ${p.rendering.limit.unit} (it is ${p.rendering.fullLength})`,
        hint: `preview it, then shorten the text (channelBodies.${id}) or confirm it with confirmShortened: ["${id}"]`,
      });
      return;
    }
    chosen.push(message);
  });
  if (refused.length) throw forbidden(`You may not publish to ${refused.join("; ")}.`);
  if (issues.length) throw invalid("The update cannot be published as given.", issues);
  return chosen;
}

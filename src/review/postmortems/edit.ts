import { actorUserId } from "../../auth/model.ts";
import { visibleIncidentRow } from "../../incidents/access.ts";
import { announce } from "../../incidents/announce.ts";
import { insertEntry } from "../../incidents/repository.ts";
import { invalid } from "../../shared/errors.ts";
import {
  type EditPostmortemInput,
  NEXT_STATUSES,
  type Postmortem,
  type PostmortemStatus,
  type PostmortemStatusInput,
} from "./model.ts";
import {
  bumpPostmortem,
  checkPostmortemVersion,
  type PostmortemCtx,
  postmortemRowOf,
  presentPostmortem,
} from "./repository.ts";

const STATUS_WORDS: Record<PostmortemStatus, string> = {
  draft: "draft",
  in_review: "in review",
  published: "published",
};

/** The incident's postmortem, for anyone who may see the incident. */
export async function getPostmortem(ctx: PostmortemCtx, idOrReference: string): Promise<Postmortem> {
  const incident = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  return presentPostmortem(ctx, await postmortemRowOf(ctx.store.db, incident), incident);
}

/** Saves the Markdown, if nobody saved since `version`. A published postmortem is the record: it no longer changes. */
export async function editPostmortem(
  ctx: PostmortemCtx,
  idOrReference: string,
  input: EditPostmortemInput,
): Promise<Postmortem> {
  const now = ctx.clock.now().toISOString();
  const { incident, row } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const current = await postmortemRowOf(tx, incident);
    checkPostmortemVersion(current, incident, input.version);
    if (current.status === "published") {
      throw invalid(`The postmortem of ${incident.reference} is published and can no longer be changed.`, [
        {
          path: "body",
          message: "the postmortem is published",
          hint: "add what you learned since to an action item or the incident's timeline",
        },
      ]);
    }
    const row = await bumpPostmortem(tx, current, incident, {
      body: input.body,
      updated_at: now,
      updated_by: actorUserId(ctx.actor),
    });
    return { incident, row };
  });
  announce(ctx, incident, "postmortem_edited");
  return presentPostmortem(ctx, row, incident);
}

/** draft → in_review → published, and back from in_review to draft; each step is on the timeline. */
export async function changePostmortemStatus(
  ctx: PostmortemCtx,
  idOrReference: string,
  input: PostmortemStatusInput,
  expectedVersion?: number,
): Promise<Postmortem> {
  const now = ctx.clock.now().toISOString();
  const userId = actorUserId(ctx.actor);
  const { incident, row } = await ctx.store.transaction(async (tx) => {
    const incident = await visibleIncidentRow(ctx, tx, idOrReference);
    const current = await postmortemRowOf(tx, incident);
    checkPostmortemVersion(current, incident, input.version ?? expectedVersion);
    const from = current.status;
    const to = input.status;
    const allowed = NEXT_STATUSES[from];
    if (!allowed.includes(to)) {
      throw invalid(
        from === to
          ? `The postmortem of ${incident.reference} is already ${STATUS_WORDS[to]}.`
          : `The postmortem of ${incident.reference} cannot go from ${STATUS_WORDS[from]} to ${STATUS_WORDS[to]}.`,
        [
          {
            path: "status",
            message: `not a next step from ${from}`,
            hint:
              allowed.length > 0
                ? `from ${from} it can go to: ${allowed.join(", ")}`
                : "a published postmortem is final",
          },
        ],
      );
    }
    const row = await bumpPostmortem(tx, current, incident, {
      status: to,
      ...(to === "published" ? { published_at: now } : {}),
      updated_at: now,
      updated_by: userId,
    });
    await insertEntry(tx, {
      incidentId: incident.id,
      kind: "postmortem_status",
      body:
        to === "published"
          ? "Postmortem published."
          : `Postmortem moved from ${STATUS_WORDS[from]} to ${STATUS_WORDS[to]}.`,
      authorId: userId,
      at: now,
      data: { postmortemId: current.id, from, to },
    });
    return { incident, row };
  });
  announce(ctx, incident, "postmortem_status");
  return presentPostmortem(ctx, row, incident);
}

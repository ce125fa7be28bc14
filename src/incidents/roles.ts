import type { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import { findUser } from "../auth/users.ts";
import type { Ctx } from "../context.ts";
import { conflict, invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { bumpVersion, visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import type { AssignRoleInput, Incident } from "./model.ts";
import { findIncidentRow, insertEntry, loadIncident } from "./repository.ts";

/**
 * Hands a role over to someone. The previous holder's stint is closed and the
 * new one opened in role_assignments, so the whole history of who held the
 * role, from when to when, stays.
 */
export async function handOverRole(
  ctx: Ctx,
  idOrReference: string,
  roleId: string,
  input: z.output<typeof AssignRoleInput>,
): Promise<Incident> {
  const target = await findUser(
    ctx.store.db,
    "userId" in input ? { userId: input.userId } : { email: input.email },
  );
  const field = "userId" in input ? "userId" : "email";
  if (!target || target.disabled_at !== null) {
    throw invalid("Nobody with an active account matches.", [
      {
        path: field,
        message: "no such active user",
        hint: "give the id or email of an existing, enabled user",
      },
    ]);
  }
  if (target.role === "viewer") {
    throw invalid(`${target.name} is a viewer and cannot hold an incident role.`, [
      {
        path: field,
        message: "a viewer cannot hold a role",
        hint: "ask an admin to make them a responder first",
      },
    ]);
  }
  const now = ctx.clock.now().toISOString();
  const actorId = actorUserId(ctx.actor);
  const id = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    const role = await tx
      .selectFrom("incident_roles")
      .selectAll()
      .where("incident_id", "=", row.id)
      .where("role_id", "=", roleId)
      .executeTakeFirst();
    if (!role) throw notFound(`Role ${roleId} on ${row.reference}`);
    if (role.holder_id === target.id) return row.id;

    const updated = await tx
      .updateTable("incident_roles")
      .set({ holder_id: target.id, assigned_at: now })
      .where("incident_id", "=", row.id)
      .where("role_id", "=", roleId)
      .where((eb) =>
        role.holder_id === null ? eb("holder_id", "is", null) : eb("holder_id", "=", role.holder_id),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw conflict(`${role.name} was handed over by someone else at the same time: reload and try again.`);
    }
    await tx
      .updateTable("role_assignments")
      .set({ ended_at: now })
      .where("incident_id", "=", row.id)
      .where("role_id", "=", roleId)
      .where("ended_at", "is", null)
      .execute();
    await tx
      .insertInto("role_assignments")
      .values({
        id: newId(),
        incident_id: row.id,
        role_id: roleId,
        user_id: target.id,
        started_at: now,
        ended_at: null,
        assigned_by: actorId,
      })
      .execute();
    await bumpVersion(tx, row, now);
    const previous = role.holder_id ? await findUser(tx, { userId: role.holder_id }) : undefined;
    await insertEntry(tx, {
      incidentId: row.id,
      kind: "role_assigned",
      body: `${role.name} handed over${previous ? ` from ${previous.name}` : ""} to ${target.name}.`,
      authorId: actorId,
      at: now,
      data: { roleId, from: role.holder_id, to: target.id },
    });
    return row.id;
  });
  const incident = await loadIncident(
    ctx.store.db,
    await findIncidentRow(ctx.store.db, id),
    ctx.plans.current().plan,
  );
  announce(ctx, incident, "role_assigned");
  return incident;
}

export interface RoleStint {
  roleId: string;
  userId: string | null;
  startedAt: string;
  endedAt: string | null;
  assignedBy: string | null;
}

/** Who held which role, from when to when. */
export async function roleHistory(ctx: Ctx, idOrReference: string): Promise<RoleStint[]> {
  const row = await visibleIncidentRow(ctx, ctx.store.db, idOrReference);
  const rows = await ctx.store.db
    .selectFrom("role_assignments")
    .selectAll()
    .where("incident_id", "=", row.id)
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    roleId: r.role_id,
    userId: r.user_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    assignedBy: r.assigned_by,
  }));
}

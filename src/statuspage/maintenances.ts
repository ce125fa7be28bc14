import { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { enqueue, type NewJob } from "../jobs/queue.ts";
import { SHORT_RETRIES } from "../jobs/retry.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { conflict, invalid, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Db } from "../store/open.ts";
import type { MaintenancesTable } from "../store/schema.ts";
import { readBool, readTime } from "../store/values.ts";
import { noticeJobs } from "./maintenance-notices.ts";
import type { MaintenanceStatus } from "./model.ts";
import { syncStatusPage } from "./sync.ts";

/**
 * Scheduled maintenance: announced ahead, started and completed on time by
 * durable jobs (unless the author drives it by hand), with every step posted
 * as an update and sent to the subscribers of the components it touches.
 * While in progress or verifying, its components are under maintenance.
 */
export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "verifying", "completed"] as const;
export const MAINTENANCE_STEP_JOB = "maintenanceStep";

const Timestamp = z.iso.datetime({
  offset: true,
  message: "use an ISO-8601 time such as 2026-11-29T02:00:00Z",
});

export const ScheduleMaintenanceInput = z.strictObject({
  title: z.string().trim().min(1, "give the maintenance a title").max(200),
  body: z.string().trim().min(1, "say what will happen and what customers will notice").max(20_000),
  components: z.array(z.string().min(1).max(100)).min(1, "name at least one component").max(200),
  scheduledFor: Timestamp,
  scheduledUntil: Timestamp,
  /** Start at scheduledFor and complete at scheduledUntil without anyone acting. */
  autoStart: z.boolean().default(true),
  autoComplete: z.boolean().default(true),
  notify: z.boolean().default(true),
});
export type ScheduleMaintenanceInput = z.input<typeof ScheduleMaintenanceInput>;

export const MaintenanceUpdateInput = z.strictObject({
  status: z.enum(MAINTENANCE_STATUSES),
  body: z.string().trim().min(1, "write what customers should know").max(20_000),
  notify: z.boolean().default(true),
});
export type MaintenanceUpdateInput = z.input<typeof MaintenanceUpdateInput>;

export const Maintenance = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(MAINTENANCE_STATUSES),
    scheduledFor: z.string(),
    scheduledUntil: z.string(),
    autoStart: z.boolean(),
    autoComplete: z.boolean(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number(),
    components: z.array(z.string()),
    updates: z.array(
      z.object({
        id: z.string(),
        status: z.enum(MAINTENANCE_STATUSES),
        body: z.string(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: "Maintenance" });
export type Maintenance = z.infer<typeof Maintenance>;

/** Where each status may go next; posting the same status again adds an update. */
const NEXT: Record<MaintenanceStatus, MaintenanceStatus[]> = {
  scheduled: ["scheduled", "in_progress", "completed"],
  in_progress: ["in_progress", "verifying", "completed"],
  verifying: ["verifying", "in_progress", "completed"],
  completed: [],
};

const AUTO_TEXT: Record<"in_progress" | "completed", string> = {
  in_progress: "The scheduled maintenance is now in progress.",
  completed: "The scheduled maintenance has been completed.",
};

function componentIssues(ctx: Ctx, components: string[]) {
  const known = new Set(ctx.plans.current().plan.components.map((c) => c.id));
  return components.flatMap((id, i) =>
    known.has(id)
      ? []
      : [
          {
            path: `components.${i}`,
            message: `"${id}" is not a component of the plan`,
            hint: `use one of: ${[...known].join(", ")}`,
          },
        ],
  );
}

export async function scheduleMaintenance(
  ctx: Ctx,
  input: z.output<typeof ScheduleMaintenanceInput>,
): Promise<Maintenance> {
  const issues = componentIssues(ctx, input.components);
  const from = Date.parse(input.scheduledFor);
  const until = Date.parse(input.scheduledUntil);
  if (until <= from) {
    issues.push({
      path: "scheduledUntil",
      message: "ends before it starts",
      hint: "give an end time after scheduledFor",
    });
  }
  if (issues.length) throw invalid("The maintenance cannot be scheduled as given.", issues);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  const scheduledFor = new Date(from).toISOString();
  const scheduledUntil = new Date(until).toISOString();
  await ctx.store.transaction(async (tx) => {
    await tx
      .insertInto("maintenances")
      .values({
        id,
        title: input.title,
        status: "scheduled",
        scheduled_for: scheduledFor,
        scheduled_until: scheduledUntil,
        auto_start: input.autoStart,
        auto_complete: input.autoComplete,
        started_at: null,
        completed_at: null,
        created_at: now,
        created_by: actorUserId(ctx.actor),
        updated_at: now,
        version: 1,
      })
      .execute();
    await tx
      .insertInto("maintenance_components")
      .values([...new Set(input.components)].map((component_id) => ({ maintenance_id: id, component_id })))
      .execute();
    const jobs: NewJob[] = [];
    if (input.autoStart)
      jobs.push({
        kind: MAINTENANCE_STEP_JOB,
        payload: { maintenanceId: id, to: "in_progress" },
        runAt: scheduledFor,
        uniqueKey: `maintenance-start:${id}`,
      });
    if (input.autoComplete)
      jobs.push({
        kind: MAINTENANCE_STEP_JOB,
        payload: { maintenanceId: id, to: "completed" },
        runAt: scheduledUntil,
        uniqueKey: `maintenance-complete:${id}`,
      });
    await postUpdate(ctx, tx, id, "scheduled", input.body, now, input.notify);
    await enqueue(tx, jobs, now);
  });
  ctx.comms.poke();
  ctx.events.pageChanged();
  return getMaintenance(ctx.store.db, id);
}

/** Moves a maintenance on (or adds an update in its current status). */
export async function updateMaintenance(
  ctx: Ctx,
  id: string,
  input: z.output<typeof MaintenanceUpdateInput>,
  expectedVersion?: number,
): Promise<Maintenance> {
  const now = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    const row = await maintenanceRow(tx, id);
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw conflict(
        `The maintenance changed since you loaded it (now version ${row.version}); reload and try again.`,
      );
    }
    if (!NEXT[row.status].includes(input.status)) {
      throw invalid(`The maintenance is ${row.status.replace("_", " ")}; it cannot become ${input.status}.`, [
        {
          path: "status",
          message: `${row.status} cannot move to ${input.status}`,
          hint: NEXT[row.status].length
            ? `use one of: ${NEXT[row.status].join(", ")}`
            : "a completed maintenance is closed; schedule a new one",
        },
      ]);
    }
    await transition(ctx, tx, row, input.status, now);
    await postUpdate(ctx, tx, id, input.status, input.body, now, input.notify);
  });
  ctx.comms.poke();
  ctx.events.pageChanged();
  return getMaintenance(ctx.store.db, id);
}

async function transition(ctx: Ctx, tx: Db, row: MaintenancesTable, to: MaintenanceStatus, now: string) {
  const changes: Partial<MaintenancesTable> = { status: to, updated_at: now, version: row.version + 1 };
  if (to === "in_progress" && !row.started_at) changes.started_at = now;
  if (to === "completed") {
    changes.completed_at = now;
    if (!row.started_at && row.status !== "scheduled") changes.started_at = now;
  }
  const result = await tx
    .updateTable("maintenances")
    .set(changes)
    .where("id", "=", row.id)
    .where("version", "=", row.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw conflict("The maintenance changed at the same moment; try again.");
  if (to !== row.status) await syncStatusPage(ctx, tx, now);
}

async function postUpdate(
  ctx: Ctx,
  tx: Db,
  maintenanceId: string,
  status: MaintenanceStatus,
  body: string,
  now: string,
  notify: boolean,
) {
  const updateId = newId();
  await tx
    .insertInto("maintenance_updates")
    .values({
      id: updateId,
      maintenance_id: maintenanceId,
      status,
      body,
      author_id: actorUserId(ctx.actor),
      created_at: now,
    })
    .execute();
  if (notify) await enqueue(tx, await noticeJobs(ctx, tx, maintenanceId, updateId, now), now);
}

async function maintenanceRow(db: Db, id: string): Promise<MaintenancesTable> {
  const row = await db.selectFrom("maintenances").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`Maintenance ${id}`);
  return row;
}

export async function getMaintenance(db: Db, id: string): Promise<Maintenance> {
  const row = await maintenanceRow(db, id);
  const [components, updates] = await Promise.all([
    db.selectFrom("maintenance_components").select("component_id").where("maintenance_id", "=", id).execute(),
    db
      .selectFrom("maintenance_updates")
      .select(["id", "status", "body", "created_at"])
      .where("maintenance_id", "=", id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute(),
  ]);
  return toMaintenance(
    row,
    components.map((c) => c.component_id),
    updates,
  );
}

function toMaintenance(
  row: MaintenancesTable,
  components: string[],
  updates: Array<{ id: string; status: string; body: string; created_at: string }>,
): Maintenance {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    scheduledFor: readTime(row.scheduled_for),
    scheduledUntil: readTime(row.scheduled_until),
    autoStart: readBool(row.auto_start),
    autoComplete: readBool(row.auto_complete),
    startedAt: readTime(row.started_at),
    completedAt: readTime(row.completed_at),
    createdAt: readTime(row.created_at),
    updatedAt: readTime(row.updated_at),
    version: row.version,
    components,
    updates: updates.map((u) => ({
      id: u.id,
      status: u.status as MaintenanceStatus,
      body: u.body,
      createdAt: readTime(u.created_at),
    })),
  };
}

export async function listMaintenances(
  db: Db,
  filter: { status?: "upcoming" | "active" | "completed" | undefined },
): Promise<Maintenance[]> {
  let query = db.selectFrom("maintenances").select("id").orderBy("scheduled_for", "desc").limit(200);
  if (filter.status === "upcoming") query = query.where("status", "=", "scheduled");
  if (filter.status === "active") query = query.where("status", "in", ["in_progress", "verifying"]);
  if (filter.status === "completed") query = query.where("status", "=", "completed");
  const ids = await query.execute();
  return Promise.all(ids.map((row) => getMaintenance(db, row.id)));
}

/** Starts and completes maintenances on time. Runs once per step: a step that no longer applies does nothing. */
export function maintenanceStepHandler(
  deps: Omit<Ctx, "actor">,
): JobHandler<{ maintenanceId: string; to: "in_progress" | "completed" }> {
  const ctx: Ctx = { ...deps, actor: { kind: "system" } };
  return {
    kind: MAINTENANCE_STEP_JOB,
    retry: SHORT_RETRIES,
    async run(job) {
      const { maintenanceId, to } = job.payload;
      const now = ctx.clock.now().toISOString();
      let changed = false;
      await ctx.store.transaction(async (tx) => {
        const row = await tx
          .selectFrom("maintenances")
          .selectAll()
          .where("id", "=", maintenanceId)
          .executeTakeFirst();
        if (!row) return;
        const applies =
          to === "in_progress"
            ? row.status === "scheduled" && readBool(row.auto_start)
            : (row.status === "in_progress" || row.status === "verifying" || row.status === "scheduled") &&
              readBool(row.auto_complete);
        if (!applies) return;
        await transition(ctx, tx, row, to, now);
        await postUpdate(ctx, tx, maintenanceId, to, AUTO_TEXT[to], now, true);
        changed = true;
      });
      if (changed) {
        ctx.comms.poke();
        ctx.events.pageChanged();
      }
    },
  };
}

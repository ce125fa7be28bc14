import type { Ctx } from "../../context.ts";
import { insertEntries, type NewEntry } from "../../incidents/repository.ts";
import { enqueue, type NewJob } from "../../jobs/queue.ts";
import { durationInWords } from "../../plan/duration.ts";
import type { Contact, Plan } from "../../plan/schema.ts";
import { newId } from "../../shared/ids.ts";
import type { Db } from "../../store/open.ts";
import type { EscalationsTable, PageNotificationsTable, PagesTable } from "../../store/schema.ts";
import { readJson, writeJson } from "../../store/values.ts";
import { contactResolver } from "./on-call.ts";
import {
  activeUsersByEmail,
  cancelOpenNotifications,
  notificationKey,
  rulesOf,
  timerKey,
} from "./repository.ts";
import { escalationStages, pagingAllowed, type Stage, Stages } from "./stages.ts";

/**
 * Escalations: a role's contacts paged stage after stage until someone
 * acknowledges. Starting one and moving it on are done inside a transaction
 * the caller owns (the declaration's, or the timer job's), so an escalation,
 * its pages, their notification jobs, the next timer and the timeline entries
 * commit together or not at all.
 */
export const ESCALATE_JOB = "escalatePage";
export const NOTIFY_JOB = "notifyPage";

export type PagingDeps = Pick<Ctx, "store" | "plans" | "clock" | "comms" | "publicUrl">;

interface IncidentFacts {
  id: string;
  severity: string;
}

/**
 * Starts an escalation for every plan role with a primary contact, paging the
 * first stage that has someone to page. Returns how many people were paged.
 */
export async function startPaging(deps: PagingDeps, tx: Db, incident: IncidentFacts): Promise<number> {
  const { plan } = deps.plans.current();
  const now = deps.clock.now();
  const at = now.toISOString();
  const roles = plan.roles.filter((role) => role.primary !== undefined);
  if (roles.length === 0) return 0;
  const allowed = pagingAllowed(plan, incident.severity, now);
  if (!allowed.allowed) {
    await insertEntries(tx, [
      {
        incidentId: incident.id,
        kind: "paging_skipped",
        body: `Nobody was paged: ${allowed.reason}. Role holders were assigned as usual.`,
        authorId: null,
        at,
        data: { severity: incident.severity },
      },
    ]);
    return 0;
  }
  let paged = 0;
  for (const role of roles) {
    const row: EscalationsTable = {
      id: newId(),
      incident_id: incident.id,
      role_id: role.id,
      stage: 0,
      status: "active",
      started_at: at,
      next_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      version: 1,
      updated_at: at,
      steps: writeJson(escalationStages(plan, role)),
    };
    await tx.insertInto("escalations").values(row).execute();
    paged += await pageFrom(deps, tx, row, 0, now);
  }
  return paged;
}

/**
 * The timer: nobody acknowledged stage `stage` in time, so the next one is
 * paged. Fires once: the conditional update on (id, stage, active) lets only
 * the first run through, whether the job runs twice, a process restarts in
 * between, or an acknowledgement came first.
 */
export async function escalate(deps: PagingDeps, escalationId: string, stage: number): Promise<number> {
  return deps.store.transaction(async (tx) => {
    const row = await tx
      .selectFrom("escalations")
      .selectAll()
      .where("id", "=", escalationId)
      .executeTakeFirst();
    if (row?.status !== "active" || row.stage !== stage) return 0;
    const now = deps.clock.now();
    const moved = await tx
      .updateTable("escalations")
      .set({ stage: stage + 1, version: row.version + 1, updated_at: now.toISOString() })
      .where("id", "=", escalationId)
      .where("stage", "=", stage)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return 0;
    const stages = stagesOf(row);
    const waited = stages[stage];
    await insertEntries(tx, [
      {
        incidentId: row.incident_id,
        kind: "escalated",
        body: `Nobody acknowledged the page for ${roleName(deps.plans.current().plan, row.role_id)} (${waited?.label ?? `stage ${stage}`}) within ${durationInWords(waited?.waitMs ?? 0)}: escalating.`,
        authorId: null,
        at: now.toISOString(),
        data: { escalationId, roleId: row.role_id, fromStage: stage },
      },
    ]);
    return pageFrom(deps, tx, { ...row, stage: stage + 1, version: row.version + 1 }, stage + 1, now);
  });
}

export function stagesOf(row: Pick<EscalationsTable, "steps">): Stage[] {
  const parsed = Stages.safeParse(row.steps === null ? [] : readJson(row.steps));
  return parsed.success ? parsed.data : [];
}

export function roleName(plan: Plan, roleId: string): string {
  return plan.roles.find((r) => r.id === roleId)?.name ?? roleId;
}

/**
 * Pages the first stage from `from` on that has someone with an account to
 * page, saying in the timeline which stages were skipped and why; when none is
 * left, the escalation is exhausted. Returns how many people were paged.
 */
async function pageFrom(
  deps: PagingDeps,
  tx: Db,
  escalation: EscalationsTable,
  from: number,
  now: Date,
): Promise<number> {
  const { plan } = deps.plans.current();
  const at = now.toISOString();
  const stages = stagesOf(escalation);
  const role = roleName(plan, escalation.role_id);
  const entries: NewEntry[] = [];
  const skipped: string[] = [];
  const entry = (kind: string, body: string, data: Record<string, unknown>) =>
    entries.push({
      incidentId: escalation.incident_id,
      kind,
      body,
      authorId: null,
      at,
      data: { escalationId: escalation.id, roleId: escalation.role_id, ...data },
    });

  for (let stage = from; stage < stages.length; stage++) {
    const current = stages[stage]!;
    const { users, missing } = await resolveTargets(tx, plan, current.targets, now);
    if (users.length === 0) {
      if (current.targets.length > 0) {
        skipped.push(`the ${current.label}: ${missing.join("; ")}`);
        entry(
          "page_skipped",
          `Could not page the ${current.label} of ${role}: ${missing.join("; ")}. Going on.`,
          { stage, reasons: missing },
        );
      }
      continue;
    }
    if (missing.length > 0) {
      entry(
        "page_skipped",
        `Could not page everyone in the ${current.label} of ${role}: ${missing.join("; ")}.`,
        {
          stage,
          reasons: missing,
        },
      );
    }
    // Earlier stages' pages stay acknowledgeable, but their remaining notifications stop.
    const earlier = await tx
      .updateTable("pages")
      .set({ status: "superseded" })
      .where("escalation_id", "=", escalation.id)
      .where("stage", "<", stage)
      .where("status", "=", "triggered")
      .returning("id")
      .execute();
    await cancelOpenNotifications(
      tx,
      earlier.map((p) => p.id),
      at,
    );
    const nextAt = new Date(now.getTime() + current.waitMs).toISOString();
    await tx
      .updateTable("escalations")
      .set({ stage, next_at: nextAt, version: escalation.version + 1, updated_at: at })
      .where("id", "=", escalation.id)
      .execute();

    const rules = await rulesOf(
      tx,
      users.map((u) => u.id),
    );
    const pages: PagesTable[] = [];
    const notifications: PageNotificationsTable[] = [];
    const jobs: NewJob[] = [];
    for (const user of users) {
      const page: PagesTable = {
        id: newId(),
        escalation_id: escalation.id,
        incident_id: escalation.incident_id,
        user_id: user.id,
        stage,
        status: "triggered",
        created_at: at,
        acknowledged_at: null,
        acknowledged_via: null,
      };
      pages.push(page);
      // Without rules of their own, people are emailed at their account's address at once.
      const theirs = rules.get(user.id) ?? [
        { contactMethodId: null, kind: "email", address: user.email, delayMinutes: 0 },
      ];
      for (const rule of theirs) {
        const id = newId();
        const jobId = newId();
        const dueAt = new Date(now.getTime() + rule.delayMinutes * 60_000).toISOString();
        notifications.push({
          id,
          page_id: page.id,
          contact_method_id: rule.contactMethodId,
          kind: rule.kind,
          state: "queued",
          attempts: 0,
          job_id: jobId,
          last_error: null,
          provider_message_id: null,
          due_at: dueAt,
          sent_at: null,
          created_at: at,
          address: rule.address,
        });
        jobs.push({
          id: jobId,
          kind: NOTIFY_JOB,
          payload: { notificationId: id },
          runAt: dueAt,
          uniqueKey: notificationKey(id),
        });
      }
      const how = theirs
        .map(
          (r) =>
            `${r.kind.replace("_", " ")} ${r.delayMinutes === 0 ? "now" : `after ${durationInWords(r.delayMinutes * 60_000)}`}`,
        )
        .join(", ");
      entry("paged", `Paged ${user.name} as the ${current.label} of ${role}: ${how}.`, {
        stage,
        pageId: page.id,
        userId: user.id,
      });
    }
    await tx.insertInto("pages").values(pages).execute();
    if (notifications.length > 0) await tx.insertInto("page_notifications").values(notifications).execute();
    jobs.push({
      kind: ESCALATE_JOB,
      payload: { escalationId: escalation.id, stage },
      runAt: nextAt,
      uniqueKey: timerKey(escalation.id, stage),
    });
    await enqueue(tx, jobs, at);
    await insertEntries(tx, entries);
    return users.length;
  }

  await tx
    .updateTable("escalations")
    .set({
      stage: stages.length,
      status: "exhausted",
      next_at: null,
      version: escalation.version + 1,
      updated_at: at,
    })
    .where("id", "=", escalation.id)
    .execute();
  const anyone = await tx
    .selectFrom("pages")
    .select("id")
    .where("escalation_id", "=", escalation.id)
    .executeTakeFirst();
  if (anyone) {
    entry(
      "escalation_exhausted",
      `Nobody acknowledged the page for ${role}, and the escalation has no stage left. A page can still be acknowledged.`,
      {},
    );
  } else {
    // Nobody was ever paged: one entry that says why, rather than one per stage.
    entries.length = 0;
    entry(
      "escalation_exhausted",
      `Nobody could be paged for ${role}${skipped.length > 0 ? ` (${skipped.join("; ")})` : ""}.`,
      { reasons: skipped },
    );
  }
  await insertEntries(tx, entries);
  return 0;
}

interface Target {
  id: string;
  email: string;
  name: string;
}

/** The people a stage pages, and why the others cannot be. Schedules are asked who is on call now. */
async function resolveTargets(
  tx: Db,
  plan: Plan,
  contacts: readonly Contact[],
  now: Date,
): Promise<{ users: Target[]; missing: string[] }> {
  const resolve = await contactResolver(tx, plan, contacts, now);
  const wanted: Array<{ email: string; schedule?: string | undefined }> = [];
  const missing: string[] = [];
  for (const contact of contacts) {
    const answer = resolve(contact);
    if (answer.email === null) missing.push(answer.reason);
    else wanted.push(answer);
  }
  const accounts = await activeUsersByEmail(
    tx,
    wanted.map((w) => w.email),
  );
  const users = new Map<string, Target>();
  for (const { email, schedule } of wanted) {
    const user = accounts.get(email);
    if (user) users.set(user.id, user);
    else missing.push(`${email}${schedule ? `, on call on ${schedule},` : ""} has no active account here`);
  }
  return { users: [...users.values()], missing };
}

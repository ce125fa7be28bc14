import type { z } from "zod";
import type { UserSummary } from "../auth/model.ts";
import { toSummary } from "../auth/users.ts";
import type { Ctx } from "../context.ts";
import { contactResolver, startPaging } from "../oncall/paging/index.ts";
import type { Contact, Plan } from "../plan/schema.ts";
import { findSimilar } from "../review/similar/find.ts";
import { type FieldIssue, invalid } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { nextCounter } from "../store/counters.ts";
import { insertAll } from "../store/insert-all.ts";
import type { Db } from "../store/open.ts";
import type { ChecklistItemsTable, IncidentRolesTable, IncidentsTable } from "../store/schema.ts";
import { writeJson } from "../store/values.ts";
import { announce } from "./announce.ts";
import type { DeclareInput, Incident } from "./model.ts";
import { assembleIncident, entryRows } from "./repository.ts";

/** How far in the future a clock may be and still be believed for impactStartedAt. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Declares an incident against the plan: at least one of the plan's criteria
 * must hold, every plan role is filled from its main contact (or its backup
 * when the main contact has no account), each role's responsibilities become
 * its checklist, and the declaration opens the timeline. One transaction.
 */
export interface DeclareOptions {
  /** The plan criterion whose alerts declare it (alert promotion): later matching alerts attach to it. */
  alertCriterion?: string;
  /** More work in the declaration's transaction (linking the alerts that declared it, paging). */
  inTransaction?: (tx: Db, incident: Incident) => Promise<void>;
}

export async function declareIncident(
  ctx: Ctx,
  input: z.output<typeof DeclareInput>,
  options: DeclareOptions = {},
): Promise<Incident> {
  const { plan, version: planVersion } = ctx.plans.current();
  const now = ctx.clock.now();
  checkAgainstPlan(plan, input, now);

  const at = now.toISOString();
  const declarer = ctx.actor.kind === "user" ? ctx.actor.user : null;
  const holders = await resolveRoleHolders(ctx.store.db, plan, now);
  const severity = plan.severities.find((s) => s.id === input.severity)!;
  const incidentId = newId();
  const roles = roleRows(plan, incidentId, holders, at);
  const assignments = roles.flatMap((r) =>
    r.holder_id
      ? [
          {
            id: newId(),
            incident_id: incidentId,
            role_id: r.role_id,
            user_id: r.holder_id,
            started_at: at,
            ended_at: null,
            assigned_by: declarer?.id ?? null,
          },
        ]
      : [],
  );
  const checklist = checklistRows(plan, incidentId);
  const components = (input.components ?? []).map((c) => ({
    incident_id: incidentId,
    component_id: c.id,
    impact: c.impact,
  }));
  const criteriaText = input.criteria
    .map((id) => plan.definition.criteria.find((c) => c.id === id)?.text.replace(/\.$/, "") ?? id)
    .join("; ");

  let paged = 0;
  const incident = await ctx.store.transaction(async (tx) => {
    const number = await nextCounter(tx, "incident");
    const reference = `INC-${number}`;
    const row: IncidentsTable = {
      id: incidentId,
      number,
      reference,
      title: input.title,
      summary: input.summary ?? null,
      severity: input.severity,
      status: "investigating",
      detected_by: input.detectedBy ?? "employee",
      criteria: writeJson(input.criteria),
      impact_started_at: input.impactStartedAt ? new Date(input.impactStartedAt).toISOString() : at,
      declared_at: at,
      identified_at: null,
      monitoring_at: null,
      resolved_at: null,
      private: input.private ?? false,
      drill: input.drill ?? false,
      declared_by: declarer?.id ?? null,
      plan_version: planVersion,
      version: 1,
      updated_at: at,
      alert_criterion: options.alertCriterion ?? null,
      closed_at: null,
      closed_by: null,
      repeat_of: null,
    };
    const entries = entryRows([
      {
        incidentId,
        kind: "declared",
        body: `Declared ${reference} at ${severity.name}${input.drill ? " (drill)" : ""}: ${input.title}. Criteria met: ${criteriaText}.`,
        authorId: declarer?.id ?? null,
        at,
        data: { severity: input.severity, criteria: input.criteria, planVersion },
      },
      ...plan.roles.map((role) => {
        const holder = holders.get(role.id) ?? null;
        return {
          incidentId,
          kind: "role_assigned",
          body: holder
            ? `${role.name} filled from the plan's ${holder.via} contact, ${holder.user.name}.`
            : `${role.name} is unfilled: neither its main nor its backup contact has an account here.`,
          authorId: null,
          at,
          data: { roleId: role.id, from: null, to: holder?.user.id ?? null, via: holder?.via ?? null },
        };
      }),
    ]);
    await insertAll(tx, [
      { table: "incidents", rows: [row] },
      { table: "incident_components", rows: components },
      { table: "incident_roles", rows: roles },
      { table: "role_assignments", rows: assignments },
      { table: "checklist_items", rows: checklist },
      { table: "timeline_entries", rows: entries },
    ]);
    const users = new Map([...holders.values()].flatMap((h) => (h ? [[h.user.id, h.user] as const] : [])));
    if (declarer) users.set(declarer.id, { id: declarer.id, email: declarer.email, name: declarer.name });
    const declared = assembleIncident(
      { row, components, roles, checklist, finalFix: undefined, users },
      plan,
    );
    paged = await startPaging(ctx, tx, { id: incidentId, severity: input.severity });
    await options.inTransaction?.(tx, declared);
    // After the alerts are linked, so their keys count; in this transaction, so no declaration goes without.
    const { repeatOf } = await findSimilar(tx, {
      id: incidentId,
      reference,
      title: input.title,
      components: components.map((c) => c.component_id),
      drill: input.drill ?? false,
      fromAlerts: options.alertCriterion !== undefined,
      at,
    });
    return repeatOf
      ? { ...declared, repeatOf: { id: repeatOf.id, reference: repeatOf.reference } }
      : declared;
  });
  announce(ctx, incident, "declared");
  if (paged > 0) ctx.comms.poke();
  return incident;
}

function checkAgainstPlan(plan: Plan, input: z.output<typeof DeclareInput>, now: Date): void {
  const issues: FieldIssue[] = [];
  const criteriaIds = plan.definition.criteria.map((c) => c.id);
  if (input.criteria.length === 0) {
    issues.push({
      path: "criteria",
      message: "at least one of the plan's criteria must hold for an event to be an incident",
      hint: `tick one or more of: ${criteriaIds.join(", ")}; if none holds, log it as an event instead`,
    });
  }
  input.criteria.forEach((id, i) => {
    if (!criteriaIds.includes(id)) {
      issues.push({
        path: `criteria.${i}`,
        message: `"${id}" is not a criterion of the plan`,
        hint: `use one of: ${criteriaIds.join(", ")}`,
      });
    }
  });
  if (new Set(input.criteria).size !== input.criteria.length) {
    issues.push({
      path: "criteria",
      message: "a criterion is listed twice",
      hint: "list each criterion once",
    });
  }
  issues.push(...severityIssues(plan, input.severity));
  issues.push(...componentIssues(plan, input.components ?? []));
  if (input.impactStartedAt && Date.parse(input.impactStartedAt) > now.getTime() + CLOCK_SKEW_MS) {
    issues.push({
      path: "impactStartedAt",
      message: "the impact cannot start in the future",
      hint: "give the time the impact started, or leave it out to use now",
    });
  }
  if (issues.length > 0) throw invalid("The incident cannot be declared as given.", issues);
}

export function severityIssues(plan: Plan, severity: string, path = "severity"): FieldIssue[] {
  if (plan.severities.some((s) => s.id === severity)) return [];
  return [
    {
      path,
      message: `"${severity}" is not a severity of the plan`,
      hint: `use one of: ${plan.severities.map((s) => s.id).join(", ")}`,
    },
  ];
}

export function componentIssues(
  plan: Plan,
  components: Array<{ id: string }>,
  path = "components",
): FieldIssue[] {
  const known = new Set(plan.components.map((c) => c.id));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  components.forEach((c, i) => {
    if (!known.has(c.id)) {
      issues.push({
        path: `${path}.${i}.id`,
        message: `"${c.id}" is not a component of the plan`,
        hint: known.size ? `use one of: ${[...known].join(", ")}` : "add components to the plan first",
      });
    }
    if (seen.has(c.id)) {
      issues.push({
        path: `${path}.${i}.id`,
        message: `"${c.id}" is listed twice`,
        hint: "list each component once",
      });
    }
    seen.add(c.id);
  });
  return issues;
}

type Holders = Map<string, { user: UserSummary; via: "primary" | "backup" } | null>;

/**
 * Maps each plan role to the account of its main contact, else its backup,
 * else nobody. A schedule contact means whoever is on call on it now.
 */
async function resolveRoleHolders(db: Db, plan: Plan, now: Date): Promise<Holders> {
  const contacts = plan.roles.flatMap((r) => [r.primary, r.backup]);
  const resolve = await contactResolver(db, plan, contacts, now);
  const emailOf = (contact: Contact | undefined) =>
    contact === undefined ? undefined : (resolve(contact).email ?? undefined);
  const emails = plan.roles
    .flatMap((r) => [emailOf(r.primary), emailOf(r.backup)])
    .filter((c): c is string => typeof c === "string");
  const users = emails.length
    ? await db
        .selectFrom("users")
        .select(["id", "email", "name", "role"])
        .where("email", "in", [...new Set(emails.map((e) => e.toLowerCase()))])
        .where("disabled_at", "is", null)
        .execute()
    : [];
  // Viewers cannot act, so they cannot hold a role.
  const byEmail = new Map(users.filter((u) => u.role !== "viewer").map((u) => [u.email, toSummary(u)]));
  const holders: Holders = new Map();
  for (const role of plan.roles) {
    const primaryEmail = emailOf(role.primary);
    const backupEmail = emailOf(role.backup);
    const primary = primaryEmail ? byEmail.get(primaryEmail.toLowerCase()) : undefined;
    const backup = backupEmail ? byEmail.get(backupEmail.toLowerCase()) : undefined;
    holders.set(
      role.id,
      primary ? { user: primary, via: "primary" } : backup ? { user: backup, via: "backup" } : null,
    );
  }
  return holders;
}

function roleRows(plan: Plan, incidentId: string, holders: Holders, at: string): IncidentRolesTable[] {
  return plan.roles.map((role, index) => {
    const holder = holders.get(role.id) ?? null;
    return {
      incident_id: incidentId,
      role_id: role.id,
      name: role.name,
      lead: role.lead,
      position: index,
      holder_id: holder?.user.id ?? null,
      assigned_at: holder ? at : null,
    };
  });
}

/** Each role's responsibilities become that role's checklist on the incident. */
function checklistRows(plan: Plan, incidentId: string): ChecklistItemsTable[] {
  const items = plan.roles.flatMap((role) =>
    role.responsibilities.map((text) => ({ roleId: role.id, text })),
  );
  return items.map((item, position) => ({
    id: newId(),
    incident_id: incidentId,
    role_id: item.roleId,
    position,
    text: item.text,
    done: false,
    done_by: null,
    done_at: null,
  }));
}

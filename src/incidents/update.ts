import type { z } from "zod";
import { actorUserId } from "../auth/model.ts";
import type { Ctx } from "../context.ts";
import { invalid } from "../shared/errors.ts";
import { syncStatusPage } from "../statuspage/sync.ts";
import type { IncidentsTable } from "../store/schema.ts";
import { readBool } from "../store/values.ts";
import { bumpVersion, checkExpectedVersion, visibleIncidentRow } from "./access.ts";
import { announce } from "./announce.ts";
import { componentIssues, severityIssues } from "./declare.ts";
import type { Incident, UpdateIncidentInput } from "./model.ts";
import { findIncidentRow, insertEntries, loadIncident } from "./repository.ts";

/** Changes title, summary, severity, components, private or drill; each change is a timeline entry. */
export async function updateIncident(
  ctx: Ctx,
  idOrReference: string,
  input: z.output<typeof UpdateIncidentInput>,
  expectedVersion?: number,
): Promise<Incident> {
  const { plan } = ctx.plans.current();
  const issues = [
    ...(input.severity !== undefined ? severityIssues(plan, input.severity) : []),
    ...(input.components ? componentIssues(plan, input.components) : []),
  ];
  if (issues.length) throw invalid("The incident cannot be changed as given.", issues);

  const now = ctx.clock.now().toISOString();
  const authorId = actorUserId(ctx.actor);
  const id = await ctx.store.transaction(async (tx) => {
    const row = await visibleIncidentRow(ctx, tx, idOrReference);
    checkExpectedVersion(row, expectedVersion);
    const changes: Partial<IncidentsTable> = {};
    const entries: Array<{ kind: string; body: string; data: Record<string, unknown> }> = [];

    if (input.title !== undefined && input.title !== row.title) {
      changes.title = input.title;
      entries.push({
        kind: "title_changed",
        body: `Title changed to "${input.title}".`,
        data: { from: row.title, to: input.title },
      });
    }
    if (input.summary !== undefined && input.summary !== row.summary) {
      changes.summary = input.summary;
      entries.push({
        kind: "summary_changed",
        body: "Summary updated.",
        data: { from: row.summary, to: input.summary },
      });
    }
    if (input.severity !== undefined && input.severity !== row.severity) {
      const name = (id: string) => plan.severities.find((s) => s.id === id)?.name ?? id;
      changes.severity = input.severity;
      entries.push({
        kind: "severity_changed",
        body: `Severity changed from ${name(row.severity)} to ${name(input.severity)}.`,
        data: { from: row.severity, to: input.severity },
      });
    }
    for (const flag of ["private", "drill"] as const) {
      const next = input[flag];
      if (next !== undefined && next !== readBool(row[flag])) {
        changes[flag] = next;
        entries.push({
          kind: `${flag}_changed`,
          body: next
            ? `Marked as ${flag === "private" ? "private" : "a drill"}.`
            : `No longer ${flag === "private" ? "private" : "a drill"}.`,
          data: { from: !next, to: next },
        });
      }
    }
    if (input.components) {
      const before = await tx
        .selectFrom("incident_components")
        .select(["component_id", "impact"])
        .where("incident_id", "=", row.id)
        .execute();
      const key = (list: Array<{ id: string; impact: string }>) =>
        list
          .map((c) => `${c.id}=${c.impact}`)
          .sort()
          .join(",");
      const previous = before.map((c) => ({ id: c.component_id, impact: c.impact }));
      if (key(previous) !== key(input.components)) {
        await tx.deleteFrom("incident_components").where("incident_id", "=", row.id).execute();
        if (input.components.length) {
          await tx
            .insertInto("incident_components")
            .values(
              input.components.map((c) => ({ incident_id: row.id, component_id: c.id, impact: c.impact })),
            )
            .execute();
        }
        const names = new Map(plan.components.map((c) => [c.id, c.name]));
        const words = input.components.map(
          (c) => `${names.get(c.id) ?? c.id} (${c.impact.replaceAll("_", " ")})`,
        );
        entries.push({
          kind: "components_changed",
          body: words.length
            ? `Affected components: ${words.join(", ")}.`
            : "No components affected any more.",
          data: { from: previous, to: input.components },
        });
      }
    }

    if (entries.length === 0) return row.id;
    await bumpVersion(tx, row, now, changes);
    await insertEntries(
      tx,
      entries.map((entry) => ({ incidentId: row.id, authorId, at: now, ...entry })),
    );
    await syncStatusPage(ctx, tx, now);
    return row.id;
  });
  const incident = await loadIncident(ctx.store.db, await findIncidentRow(ctx.store.db, id), plan);
  announce(ctx, incident, "changed");
  return incident;
}

import type { ActionItemFacts, IncidentFacts } from "./model.ts";

let sequence = 0;

/** A resolved-nothing, paged-nothing SEV3 incident declared at `declaredAt`; override what the test is about. */
export function buildIncident(overrides: Partial<IncidentFacts> & { declaredAt: string }): IncidentFacts {
  sequence++;
  return {
    id: `inc-${sequence}`,
    severity: "SEV3",
    drill: false,
    components: [],
    team: null,
    detectedBy: "employee",
    impactStartedAt: overrides.declaredAt,
    firstPageAt: null,
    firstAckAt: null,
    externalUpdates: [],
    monitoringAt: null,
    resolvedAt: null,
    review: null,
    postmortemPublishedAt: null,
    repeatOf: null,
    ...overrides,
  };
}

export function buildAction(
  incident: Pick<IncidentFacts, "id">,
  overrides: Partial<ActionItemFacts> = {},
): ActionItemFacts {
  sequence++;
  return {
    id: `act-${sequence}`,
    incidentId: incident.id,
    owner: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    dueAt: null,
    closedAt: null,
    ...overrides,
  };
}

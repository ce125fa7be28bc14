import { Link } from "react-router";
import { type Plan, severityInfo } from "../../api/plan";
import type { Incident } from "../../api/types";
import { SeverityBadge, StatusBadge, Tag } from "../../components/badges";
import { Duration, Time } from "../../components/time";

export function leadOf(incident: Incident) {
  return incident.roles.find((role) => role.lead);
}

export function IncidentRow({
  incident,
  plan,
  now,
}: {
  incident: Incident;
  plan: Plan | undefined;
  now: Date;
}) {
  const severity = severityInfo(plan, incident.severity);
  const lead = leadOf(incident);
  return (
    <li className="incident-row" data-level={severity.level}>
      <span className="incident-ref">{incident.reference}</span>
      <span className="incident-title">
        <Link to={`/incidents/${incident.reference}`}>{incident.title}</Link>
      </span>
      <span className="badges">
        <SeverityBadge severity={severity} />
        <StatusBadge status={incident.status} />
        {incident.private ? <Tag>Private</Tag> : null}
        {incident.drill ? <Tag>Drill</Tag> : null}
      </span>
      <span className="incident-meta">
        <span>
          {incident.resolvedAt ? "Lasted " : "For "}
          <Duration from={incident.impactStartedAt} to={incident.resolvedAt} now={now} />
        </span>
        <span>
          Declared <Time iso={incident.declaredAt} now={now} />
        </span>
        <span>
          {lead ? `${lead.name.replace(/\s*\(.*\)$/, "")}: ` : "Lead: "}
          {lead?.holder?.name ?? "nobody"}
        </span>
      </span>
    </li>
  );
}

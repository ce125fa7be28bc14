import { Link } from "react-router";
import { type Plan, severityInfo } from "../../api/plan";
import type { Incident } from "../../api/types";
import { SeverityBadge, StatusBadge, Tag } from "../../components/badges";
import { Duration, Time } from "../../components/time";
import { useNow } from "../../lib/use-now";
import { IMPACT_LABELS } from "../declare/components-field";

export function RoomHeader({ incident, plan }: { incident: Incident; plan: Plan | undefined }) {
  const now = useNow(15_000);
  const severity = severityInfo(plan, incident.severity);
  const resolved = incident.resolvedAt;
  return (
    <header className="room-header" data-level={severity.level}>
      <p className="incident-ref">{incident.reference}</p>
      <h1>{incident.title}</h1>
      <div className="badges">
        <SeverityBadge severity={severity} />
        <StatusBadge status={incident.status} />
        {incident.private ? <Tag>Private</Tag> : null}
        {incident.drill ? <Tag>Drill: customers are not told</Tag> : null}
        {incident.closedAt ? <Tag>Closed</Tag> : null}
      </div>
      {resolved || incident.review ? (
        <p className="no-print">
          <Link to={`/incidents/${incident.reference}/review`}>
            {incident.review ? "Post-incident review" : "After the incident: review"}
            {incident.review?.status === "scheduled" ? ", scheduled" : ""}
            {incident.review?.status === "held" ? ", held" : ""}
          </Link>
        </p>
      ) : null}
      <dl className="room-facts">
        <div>
          <dt>{resolved ? "Impact lasted" : "Impact started"}</dt>
          <dd>
            <Duration from={incident.impactStartedAt} to={resolved} now={now} />
            {resolved ? null : " ago"}{" "}
            <span className="muted">
              (<Time iso={incident.impactStartedAt} now={now} />)
            </span>
          </dd>
        </div>
        <div>
          <dt>Declared</dt>
          <dd>
            <Duration from={incident.declaredAt} now={now} /> ago{" "}
            <span className="muted">
              (<Time iso={incident.declaredAt} now={now} />
              {incident.declaredBy ? ` by ${incident.declaredBy.name}` : ""})
            </span>
          </dd>
        </div>
        {resolved ? (
          <div>
            <dt>Resolved</dt>
            <dd>
              <Time iso={resolved} now={now} />
            </dd>
          </div>
        ) : null}
        {incident.components.length > 0 ? (
          <div>
            <dt>Affected</dt>
            <dd>
              {incident.components
                .map((c) => `${c.name} (${IMPACT_LABELS[c.impact].toLowerCase()})`)
                .join(", ")}
            </dd>
          </div>
        ) : null}
      </dl>
      {incident.summary ? <p className="entry-body">{incident.summary}</p> : null}
    </header>
  );
}

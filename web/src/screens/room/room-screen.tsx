import { useState } from "react";
import { useParams } from "react-router";
import { planOf } from "../../api/plan";
import { isApiError } from "../../api/problem";
import { useIncident, usePlanDocument, useTimeline } from "../../api/queries";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { EditDetailsPanel } from "./edit-details-panel";
import { resolveReadiness } from "./resolve-rule";
import { RoleList } from "./role-list";
import { RoomHeader } from "./room-header";
import { SimilarPanel } from "./similar-panel";
import { StatusPanel } from "./status-panel";
import { TimelinePanel } from "./timeline-panel";
import { UpdatePanel } from "./update-panel";

/** Everything about one incident, on one page, kept live. */
export function RoomScreen() {
  const { ref = "" } = useParams();
  const user = useSession();
  const incident = useIncident(ref);
  const timeline = useTimeline(ref);
  const planDoc = usePlanDocument();
  const [editing, setEditing] = useState(false);
  useTitle(incident.data ? `${incident.data.reference} ${incident.data.title}` : ref);

  if (incident.isPending) return <Loading what={ref} />;
  if (incident.error) {
    const missing = isApiError(incident.error) && incident.error.status === 404;
    return (
      <>
        <h1>{ref}</h1>
        {missing ? (
          <p className="notice">
            There is no incident {ref}, or it is private and you are not one of its participants.
          </p>
        ) : (
          <ErrorAlert error={incident.error} onRetry={() => void incident.refetch()} />
        )}
      </>
    );
  }
  const data = incident.data;
  const plan = planDoc.data ? planOf(planDoc.data) : undefined;
  const entries = timeline.data?.items ?? [];
  const readiness = resolveReadiness(data, entries, user);

  return (
    <>
      <RoomHeader incident={data} plan={plan} />
      {canRespond(user) && plan ? (
        editing ? (
          <EditDetailsPanel incident={data} plan={plan} onDone={() => setEditing(false)} />
        ) : (
          <p className="no-print">
            <button type="button" className="button button-small" onClick={() => setEditing(true)}>
              Change title, severity, summary or components…
            </button>
          </p>
        )
      ) : null}
      <div className="room-grid">
        <div>
          <StatusPanel incident={data} readiness={readiness} />
          <TimelinePanel incident={data} timeline={timeline} readiness={readiness} />
        </div>
        <div>
          <RoleList incident={data} />
          <UpdatePanel incident={data} />
          <SimilarPanel incident={data} />
        </div>
      </div>
    </>
  );
}

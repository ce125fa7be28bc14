import { Link, NavLink, useParams } from "react-router";
import { planOf, severityInfo } from "../../api/plan";
import { isApiError } from "../../api/problem";
import { useIncident, usePlanDocument } from "../../api/queries";
import { SeverityBadge, StatusBadge, Tag } from "../../components/badges";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { NotFoundScreen } from "../not-found-screen";
import { ActionItemsTab } from "./action-items-tab";
import type { AfterTab } from "./after-tab";
import { PostmortemTab } from "./postmortem-tab";
import { ReviewTab } from "./review-tab";
import "./after.css";

/**
 * After the incident, one tab each: the review meeting and the public-postmortem
 * decision (and closing), the postmortem, the action items. A tab is one entry
 * here and one file beside this one.
 */
const TABS: readonly AfterTab[] = [
  { path: "review", label: "Review", Component: ReviewTab },
  { path: "postmortem", label: "Postmortem", Component: PostmortemTab },
  { path: "action-items", label: "Action items", Component: ActionItemsTab },
];

export default function AfterScreen() {
  const { ref = "", tab: tabPath = "" } = useParams();
  const incident = useIncident(ref);
  const planDoc = usePlanDocument();
  const tab = TABS.find((t) => t.path === tabPath);
  useTitle(
    incident.data ? `${tab?.label ?? "After"}: ${incident.data.reference} ${incident.data.title}` : ref,
  );

  if (!tab) return <NotFoundScreen />;
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
  const severity = severityInfo(plan, data.severity);
  const Tab = tab.Component;

  return (
    <>
      <header className="after-header room-header" data-level={severity.level}>
        <p className="incident-ref">
          <Link to={`/incidents/${data.reference}`}>{data.reference}</Link>
          <span aria-hidden="true"> · </span>After the incident
        </p>
        <h1>{data.title}</h1>
        <div className="badges">
          <SeverityBadge severity={severity} />
          <StatusBadge status={data.status} />
          {data.closedAt ? <Tag>Closed</Tag> : null}
          {data.drill ? <Tag>Drill</Tag> : null}
        </div>
      </header>
      <nav aria-label="After the incident">
        <ul className="tabs">
          {TABS.map((t) => (
            <li key={t.path}>
              <NavLink to={`/incidents/${ref}/${t.path}`}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Tab incident={data} plan={plan} />
    </>
  );
}

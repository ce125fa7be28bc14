import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { planOf } from "../../api/plan";
import { usePlanDocument } from "../../api/queries";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useNow } from "../../lib/use-now";
import { useTitle } from "../../lib/use-title";
import { AlertCard } from "./alert-card";
import { type AlertListStatus, useAlerts, useIntegrations } from "./queries";

/** Open or resolved alerts, newest first, for one integration or all; responders act on them. */
export function AlertList() {
  const [params, setParams] = useSearchParams();
  const urlStatus: AlertListStatus = params.get("status") === "resolved" ? "resolved" : "open";
  const urlIntegration = params.get("integration") ?? "";
  // The controls answer at once; the address follows (a router update is a transition, not immediate).
  const [shown, setShown] = useState({ status: urlStatus, integration: urlIntegration });
  const { status, integration } = shown;
  useEffect(() => {
    setShown((current) =>
      current.status === urlStatus && current.integration === urlIntegration
        ? current
        : { status: urlStatus, integration: urlIntegration },
    );
  }, [urlStatus, urlIntegration]);
  useTitle(status === "open" ? "Open alerts" : "Resolved alerts");
  const alerts = useAlerts({ status, ...(integration ? { integration } : {}) });
  const integrations = useIntegrations();
  const planDoc = usePlanDocument();
  const plan = planDoc.data ? planOf(planDoc.data) : undefined;
  const now = useNow();
  const id = useId();
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  const nameOf = (integrationId: string) =>
    integrations.data?.items.find((i) => i.id === integrationId)?.name ?? "an integration";
  const setFilter = (name: "status" | "integration", value: string) => {
    setShown((current) => ({ ...current, [name]: value || (name === "status" ? "open" : "") }));
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <>
      <div className="page-header">
        <h1>Alerts</h1>
        <Link to="/alerts/integrations" className="button button-small">
          Set up an integration
        </Link>
      </div>
      <form className="alert-filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <fieldset className="segmented">
          <legend className="visually-hidden">Which alerts</legend>
          {(["open", "resolved"] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-status`}
                value={value}
                checked={status === value}
                onChange={() => setFilter("status", value === "open" ? "" : value)}
              />
              {value === "open" ? "Open" : "Resolved"}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-integration`}>Integration</label>
          <select
            id={`${id}-integration`}
            value={integration}
            onChange={(e) => setFilter("integration", e.target.value)}
          >
            <option value="">All integrations</option>
            {(integrations.data?.items ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
                {i.disabledAt ? " (disabled)" : ""}
              </option>
            ))}
          </select>
        </div>
      </form>
      <section aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="visually-hidden">
          {status === "open" ? "Open alerts" : "Resolved alerts"}
        </h2>
        {alerts.isPending ? <Loading what="the alerts" /> : null}
        <ErrorAlert error={alerts.error} onRetry={() => void alerts.refetch()} />
        {alerts.data && items.length === 0 ? (
          <Empty>
            {status === "open"
              ? "No open alerts. Alerts from monitoring arrive here through an integration."
              : "No resolved alerts."}
          </Empty>
        ) : null}
        <ul className="alert-cards">
          {items.map((alert) => (
            <li key={alert.id}>
              <AlertCard alert={alert} integrationName={nameOf(alert.integrationId)} plan={plan} now={now} />
            </li>
          ))}
        </ul>
        {alerts.hasNextPage ? (
          <button
            type="button"
            className="button"
            disabled={alerts.isFetchingNextPage}
            onClick={() => void alerts.fetchNextPage()}
          >
            {alerts.isFetchingNextPage ? "Loading…" : "Show older alerts"}
          </button>
        ) : null}
      </section>
    </>
  );
}

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import type { Plan } from "../../api/plan";
import type { Alert } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { Tag } from "../../components/badges";
import { ErrorAlert } from "../../components/error-alert";
import { Duration, Time } from "../../components/time";
import { refreshAlerts } from "./queries";

const STATUS_TEXT: Record<Alert["status"], string> = {
  triggered: "Triggered",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};
const SEVERITY_LEVEL: Record<Alert["severity"], number> = { critical: 1, error: 2, warning: 3, info: 4 };

type Action = "acknowledge" | "resolve" | "accept" | "dismiss";
const ACTION_TEXT: Record<Action, string> = {
  acknowledge: "acknowledge",
  resolve: "resolve",
  accept: "accept the proposed incident for",
  dismiss: "dismiss the proposed incident for",
};

/** One alert: what fired, where from, the incident it belongs to, and what a responder can do. */
export function AlertCard({
  alert,
  integrationName,
  plan,
  now,
}: {
  alert: Alert;
  integrationName: string;
  plan: Plan | undefined;
  now: Date;
}) {
  const user = useSession();
  const client = useQueryClient();
  const titleId = useId();
  const act = useMutation({
    mutationFn: async (action: Action) => {
      const request = { params: { path: { id: alert.id } } };
      const what = `Could not ${ACTION_TEXT[action]} “${alert.summary}”`;
      if (action === "accept")
        return (await call(what, api.POST("/api/v1/alerts/{id}/accept", request))).incident;
      if (action === "acknowledge") await call(what, api.POST("/api/v1/alerts/{id}/acknowledge", request));
      if (action === "resolve") await call(what, api.POST("/api/v1/alerts/{id}/resolve", request));
      if (action === "dismiss") await call(what, api.POST("/api/v1/alerts/{id}/dismiss", request));
      return null;
    },
    onSuccess: () => refreshAlerts(client),
  });
  const criterion = plan?.definition.criteria.find((c) => c.id === alert.criterionId);
  const pending = alert.proposal === "pending" && alert.status !== "resolved";
  const responder = canRespond(user);
  const busy = act.isPending;
  const named = <span className="visually-hidden"> “{alert.summary}”</span>;

  return (
    <article className="alert-card" data-status={alert.status} aria-labelledby={titleId}>
      <div className="alert-card-head">
        <h3 id={titleId}>{alert.summary}</h3>
        <span className="badges">
          <span className="badge badge-alert" data-status={alert.status}>
            <span className="visually-hidden">Status: </span>
            {STATUS_TEXT[alert.status]}
          </span>
          <span className={`badge badge-sev-${SEVERITY_LEVEL[alert.severity]}`}>
            <span className="visually-hidden">Severity: </span>
            {alert.severity}
          </span>
          {alert.silenced ? <Tag>Silenced by maintenance</Tag> : null}
        </span>
      </div>
      <dl className="alert-facts small">
        <div>
          <dt>Integration</dt>
          <dd>{integrationName}</dd>
        </div>
        {alert.source ? (
          <div>
            <dt>Source</dt>
            <dd>{alert.source}</dd>
          </div>
        ) : null}
        {alert.component ? (
          <div>
            <dt>Component</dt>
            <dd>{alert.component}</dd>
          </div>
        ) : null}
        <div>
          <dt>First seen</dt>
          <dd>
            <Time iso={alert.firstSeenAt} now={now} /> (<Duration from={alert.firstSeenAt} now={now} /> ago)
          </dd>
        </div>
        {alert.eventCount > 1 ? (
          <div>
            <dt>Events</dt>
            <dd>
              {alert.eventCount}, the last <Time iso={alert.lastSeenAt} now={now} />
            </dd>
          </div>
        ) : null}
        {alert.acknowledgedAt ? (
          <div>
            <dt>Acknowledged</dt>
            <dd>
              <Time iso={alert.acknowledgedAt} now={now} />
            </dd>
          </div>
        ) : null}
        {alert.resolvedAt ? (
          <div>
            <dt>Resolved</dt>
            <dd>
              <Time iso={alert.resolvedAt} now={now} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Incident</dt>
          <dd>
            {alert.incident ? (
              <Link to={`/incidents/${encodeURIComponent(alert.incident.reference)}`}>
                {alert.incident.reference} {alert.incident.title}
              </Link>
            ) : alert.incidentId ? (
              // The server names only incidents the viewer may see.
              "a private incident"
            ) : alert.proposal === "dismissed" ? (
              "proposed, dismissed"
            ) : pending ? (
              "proposed, waiting for a decision"
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            <code>{alert.dedupKey}</code>
          </dd>
        </div>
      </dl>
      {pending ? (
        <p className="notice notice-warn small">
          It meets the plan's criterion{criterion ? ` “${criterion.text}”` : ""}, which asks the on-call
          person to confirm an incident.
        </p>
      ) : null}
      <ErrorAlert error={act.error} />
      {act.data ? (
        <p className="notice notice-ok small" role="status">
          Declared{" "}
          <Link to={`/incidents/${encodeURIComponent(act.data.reference)}`}>
            {act.data.reference} {act.data.title}
          </Link>
          .
        </p>
      ) : null}
      {responder && (pending || alert.status !== "resolved") ? (
        <div className="button-row">
          {pending ? (
            <>
              <button
                type="button"
                className="button button-primary button-small"
                disabled={busy}
                onClick={() => act.mutate("accept")}
              >
                Accept: declare the incident{named}
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={busy}
                onClick={() => act.mutate("dismiss")}
              >
                Dismiss the proposal{named}
              </button>
            </>
          ) : null}
          {alert.status === "triggered" ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => act.mutate("acknowledge")}
            >
              Acknowledge{named}
            </button>
          ) : null}
          {alert.status !== "resolved" ? (
            <button
              type="button"
              className="button button-small"
              disabled={busy}
              onClick={() => act.mutate("resolve")}
            >
              Resolve{named}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

import { useState } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import { type Incident, STATUSES, type Status } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Time } from "../../components/time";
import { useChangeStatus, useConfirmFix } from "./actions";
import { type ResolveReadiness, shortRoleName, transitions } from "./resolve-rule";

const REACHED_AT: Record<Status, keyof Incident> = {
  investigating: "declaredAt",
  identified: "identifiedAt",
  monitoring: "monitoringAt",
  resolved: "resolvedAt",
};

export function StatusPanel({ incident, readiness }: { incident: Incident; readiness: ResolveReadiness }) {
  const user = useSession();
  const change = useChangeStatus(incident);
  const [reason, setReason] = useState("");
  const mayAct = canRespond(user);
  const problem = isApiError(change.error) ? change.error.problem : undefined;

  return (
    <section className="panel" aria-labelledby="status-title">
      <div className="panel-header">
        <h2 id="status-title">Status</h2>
      </div>
      <ol className="phases" aria-label="Phases">
        {STATUSES.map((status) => {
          const at = incident[REACHED_AT[status]];
          const reached = typeof at === "string" && at.length > 0;
          return (
            <li
              key={status}
              data-reached={reached}
              aria-current={incident.status === status ? "step" : undefined}
            >
              <span className="phase-name">{status}</span>
              {reached ? <Time iso={at} now={new Date()} /> : <span className="muted">not yet</span>}
            </li>
          );
        })}
      </ol>
      <ErrorAlert error={change.error} fields={["reason"]} focus />
      {mayAct ? (
        <>
          <div className="button-row">
            {transitions(incident.status).map((t) => (
              <button
                key={t.to}
                type="button"
                className="button button-small"
                disabled={change.isPending}
                onClick={() =>
                  change.mutate({ status: t.to, ...(reason.trim() ? { reason: reason.trim() } : {}) })
                }
              >
                {t.label}
              </button>
            ))}
          </div>
          {incident.status !== "resolved" ? (
            <ResolveBox
              incident={incident}
              readiness={readiness}
              reason={reason}
              setReason={setReason}
              reasonErrors={errorsFor(problem, "reason")}
              onResolve={(override) =>
                change.mutate({
                  status: "resolved",
                  ...(override ? { override: true } : {}),
                  ...(reason.trim() ? { reason: reason.trim() } : {}),
                })
              }
              pending={change.isPending}
            />
          ) : (
            <p className="notice notice-ok">Resolved. Reopen it above if the problem comes back.</p>
          )}
        </>
      ) : (
        <p className="small muted">You are a viewer: responders change the status.</p>
      )}
    </section>
  );
}

interface ResolveBoxProps {
  incident: Incident;
  readiness: ResolveReadiness;
  reason: string;
  setReason: (reason: string) => void;
  reasonErrors: string[];
  onResolve: (override: boolean) => void;
  pending: boolean;
}

function ResolveBox({
  incident,
  readiness,
  reason,
  setReason,
  reasonErrors,
  onResolve,
  pending,
}: ResolveBoxProps) {
  const confirm = useConfirmFix(incident);
  const [overriding, setOverriding] = useState(false);
  const leadName = shortRoleName(readiness.lead);
  const holder = readiness.lead?.holder;
  const who = holder
    ? `${leadName} (${readiness.isLead ? "you" : holder.name})`
    : `the ${leadName} (nobody holds it now)`;
  const ready = readiness.state === "ready";

  return (
    <section className="resolve-box" data-ready={ready} aria-labelledby="resolve-title">
      <h3 id="resolve-title">Resolve</h3>
      {ready ? (
        <p>
          The final fix is confirmed
          {readiness.fix?.confirmedBy ? ` by ${readiness.fix.confirmedBy.name}` : ""}: “{readiness.fix?.body}
          ”. Ready to resolve.
        </p>
      ) : null}
      {readiness.state === "awaiting-confirmation" ? (
        <>
          <p>
            <strong>Missing: confirmation.</strong> A fix is marked final (“{readiness.fix?.body}”), but only
            the {who} can confirm it.
          </p>
          {readiness.isLead && readiness.fix ? (
            <button
              type="button"
              className="button button-small"
              disabled={confirm.isPending}
              onClick={() => readiness.fix && confirm.mutate(readiness.fix.id)}
            >
              Confirm as the final fix
            </button>
          ) : null}
          <ErrorAlert error={confirm.error} />
        </>
      ) : null}
      {readiness.state === "no-final-fix" ? (
        <p>
          <strong>Missing: a final fix.</strong> Log a fix in the timeline and tick “This is the final fix”.{" "}
          {readiness.isLead
            ? `As the ${leadName}, yours counts at once.`
            : `The ${who} confirms it; their own final fix counts at once.`}
        </p>
      ) : null}

      {ready ? (
        <>
          <Field label="Note for the timeline (optional)" errors={reasonErrors}>
            {(control) => (
              <input {...control} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
            )}
          </Field>
          <button
            type="button"
            className="button button-primary"
            disabled={pending}
            onClick={() => onResolve(false)}
          >
            Resolve {incident.reference}
          </button>
        </>
      ) : readiness.canOverride ? (
        overriding ? (
          <>
            <Field
              label="Why resolve without a confirmed final fix?"
              hint="Required. It is recorded in the timeline as an override."
              errors={reasonErrors}
            >
              {(control) => (
                <textarea {...control} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
              )}
            </Field>
            <div className="button-row">
              <button
                type="button"
                className="button button-danger"
                disabled={pending}
                onClick={() => onResolve(true)}
              >
                Resolve with override
              </button>
              <button type="button" className="button button-quiet" onClick={() => setOverriding(false)}>
                Cancel
              </button>
            </div>
          </>
        ) : (
          <button type="button" className="button button-small" onClick={() => setOverriding(true)}>
            Resolve without a confirmed fix…
          </button>
        )
      ) : (
        <p className="small muted">
          Only the {leadName} or an admin can resolve without a confirmed final fix.
        </p>
      )}
    </section>
  );
}

import { type FormEvent, useState } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import type { Incident, User } from "../../api/types";
import { canRespond } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { formatLocal } from "../../lib/time";
import { type Review, useCloseIncident, useDecide } from "./review-queries";
import { userZone } from "./user-zone";

interface PanelProps {
  incident: Incident;
  review: Review;
  user: User;
}

/** "Decide if a public post-mortem is needed": the incident manager's (or an admin's) call, with a reason. */
export function DecisionPanel({ incident, review, user }: PanelProps) {
  const zone = userZone(user);
  const lead = review.incident.lead;
  const leadRole = incident.roles.find((r) => r.lead)?.name ?? "incident manager";
  const mayDecide = (lead?.id === user.id || user.role === "admin") && !incident.closedAt;
  const decision = review.decision;
  const [editing, setEditing] = useState(false);

  return (
    <section className="panel" aria-labelledby="decision-title">
      <h2 id="decision-title">Public postmortem</h2>
      {decision ? (
        <p className="notice notice-ok">
          <strong>{decision.publicPostmortem ? "Yes" : "No"}</strong>: {decision.reason}
          <span className="small muted">
            {" "}
            ({decision.decidedBy ? `${decision.decidedBy.name}, ` : ""}
            <time dateTime={decision.decidedAt}>{formatLocal(decision.decidedAt, zone)}</time>)
          </span>
        </p>
      ) : (
        <p>
          {review.decisionRequired
            ? `Not decided yet. ${incident.reference} cannot be closed until it is.`
            : "Not decided yet."}
        </p>
      )}
      {mayDecide ? (
        !decision || editing ? (
          <DecisionForm
            incident={incident}
            decision={decision}
            onDone={() => setEditing(false)}
            onCancel={decision ? () => setEditing(false) : undefined}
          />
        ) : (
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Change the decision…
          </button>
        )
      ) : incident.closedAt ? null : (
        <p className="small muted">
          Only the {leadRole}
          {lead ? ` (${lead.name})` : ""} or an admin records this decision.
        </p>
      )}
    </section>
  );
}

function DecisionForm({
  incident,
  decision,
  onDone,
  onCancel,
}: {
  incident: Incident;
  decision: Review["decision"];
  onDone: () => void;
  onCancel: (() => void) | undefined;
}) {
  const decide = useDecide(incident);
  const [choice, setChoice] = useState<"yes" | "no" | "">(
    decision ? (decision.publicPostmortem ? "yes" : "no") : "",
  );
  const [reason, setReason] = useState(decision?.reason ?? "");
  const [missing, setMissing] = useState<string[]>([]);
  const problem = isApiError(decide.error) ? decide.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lacking = [
      ...(choice ? [] : ["publicPostmortem"]),
      ...(reason.trim().length >= 3 ? [] : ["reason"]),
    ];
    setMissing(lacking);
    if (lacking.length || !choice) return;
    decide.mutate({ publicPostmortem: choice === "yes", reason: reason.trim() }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate>
      <ErrorAlert error={decide.error} fields={["publicPostmortem", "reason"]} focus />
      <fieldset className="review-choice">
        <legend>Is a public postmortem needed?</legend>
        <div className="segmented">
          <label>
            <input
              type="radio"
              name="public-postmortem"
              value="yes"
              checked={choice === "yes"}
              onChange={() => setChoice("yes")}
            />
            Yes
          </label>
          <label>
            <input
              type="radio"
              name="public-postmortem"
              value="no"
              checked={choice === "no"}
              onChange={() => setChoice("no")}
            />
            No
          </label>
        </div>
        {missing.includes("publicPostmortem") ? <p className="field-error">choose yes or no</p> : null}
      </fieldset>
      <Field
        label="Why"
        hint="For example: customers saw failed payments, so they deserve the whole story."
        errors={[
          ...(missing.includes("reason") ? ["say why, in a few words"] : []),
          ...errorsFor(problem, "reason"),
        ]}
      >
        {(control) => (
          <textarea {...control} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={decide.isPending}>
          Record the decision
        </button>
        {onCancel ? (
          <button type="button" className="button button-quiet button-small" onClick={onCancel}>
            Keep it
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** Closing: the record is done. The server says what is missing (the decision, or resolving first). */
export function ClosePanel({
  incident,
  review,
  user,
}: {
  incident: Incident;
  review: Review | null;
  user: User;
}) {
  const close = useCloseIncident(incident);
  const zone = userZone(user);
  return (
    <section className="panel" aria-labelledby="close-title">
      <h2 id="close-title">Close the incident</h2>
      {incident.closedAt ? (
        <p className="notice notice-ok">
          {incident.reference} was closed on{" "}
          <time dateTime={incident.closedAt}>{formatLocal(incident.closedAt, zone)}</time>. It cannot be
          reopened: if the trouble comes back, declare a new incident.
        </p>
      ) : (
        <>
          <p>
            {incident.status !== "resolved"
              ? `${incident.reference} is ${incident.status}: resolve it first.`
              : review?.decisionRequired && !review.decision
                ? "The public postmortem decision comes first."
                : "Closing marks the record as done; a closed incident cannot be reopened."}
          </p>
          <ErrorAlert error={close.error} focus />
          {canRespond(user) ? (
            <button
              type="button"
              className="button button-small"
              disabled={close.isPending}
              onClick={() => close.mutate()}
            >
              Close {incident.reference}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}

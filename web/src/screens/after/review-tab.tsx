import { type FormEvent, useState } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import type { Incident, User } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { formatLocal } from "../../lib/time";
import { isoToZonedInput, zonedInputToIso } from "../../lib/zoned-time";
import type { AfterTabProps } from "./after-tab";
import { ClosePanel, DecisionPanel } from "./review-decision";
import { type Review, useChangeReview, useOpenReview, useReview, useTickReview } from "./review-queries";
import { userZone } from "./user-zone";

const STATUS_TEXT: Record<Review["status"], string> = {
  scheduled: "Scheduled",
  held: "Held",
  cancelled: "Cancelled",
};

function dayOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeZone }).format(new Date(iso));
}

function timeOfDay(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone }).format(new Date(iso));
}

export function ReviewTab({ incident }: AfterTabProps) {
  const user = useSession();
  const review = useReview(incident.reference);
  if (review.isPending) return <Loading what="the review" />;
  if (review.error) return <ErrorAlert error={review.error} onRetry={() => void review.refetch()} />;
  return (
    <div className="after-grid">
      <div>
        {review.data ? (
          <>
            <MeetingPanel incident={incident} review={review.data} user={user} />
            <ChecklistPanel incident={incident} review={review.data} user={user} />
          </>
        ) : (
          <NoReview incident={incident} user={user} />
        )}
      </div>
      <div>
        {review.data ? <DecisionPanel incident={incident} review={review.data} user={user} /> : null}
        <ClosePanel incident={incident} review={review.data} user={user} />
      </div>
    </div>
  );
}

function NoReview({ incident, user }: { incident: Incident; user: User }) {
  const open = useOpenReview(incident);
  return (
    <section className="panel" aria-labelledby="review-title">
      <h2 id="review-title">Post-incident review</h2>
      <p>
        {incident.status === "resolved"
          ? `The plan does not ask for a review of ${incident.reference}'s severity.`
          : `${incident.reference} is not resolved yet: the plan opens a review when it is, for the severities that need one.`}{" "}
        You can open one anyway: a meeting is proposed by the plan's rules and everyone who took part is
        invited by email.
      </p>
      <ErrorAlert error={open.error} focus />
      {canRespond(user) ? (
        <button
          type="button"
          className="button button-primary"
          disabled={open.isPending}
          onClick={() => open.mutate()}
        >
          Open a review
        </button>
      ) : null}
    </section>
  );
}

interface PanelProps {
  incident: Incident;
  review: Review;
  user: User;
}

function MeetingPanel({ incident, review, user }: PanelProps) {
  const zone = userZone(user);
  const mayWrite = canRespond(user);
  const end = new Date(Date.parse(review.meetingAt) + review.meetingMinutes * 60_000).toISOString();
  const change = useChangeReview(incident, review, "Could not change the review");
  const [moving, setMoving] = useState(false);

  return (
    <section className="panel" aria-labelledby="review-title">
      <div className="panel-header">
        <h2 id="review-title">Post-incident review</h2>
        <span className="badge badge-plain" data-review-status={review.status}>
          {STATUS_TEXT[review.status]}
          {review.late ? ", late" : ""}
        </span>
      </div>
      <dl className="review-facts">
        <div>
          <dt>Due</dt>
          <dd>
            by the end of <time dateTime={review.dueAt}>{dayOf(review.dueAt, zone)}</time>
            {review.late ? <strong className="review-late"> (late)</strong> : null}
            {review.required ? "" : <span className="muted"> (opened by hand)</span>}
          </dd>
        </div>
        <div>
          <dt>Meeting</dt>
          <dd>
            <time dateTime={review.meetingAt}>{formatLocal(review.meetingAt, zone)}</time> to{" "}
            <time dateTime={end}>{timeOfDay(end, zone)}</time> <span className="muted">({zone})</span>
          </dd>
        </div>
        {review.meetingUrl ? (
          <div>
            <dt>Where</dt>
            <dd>
              <a href={review.meetingUrl} rel="noreferrer noopener" target="_blank">
                {review.meetingUrl}
              </a>
            </dd>
          </div>
        ) : null}
        {review.heldAt ? (
          <div>
            <dt>Held</dt>
            <dd>
              <time dateTime={review.heldAt}>{formatLocal(review.heldAt, zone)}</time>
            </dd>
          </div>
        ) : null}
      </dl>
      <h3 className="review-subtitle">Invited</h3>
      {review.attendees.length ? (
        <ul className="review-attendees">
          {review.attendees.map((a) => (
            <li key={a.id}>
              {a.name} <span className="muted">{a.email}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nobody: no one with an account took part.</p>
      )}
      <ErrorAlert error={change.error} focus />
      {mayWrite ? (
        <>
          {moving && review.status === "scheduled" ? (
            <MoveForm incident={incident} review={review} zone={zone} onDone={() => setMoving(false)} />
          ) : null}
          <div className="button-row">
            {review.status === "scheduled" ? (
              <>
                <button
                  type="button"
                  className="button button-primary button-small"
                  disabled={change.isPending}
                  onClick={() => change.mutate({ status: "held" })}
                >
                  Mark held
                </button>
                {moving ? null : (
                  <button type="button" className="button button-small" onClick={() => setMoving(true)}>
                    Move the meeting…
                  </button>
                )}
                <button
                  type="button"
                  className="button button-quiet button-small"
                  disabled={change.isPending}
                  onClick={() => change.mutate({ status: "cancelled" })}
                >
                  Cancel the review
                </button>
              </>
            ) : (
              <button
                type="button"
                className="button button-small"
                disabled={change.isPending}
                onClick={() => change.mutate({ status: "scheduled" })}
              >
                Schedule it again
              </button>
            )}
          </div>
        </>
      ) : null}
    </section>
  );
}

function MoveForm({
  incident,
  review,
  zone,
  onDone,
}: {
  incident: Incident;
  review: Review;
  zone: string;
  onDone: () => void;
}) {
  const move = useChangeReview(incident, review, "Could not move the meeting");
  const [value, setValue] = useState(() => isoToZonedInput(review.meetingAt, zone));
  const [wrong, setWrong] = useState(false);
  const problem = isApiError(move.error) ? move.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const meetingAt = zonedInputToIso(value, zone);
    if (!meetingAt) {
      setWrong(true);
      return;
    }
    move.mutate({ meetingAt }, { onSuccess: onDone });
  };
  return (
    <form className="review-move" onSubmit={submit} noValidate>
      <ErrorAlert error={move.error} fields={["meetingAt"]} focus />
      <Field
        label={`New time (${zone})`}
        hint="Everyone invited gets the new time in their calendar."
        errors={[...(wrong ? ["give a date and a time"] : []), ...errorsFor(problem, "meetingAt")]}
      >
        {(control) => (
          <input
            {...control}
            type="datetime-local"
            value={value}
            onChange={(e) => {
              setWrong(false);
              setValue(e.target.value);
            }}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={move.isPending}>
          Move meeting
        </button>
        <button type="button" className="button button-quiet button-small" onClick={onDone}>
          Keep the time
        </button>
      </div>
    </form>
  );
}

function ChecklistPanel({ incident, review, user }: PanelProps) {
  const mayWrite = canRespond(user);
  const tick = useTickReview(incident, review);
  const save = useChangeReview(incident, review, "Could not save the notes");
  const [notes, setNotes] = useState<string | null>(null);
  const text = notes ?? review.notes ?? "";
  const dirty = notes !== null && notes !== (review.notes ?? "");
  // The plan's checklist keeps its order: an item is its position (the API ticks by position too).
  const items = review.checklist.map((item, index) => ({ ...item, index }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ notes: text.trim() ? text : null }, { onSuccess: () => setNotes(null) });
  };

  return (
    <section className="panel" aria-labelledby="review-checklist-title">
      <h2 id="review-checklist-title">In the meeting</h2>
      <ErrorAlert error={tick.error} focus />
      <ul className="review-checklist">
        {items.map(({ index, ...item }) => (
          <li key={index}>
            <label className="choice">
              <input
                type="checkbox"
                checked={item.done}
                disabled={!mayWrite || tick.isPending}
                onChange={(e) => tick.mutate({ index, done: e.target.checked })}
              />
              <span>{item.text}</span>
            </label>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={save.error} fields={["notes"]} focus />
        <Field
          label="Notes"
          hint="Blameless: what happened and why, in terms of systems and decisions."
          errors={errorsFor(isApiError(save.error) ? save.error.problem : undefined, "notes")}
        >
          {(control) => (
            <textarea
              {...control}
              rows={6}
              value={text}
              readOnly={!mayWrite}
              onChange={(e) => setNotes(e.target.value)}
            />
          )}
        </Field>
        {mayWrite ? (
          <button type="submit" className="button button-small" disabled={!dirty || save.isPending}>
            {save.isPending ? "Saving…" : "Save notes"}
          </button>
        ) : null}
      </form>
    </section>
  );
}

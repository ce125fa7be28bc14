import { type Plan, planOf } from "../../api/plan";
import { usePlanDocument, useUpdates } from "../../api/queries";
import type { Incident, StatusUpdate } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { Time } from "../../components/time";
import { durationInWords } from "../../lib/time";
import { useNow } from "../../lib/use-now";
import { nextUpdateDue } from "./cadence";
import { Deliveries } from "./deliveries";
import { UpdateComposer } from "./update-composer";

/** Status updates: when the next one is due, the composer, and those posted with where they went. */
export function UpdatePanel({ incident }: { incident: Incident }) {
  const user = useSession();
  const updates = useUpdates(incident.reference);
  const planDoc = usePlanDocument();
  const plan = planDoc.data ? planOf(planDoc.data) : undefined;
  const now = useNow(15_000);
  const items = [...(updates.data?.items ?? [])].reverse();
  return (
    <section className="panel" aria-labelledby="updates-title">
      <div className="panel-header">
        <h2 id="updates-title">Status updates</h2>
      </div>
      {plan ? (
        <NextUpdate incident={incident} updates={updates.data?.items ?? []} plan={plan} now={now} />
      ) : null}
      {canRespond(user) ? <UpdateComposer incident={incident} /> : null}
      <h3 className="small">Posted</h3>
      {updates.isPending ? <Loading what="status updates" /> : null}
      {updates.error ? <ErrorAlert error={updates.error} onRetry={() => void updates.refetch()} /> : null}
      {updates.data && items.length === 0 ? (
        <Empty>No update posted yet. Send comms early and often.</Empty>
      ) : null}
      {items.map((update) => (
        <article key={update.id} className="update-item">
          <div className="entry-head">
            <span className="kind">{update.phase}</span>
            <span>{update.audience}</span>
            <Time iso={update.createdAt} now={now} />
            <span>{update.author?.name ?? "Runsheet"}</span>
          </div>
          {update.subject ? <p className="role-holder">{update.subject}</p> : null}
          <div className="entry-body">{update.body}</div>
          <Deliveries incident={incident} deliveries={update.deliveries} />
        </article>
      ))}
    </section>
  );
}

interface NextUpdateProps {
  incident: Incident;
  updates: readonly StatusUpdate[];
  plan: Plan;
  now: Date;
}

/** "Send comms early and often": when the severity's cadence wants the next customer update. */
function NextUpdate({ incident, updates, plan, now }: NextUpdateProps) {
  const due = nextUpdateDue(incident, updates, plan);
  if (!due) return null;
  const left = Date.parse(due) - now.getTime();
  return (
    <p className={left < 0 ? "notice notice-warn" : "notice"}>
      {left < 0 ? (
        <strong>Customer update overdue by {durationInWords(-left)}</strong>
      ) : (
        <>Next customer update due in {durationInWords(left)}</>
      )}{" "}
      (<Time iso={due} now={now} />
      ).
    </p>
  );
}

import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { describeLayer, OnCallNow } from "./on-call-now";
import { useSchedules } from "./queries";

/** Every schedule of the plan with who is on call on it now. */
export function ScheduleList() {
  useTitle("On-call");
  const schedules = useSchedules();
  const items = schedules.data?.items ?? [];
  return (
    <>
      <div className="page-header">
        <h1>On-call</h1>
      </div>
      <p className="muted">
        The plan's schedules and who is on call on each. Rotations are changed in the plan; to cover a stretch
        for someone, open the schedule and add an override.
      </p>
      {schedules.isPending ? <Loading what="the schedules" /> : null}
      <ErrorAlert error={schedules.error} onRetry={() => void schedules.refetch()} />
      {schedules.data && items.length === 0 ? (
        <Empty>
          The plan has no on-call schedules. Add them under <code>schedules:</code> in the plan.
        </Empty>
      ) : null}
      <ul className="schedule-cards">
        {items.map((schedule) => (
          <li key={schedule.id} className="panel schedule-card">
            <h2>
              <Link to={`/on-call/${encodeURIComponent(schedule.id)}`}>{schedule.name}</Link>
            </h2>
            <OnCallNow schedule={schedule} />
            <dl className="schedule-facts small">
              <div>
                <dt>Time zone</dt>
                <dd>{schedule.timeZone}</dd>
              </div>
              {schedule.layers.map((layer) => (
                <div key={layer.id}>
                  <dt>{layer.name}</dt>
                  <dd>{describeLayer(layer)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}

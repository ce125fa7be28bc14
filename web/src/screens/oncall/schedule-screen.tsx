import { Link, useParams } from "react-router";
import { api, call } from "../../api/client";
import { canRespond, useSession } from "../../app/session";
import { CalendarFeed } from "../../components/calendar-feed";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { CoverageTimeline } from "./coverage-timeline";
import { describeLayer, OnCallNow } from "./on-call-now";
import { OverridesPanel } from "./overrides-panel";
import { useSchedules } from "./queries";

/** One schedule: who is on call now, the coming two weeks, its overrides and its calendar feed. */
export function ScheduleScreen() {
  const { scheduleId = "" } = useParams();
  const user = useSession();
  const schedules = useSchedules();
  const schedule = schedules.data?.items.find((s) => s.id === scheduleId);
  useTitle(schedule ? `${schedule.name} · On-call` : "On-call");

  const back = (
    <nav aria-label="Breadcrumb" className="small breadcrumb">
      <Link to="/on-call">On-call</Link>
    </nav>
  );
  if (schedules.isPending) return <Loading what="the schedule" />;
  if (schedules.error) {
    return (
      <>
        {back}
        <ErrorAlert error={schedules.error} onRetry={() => void schedules.refetch()} />
      </>
    );
  }
  if (!schedule) {
    return (
      <>
        {back}
        <h1>{scheduleId}</h1>
        <p className="notice">The plan has no schedule “{scheduleId}”.</p>
      </>
    );
  }
  return (
    <>
      {back}
      <div className="page-header">
        <h1>{schedule.name}</h1>
        <span className="muted">Times in {schedule.timeZone}</span>
      </div>
      <OnCallNow schedule={schedule} />
      <ul className="small muted layer-list">
        {schedule.layers.map((layer) => (
          <li key={layer.id}>
            <strong>{layer.name}</strong>: {describeLayer(layer)}
          </li>
        ))}
      </ul>
      <CoverageTimeline schedule={schedule} />
      <OverridesPanel schedule={schedule} />
      {canRespond(user) ? (
        <CalendarFeed
          title="Calendar feed"
          create={() =>
            call(
              "Could not make the calendar feed URL",
              api.POST("/api/v1/schedules/{id}/feed", { params: { path: { id: schedule.id } } }),
            )
          }
        >
          <p>Everyone's shifts on {schedule.name}, a week back and 90 days ahead, in any calendar app.</p>
        </CalendarFeed>
      ) : null}
    </>
  );
}
